"""Course staff (issue 17): platform admins appoint trainers and authors per course."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import routes  # noqa: E402,F401
