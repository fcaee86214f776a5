"""Attendance at live sessions (issue 13): the trainer's attendance page, the printable
sign-in sheet, contact hours, the live-attendance requirement of blended courses and
the Registerplein list per session. Builds on course/live (the sessions themselves)."""
from flask import Blueprint

bp = Blueprint("attendance", __name__)

from . import routes  # noqa: E402,F401
