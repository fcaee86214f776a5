"""Keep what a user typed when a POST cannot be accepted, and give it back later.

Used when the session expired (the POST is answered with a login redirect) and when
the CSRF check fails. The key is kept in the session cookie, the text in the
database, so any app server can give it back after the user logs in again.

A cross-site page can make a browser POST here too. Such a request must neither
plant text in the learner's form nor replace their session cookie, so only
requests the browser marks as coming from our own pages are kept, and what is kept
is bounded per entry, in total and per visitor.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, request, session
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse
from werkzeug.datastructures import MultiDict

from .extensions import db, limiter
from .models import FormStash, utcnow

SESSION_KEY = "form_stash"
NEVER_KEPT = ("csrf_token", "password", "token", "website")  # "website" is a honeypot
MAX_AGE = timedelta(days=1)
MAX_FIELD = 50_000
MAX_ENTRY = 200_000  # characters in one kept form: a long assignment fits, a flood does not
MAX_FIELDS = 60


def keepable_fields(form: MultiDict) -> dict[str, list[str]]:
    """The fields worth keeping, cut to MAX_FIELD each and MAX_ENTRY together."""
    kept: dict[str, list[str]] = {}
    budget = MAX_ENTRY
    for key in form:
        if any(word in key.lower() for word in NEVER_KEPT) or len(kept) >= MAX_FIELDS:
            continue
        values = []
        for value in form.getlist(key):
            value = value[:min(MAX_FIELD, budget)]
            budget -= len(value) + len(key)
            values.append(value)
            if budget <= 0:
                break
        kept[key[:200]] = values
        if budget <= 0:
            break
    return kept


def from_our_own_pages() -> bool:
    """True when the browser says the POST came from one of our pages. Browsers send
    Sec-Fetch-Site (and Origin) on every POST; a request without either proves nothing."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin.rstrip("/") in _our_origins()
    referrer = request.headers.get("Referer") or ""
    return any(referrer == o or referrer.startswith(o + "/") for o in _our_origins())


def _our_origins() -> set[str]:
    return {request.host_url.rstrip("/"), current_app.config["BASE_URL"].rstrip("/")}


def leave_session_alone() -> None:
    """This response must not set or clear the session cookie (see LeerlijnSessionInterface)."""
    g.leave_session_alone = True


def stash_current_post() -> bool:
    """Store the current request's form for its path, if it came from our own pages and
    fits the bounds. Commits: its own unit of work. True when something was kept."""
    if not from_our_own_pages():
        leave_session_alone()
        return False
    data = keepable_fields(request.form)
    if not any(v.strip() for values in data.values() for v in values):
        return False
    if not _within_rate_limit():
        return False
    db.session.execute(sa.delete(FormStash).where(FormStash.created_at < utcnow() - MAX_AGE))
    if _total_kept_size() >= current_app.config["FORM_STASH_MAX_TOTAL"]:
        db.session.commit()
        return False
    row = FormStash(path=request.path[:500], data=data,
                    user_id=current_user.id if current_user.is_authenticated else None)
    db.session.add(row)
    db.session.commit()
    keys = dict(session.get(SESSION_KEY, {}))
    keys[request.path] = row.public_id
    session[SESSION_KEY] = keys
    return True


def _within_rate_limit() -> bool:
    """Per visitor (IP), through the limiter's storage so every app server counts alike."""
    if not limiter.enabled:
        return True
    item = parse(current_app.config["FORM_STASH_LIMIT"])
    return limiter.limiter.hit(item, "form-stash", get_remote_address())


def _total_kept_size() -> int:
    size = sa.func.coalesce(sa.func.sum(sa.func.length(sa.cast(FormStash.data, sa.Text))), 0)
    return db.session.scalar(sa.select(size))


def pop_stash(path: str) -> MultiDict | None:
    """The kept form for this path, once. Commits the removal."""
    keys = dict(session.get(SESSION_KEY, {}))
    public_id = keys.pop(path, None)
    if public_id is None:
        return None
    session[SESSION_KEY] = keys
    row = db.session.scalar(sa.select(FormStash).where(FormStash.public_id == public_id))
    if row is None:
        return None
    data = MultiDict([(k, v) for k, values in row.data.items() for v in values])
    db.session.delete(row)
    db.session.commit()
    return data


def session_stash_ids() -> list[str]:
    """The kept forms this browser session points at (erasure removes them)."""
    return list(session.get(SESSION_KEY, {}).values())

