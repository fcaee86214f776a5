"""Live sessions (issue 13): dates, places, sign-up, waiting list, calendars, reminders.

The package is `live` because `course/sessions.py` is the cookie session. Models in
course/models/sessions.py; attendance (marking, sheets, hours) builds on them.
"""
from flask import Blueprint

bp = Blueprint("live", __name__)

from . import routes  # noqa: E402,F401
