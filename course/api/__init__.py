"""The read API for organisations' HR systems (issue 15), versioned under /api/v1.

Two blueprints: `api` serves the bearer-token API (no cookies, so no CSRF) and
`api_tokens` is the organisation admin's token page (a normal, CSRF-protected page).
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
tokens_bp = Blueprint("api_tokens", __name__)

from . import routes, token_routes  # noqa: E402,F401
