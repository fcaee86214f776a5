"""Quiz attempt rules: the course's maximum and cooling-off, with a trainer's
overrides (extra attempts, a lifted cooling-off) taken into account.

`allowance` is pure, so the quiz page, the grading service and "Ga verder"
(overview.py) decide the same way. `grants_for` loads the overrides of many
enrolments in one query.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from course import request_cache
from course.extensions import db
from course.models import Override, OverrideKind


@dataclass(frozen=True)
class Grant:
    """What trainers granted one learner for one quiz (only overrides not withdrawn)."""

    extra_attempts: int = 0
    cooldown_lifted_at: datetime | None = None


NO_GRANT = Grant()


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    blocked_by: str | None = None  # "attempts" (none left) or "cooldown" (wait until ready_at)
    ready_at: datetime | None = None
    attempts_left: int | None = None  # None: unlimited
    max_attempts: int = 0


def allowance(course, used: int, last_failed_at: datetime | None, grant: Grant, now: datetime) -> Allowance:
    """May the learner start another attempt now?

    `used`: attempts stored; `last_failed_at`: when the latest attempt was submitted,
    if it failed (None when it passed or there is none). A lifted cooling-off counts
    only for the attempt it was lifted after: the next failed attempt cools off again."""
    left = None
    maximum = 0
    if course.quiz_max_attempts:
        maximum = course.quiz_max_attempts + grant.extra_attempts
        left = max(maximum - used, 0)
        if not left:
            return Allowance(False, "attempts", attempts_left=0, max_attempts=maximum)
    if last_failed_at is not None and course.quiz_cooldown_minutes:
        lifted = grant.cooldown_lifted_at is not None and grant.cooldown_lifted_at >= last_failed_at
        ready_at = last_failed_at + timedelta(minutes=course.quiz_cooldown_minutes)
        if now < ready_at and not lifted:
            return Allowance(False, "cooldown", ready_at=ready_at, attempts_left=left, max_attempts=maximum)
    return Allowance(True, attempts_left=left, max_attempts=maximum)


def grants_for(enrolment_ids) -> dict[tuple[int, int], Grant]:
    """{(enrolment_id, module_id): Grant} for the active quiz overrides: one query
    (once per GET request for the same enrolments)."""
    ids = tuple(sorted(enrolment_ids))
    if not ids:
        return {}
    return request_cache.cached(("quiz_grants", ids), lambda: _grants_for(ids))


def _grants_for(ids) -> dict[tuple[int, int], Grant]:
    extra: dict[tuple[int, int], int] = defaultdict(int)
    lifted: dict[tuple[int, int], datetime] = {}
    rows = db.session.execute(
        sa.select(Override.enrolment_id, Override.module_id, Override.kind, Override.amount, Override.created_at)
        .where(Override.enrolment_id.in_(ids), Override.revoked_at.is_(None),
               Override.kind.in_([OverrideKind.EXTRA_ATTEMPTS, OverrideKind.LIFT_COOLDOWN]))
    )
    for enrolment_id, module_id, kind, amount, created_at in rows:
        key = (enrolment_id, module_id)
        if kind == OverrideKind.EXTRA_ATTEMPTS:
            extra[key] += amount or 0
        elif key not in lifted or created_at > lifted[key]:
            lifted[key] = created_at
    return {key: Grant(extra.get(key, 0), lifted.get(key)) for key in set(extra) | set(lifted)}
