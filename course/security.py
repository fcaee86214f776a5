"""Security headers on every response."""
from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    production = app.config.get("ENV_NAME") == "production"
    app.request_class = LeerlijnRequest

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
        return response


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
