"""The audit log (issue 9): who did what, when and to whom.

Services call `record_event(...)` inside their own unit of work; the platform admin
searches the log at /beheer/logboek. The model and the actions live in
course/models/audit.py.
"""
from flask import Blueprint

bp = Blueprint("audit", __name__)

from . import routes  # noqa: E402,F401
