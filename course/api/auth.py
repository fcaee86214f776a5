"""Bearer-token authentication, scopes and the per-token rate limit.

Only the `Authorization: Bearer` header authenticates: the session cookie of a
logged-in browser is never looked at, so a page elsewhere cannot make a visitor's
browser read the API (and the API needs no CSRF token)."""
import hmac
import re
from functools import wraps

import sqlalchemy as sa
from flask import current_app, g, request

from course.extensions import db, limiter
from course.models import ApiToken

from . import errors, services

DEFAULT_RATE_LIMIT = "300 per minute; 20000 per day"
PUBLIC_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
# Compared against when the token id is unknown, so both paths do the same work.
_NO_SUCH_HASH = "0" * 64


def _presented_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise errors.missing_token()
    return value.strip()


def _load(bearer: str) -> ApiToken:
    prefix, _sep, rest = bearer.partition(".")
    public_id, _sep, secret = rest.partition(".")
    if prefix != services.PREFIX or not PUBLIC_ID.match(public_id) or not secret:
        raise errors.invalid_token()
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.public_id == public_id))
    stored = token.secret_hash if token is not None else _NO_SUCH_HASH
    if not hmac.compare_digest(stored, services.hash_secret(bearer)) or token is None:
        raise errors.invalid_token()
    if not token.is_active:
        raise errors.revoked_token()
    return token


def current_token() -> ApiToken:
    return g.api_token


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or DEFAULT_RATE_LIMIT


def _token_key() -> str:
    return f"api-token:{g.api_token.id}"


def token_required(scope: str | None):
    """Authenticate → count against the token's limit → check the scope → record use."""
    def decorate(view):
        @limiter.shared_limit(_rate_limit, scope="api-token", key_func=_token_key)
        @wraps(view)
        def limited(*args, **kwargs):
            token = g.api_token
            if scope is not None and scope not in token.scope_set:
                raise errors.insufficient_scope(scope)
            services.record_use(token)
            return view(*args, **kwargs)

        @wraps(view)
        def wrapper(*args, **kwargs):
            g.api_token = _load(_presented_token())
            return limited(*args, **kwargs)

        wrapper.api_scope = scope
        return wrapper
    return decorate
