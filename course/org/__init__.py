"""The organisation area (issue 5): cohorts, enrolling teams, team progress,
invitations and the public in-company request form."""
from flask import Blueprint

bp = Blueprint("org", __name__)

from . import invitation_routes, public, routes  # noqa: E402,F401
