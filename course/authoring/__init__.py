"""Course authoring in the browser (issue 11): the editor, drafts, publishing, history."""
from flask import Blueprint

bp = Blueprint("authoring", __name__)

from . import routes  # noqa: E402,F401
