"""Per-request memo for read-only values several parts of one page ask for (issue 16):
the learner's course state, the navigation counter, the trainer's scope.

Only GET and HEAD requests use it, so a form post always reads fresh data after
taking its locks; and any flush, commit or rollback empties it, so nothing read
before a write is served after it.
"""
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

T = TypeVar("T")
_KEY = "_request_cache"


def active() -> bool:
    """Inside a GET or HEAD request: values may be remembered until the next write."""
    return has_request_context() and request.method in ("GET", "HEAD")


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """compute(), once per GET request for the same key."""
    if not active():
        return compute()
    store = g.setdefault(_KEY, {})
    if key not in store:
        store[key] = compute()
    return store[key]


def remember(key: Hashable, value) -> None:
    """Store a value another query brought along, for cached(key, ...) later in this GET."""
    if active():
        g.setdefault(_KEY, {})[key] = value


def clear() -> None:
    if has_app_context():
        g.pop(_KEY, None)


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context) -> None:
    clear()


@event.listens_for(Session, "after_commit")
def _after_commit(session) -> None:
    clear()


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session, previous_transaction) -> None:
    clear()
