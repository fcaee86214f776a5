"""Security headers on every response; request bodies only of the kind a route reads."""
from flask import Flask, Request, abort, current_app, request, session
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"
    app.request_class = LeerlijnRequest
    app.before_request(refuse_unexpected_bodies)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if _is_private():
            headers["Cache-Control"] = "private, no-store"
        return response


def _is_private() -> bool:
    """Every answer to a logged-in user may hold personal data (pages, CSV, PDF): no browser or
    proxy keeps a copy. Read from the session cookie, not the database (it may be down).
    Static files and public pages for visitors stay cacheable."""
    return request.endpoint != "static" and "_user_id" in session


FORM_BODIES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def accepts_json(view):
    """Mark a view that reads a JSON body (autosave, preview). Every other view reads forms."""
    view.accepts_json = True
    return view


def refuse_unexpected_bodies():
    """A 400 for a body the route does not read. Flask-WTF turns a JSON body into form data,
    and a list or a number in it crashed validators: JSON, XML or text/plain sent to an HTML
    form is a bad request, decided here once for every form."""
    if request.method not in WRITE_METHODS or request.routing_exception is not None:
        return None  # a 404/405 stays a 404/405
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "accepts_json", False) or request.mimetype in FORM_BODIES:
        return None  # a JSON view reads its body defensively (and checks access first)
    if not request.mimetype and not request.content_length:
        return None  # an empty POST: a one-button form sent by a script
    abort(400)


class NulFreeMultiDict(ImmutableMultiDict):
    """Query and form values without NUL characters: PostgreSQL refuses them in text,
    and no person types one. Removing them here keeps every form free of that 500."""

    def __init__(self, mapping=None):
        super().__init__([(_strip_nul(k), _strip_nul(v)) for k, v in _pairs(mapping)])


def _pairs(mapping):
    if mapping is None:
        return []
    if isinstance(mapping, MultiDict):
        return list(mapping.items(multi=True))
    if isinstance(mapping, dict):
        return [(k, v) for k, values in mapping.items()
                for v in (values if isinstance(values, (list, tuple)) else [values])]
    return list(mapping)


def _strip_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


class LeerlijnRequest(Request):
    parameter_storage_class = NulFreeMultiDict
