"""Platform administration (issue 5): requests, organisations, seats, admins, trainers."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import mail_routes, routes  # noqa: E402,F401
