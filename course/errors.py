"""Error pages in the layout and the user's language; JSON for JSON clients."""
import logging
from urllib.parse import urlparse

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no. Views turn it into a message for the user."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action."""


class ConflictError(DomainError):
    """Someone else changed the object first (optimistic version check)."""


class SeatLimitReached(DomainError):
    pass


class NotAllowed(DomainError):
    pass


def wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "application/json", "application/ld+json"])
    return (best in ("application/json", "application/ld+json") or request.path.endswith(".json")
            or request.path.startswith("/api/"))  # the HR API (course/api) always speaks JSON


def _titles() -> dict[int, str]:
    return {
        400: _("The request could not be processed"),
        403: _("You do not have access to this page"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        413: _("The file is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }


def _explanations() -> dict[int, str]:
    return {
        400: _("Something in the request was not right. Go back and try again."),
        403: _("Your account does not have access to this page. "
               "Log in with another account or go back to your own overview."),
        404: _("This page does not exist, or you do not have access to it. "
               "Check the address or go back to the home page."),
        405: _("This address does not support this action. Go back and use the buttons on the page."),
        413: _("The file you sent is larger than allowed. Choose a smaller file."),
        429: _("You tried this too often in a short time. Wait a few minutes and try again."),
        500: _("We could not complete your request. Nothing you did caused this; try again in a moment."),
    }


def render_error(code: int, extra: dict | None = None):
    extra = dict(extra or {})
    title = _titles().get(code, _titles()[500])
    explanation = extra.pop("explanation", None) or _explanations().get(code, _explanations()[500])
    if request.path.startswith("/api/"):  # the HR API's own error shape (course/api/errors.py), also off its routes
        from course.api.errors import STATUS_CODES, json_error

        return json_error(code, STATUS_CODES.get(code, "error"), title)
    if wants_json():
        return jsonify({"error": title, "status": code}), code
    return render_template("errors/error.html", code=code, title=title,
                           explanation=explanation, **extra), code


def _too_large() -> dict:
    """A file over the limit: say the limit, and lead back to the page it came from (a form
    on our own site), so an author or an org admin is not left outside what they were doing."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} kB"
    referrer = request.referrer or ""
    back = referrer if referrer and urlparse(referrer).netloc == request.host else None
    return {"explanation": _("The file you sent is larger than allowed: at most %(size)s. "
                             "Choose a smaller file.", size=size), "back_url": back}


def _without_database_if_need_be(render):
    """Render an error page; should that need the database while it is away, answer with
    the outage page (which needs none) instead of Flask's bare English 500."""
    from . import outage

    try:
        return render()
    except outage.OUTAGE_ERRORS:
        return outage.render_outage(503)
    except Exception:  # noqa: BLE001  never a bare 500 page
        log.exception("The error page failed on %s %s", request.method, request.path)
        return outage.render_outage(500)


def init_app(app: Flask) -> None:
    from . import outage

    outage.init_app(app)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        def render():
            from .stash import from_our_own_pages, keepable_fields, leave_session_alone, stash_current_post

            db.session.rollback()
            if not from_our_own_pages():
                # A cross-site POST: show nothing of it, keep nothing, and leave the cookie as it is.
                leave_session_alone()
                return render_error(400, {"csrf_failed": True, "kept": {}, "resend_url": request.path})
            kept = keepable_fields(request.form) if request.method == "POST" else {}
            if kept:
                stash_current_post()
            return render_error(400, {"csrf_failed": True, "kept": kept, "resend_url": request.path})

        return _without_database_if_need_be(render)

    @app.errorhandler(HTTPException)
    def http_error(error):
        def render():
            db.session.rollback()
            if error.code == 413:
                return render_error(413, _too_large())
            return render_error(error.code or 500)

        return _without_database_if_need_be(render)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error on %s %s", request.method, request.path)

        def render():
            db.session.rollback()
            return render_error(500)

        return _without_database_if_need_be(render)
