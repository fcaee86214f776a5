"""A person's calendar feed (the "agenda" link): a new one revokes the old; only the
token's hash is kept. `new_feed` and `revoke_feeds` commit (unless told not to)."""
from __future__ import annotations

import sqlalchemy as sa

from course.extensions import db
from course.models import CalendarFeed, User, utcnow

from . import ics


def new_feed(user: User) -> str:
    """Revoke the person's current feed and make a new one. Returns the token (shown
    once in the URL; only its hash is kept). Commits."""
    revoke_feeds(user, commit=False)
    token = ics.new_feed_token()
    db.session.add(CalendarFeed(user_id=user.id, token_hash=ics.hash_token(token)))
    db.session.commit()
    return token


def feed_owner(token: str) -> User | None:
    """The person whose live (not revoked) feed this token opens, else None."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        sa.select(User).join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == ics.hash_token(token), CalendarFeed.revoked_at.is_(None),
               User.erased_at.is_(None), User.is_active_account.is_(True)))


def has_feed(user: User) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(
        CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None)))))


def revoke_feeds(user: User, *, commit: bool = True) -> None:
    db.session.execute(
        sa.update(CalendarFeed).where(CalendarFeed.user_id == user.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False))
    if commit:
        db.session.commit()
