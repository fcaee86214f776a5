"""Public statements (issue 9): the privacy statement and the accessibility statement.

Their text is Markdown: defaults ship in `pages/`, and an installation adapts them by
putting its own files in PAGES_DIR (default `instance/pages/`). See pages/README.md.
"""
from flask import Blueprint

bp = Blueprint("pages", __name__)

from . import routes  # noqa: E402,F401
