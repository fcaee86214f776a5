"""Statements built once per process, and compiled by each worker before it serves.

The pages' most used statements are built once with their values as bound parameters
(issue 16): a statement used again keeps its SQL cache key, which cost more CPU to build
than the query took to run. SQLAlchemy still compiles each one to SQL on its first use,
per process: 3-40 ms for the big ones (the review page's submission with its versions,
reviews and scores). `prime(session)` runs each registered statement once with
parameters that match nothing, so a new worker's first pages find them compiled
(gunicorn.conf.py calls it in each worker, after the fork: it needs the database).
"""
import functools
import logging
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.sql import visitors
from sqlalchemy.sql.elements import BindParameter

log = logging.getLogger(__name__)

_REGISTERED: list[tuple[Callable[..., sa.Select], tuple]] = []


def built_once(*variants: tuple, maxsize: int | None = None):
    """A statement builder, cached for the process (functools.lru_cache, unbounded
    unless `maxsize`: for a builder whose arguments have many values) and primed by
    `prime`: once, or once per argument tuple in `variants`."""

    def decorate(build: Callable[..., sa.Select]) -> Callable[..., sa.Select]:
        cached = functools.lru_cache(maxsize=maxsize)(build)
        register(cached, *(variants or ((),)))
        return cached

    return decorate


def register(build: Callable[..., sa.Select], *variants: tuple) -> None:
    """Have `prime` compile build(*arguments) for each argument tuple in `variants`
    (`build` caches its statements itself)."""
    _REGISTERED.extend((build, arguments) for arguments in variants)


def registered() -> list[sa.Select]:
    return [build(*arguments) for build, arguments in _REGISTERED]


def parameters_matching_nothing(statement: sa.Select) -> dict:
    """The statement's named parameters (those the callers pass), each as NULL or an empty list."""
    return {node.key: [] if node.expanding else None for node in visitors.iterate(statement)
            if isinstance(node, BindParameter) and not node.unique}


def prime(session) -> tuple[int, int]:
    """Compile every registered statement by running it once (reads only, rolled back).
    Returns (compiled, failed); a statement that fails is logged and skipped. A database
    that cannot be reached raises, once."""
    session.connection()
    compiled = failed = 0
    for statement in registered():
        try:
            session.execute(statement, parameters_matching_nothing(statement)).close()
            compiled += 1
        except sa.exc.SQLAlchemyError as error:
            session.rollback()
            failed += 1
            log.warning("Statement not compiled ahead: %s", error)
    session.rollback()
    return compiled, failed
