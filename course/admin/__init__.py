"""Platform administration (issue 5): requests, organisations, seats, admins, trainers."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import routes  # noqa: E402,F401
