"""When the database is away: 503 with a page that needs no database, in the
request's language (language switch or Accept-Language, never the user's row), and
with what was posted shown back, so a learner's text is never lost.

The normal layout (templates/base.html) reads the logged-in user and the navigation
counters from the database, so the outage page has its own small layout.
"""
import logging

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import refresh
from sqlalchemy import exc

from .extensions import db, login_manager

log = logging.getLogger(__name__)

# Raised when the server is down, restarting, unreachable, or the pool has no connection left.
OUTAGE_ERRORS = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)
RETRY_AFTER_SECONDS = 30


def database_unavailable() -> bool:
    """True while answering with the outage page: nothing may touch the database then."""
    return bool(g.get("database_unavailable"))


def _forget_the_session() -> None:
    g.database_unavailable = True
    # Flask-Login puts current_user into every template's context, loading (or refreshing) the
    # user's row. Stand in an anonymous user for this answer; the session cookie is untouched.
    g._login_user = login_manager.anonymous_user()
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001  the connection is gone; the pool discards it
        log.debug("Rollback failed during a database outage", exc_info=True)
    refresh()  # the language is chosen again, now without the user's row


def kept_fields() -> dict[str, list[str]]:
    from .stash import keepable_fields

    return keepable_fields(request.form) if request.method == "POST" else {}


def render_outage(status: int = 503):
    """The outage answer: JSON for scripts (autosave keeps its local copy and retries), else the page."""
    from .errors import wants_json

    _forget_the_session()
    title = _("Leerlijn is temporarily unavailable")
    if wants_json() or request.is_json:
        response = jsonify({"error": title, "status": status})
    else:
        explanation = _("We cannot reach our database right now. This usually takes only a few minutes. "
                        "Try again in a moment.")
        response = make_response(render_template("errors/unavailable.html", code=status, title=title,
                                                 explanation=explanation, kept=kept_fields(),
                                                 resend_url=request.path))
    response.status_code = status
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def init_app(app: Flask) -> None:
    for error_class in OUTAGE_ERRORS:
        app.register_error_handler(error_class, _on_outage)


def _on_outage(error):
    log.error("Database unavailable on %s %s: %s", request.method, request.path, error.__class__.__name__)
    return render_outage()
