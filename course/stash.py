"""Keep what a user typed when a POST cannot be accepted, and give it back later.

Used when the session expired (the POST is answered with a login redirect) and when
the CSRF check fails. The key is kept in the session cookie, the text in the
database, so any app server can give it back after the user logs in again.
"""
from datetime import timedelta

import sqlalchemy as sa
from flask import request, session
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from .extensions import db
from .models import FormStash, utcnow

SESSION_KEY = "form_stash"
NEVER_KEPT = ("csrf_token", "password", "token", "website")  # "website" is a honeypot
MAX_AGE = timedelta(days=1)
MAX_FIELD = 50_000


def keepable_fields(form: MultiDict) -> dict[str, list[str]]:
    return {
        key: [v[:MAX_FIELD] for v in form.getlist(key)]
        for key in form
        if not any(word in key.lower() for word in NEVER_KEPT)
    }


def stash_current_post() -> None:
    """Store the current request's form for its path. Commits: its own unit of work."""
    data = keepable_fields(request.form)
    if not any(v.strip() for values in data.values() for v in values):
        return
    row = FormStash(path=request.path, data=data,
                    user_id=current_user.id if current_user.is_authenticated else None)
    db.session.add(row)
    db.session.execute(sa.delete(FormStash).where(FormStash.created_at < utcnow() - MAX_AGE))
    db.session.commit()
    keys = dict(session.get(SESSION_KEY, {}))
    keys[request.path] = row.public_id
    session[SESSION_KEY] = keys


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


def has_stash(path: str) -> bool:
    return path in session.get(SESSION_KEY, {})
