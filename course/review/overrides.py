"""Trainer overrides for one learner: extra quiz attempts, a lifted cooling-off, a
reopened approved assignment, a moved review target date; and their withdrawal.

Each public function is one unit of work and commits once. The quiz rules read the
overrides in course/learn/attempts.py.

Withdrawal ("Intrekken") restores the previous state where that means something:
- extra attempts: the maximum goes back down; attempts already taken stay taken;
- lifted cooling-off: the cooling-off applies again (if its time has not passed);
- reopened assignment: the approval is restored, but only while the learner has not
  touched it: once they submitted a new version or changed the text, withdrawal is
  refused, so their work is never thrown away (review the new version instead);
- moved target date: the earlier date is restored while the submission still waits
  with the moved date; after the decision there is nothing left to restore.
Completing a module is never undone by a reopen: the module and its badges stay.
"""
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.learn import attempts as attempts_rules
from course.learn import completion
from course.models import (
    AuditAction,
    CourseModule,
    Enrolment,
    Override,
    OverrideKind,
    QuizAttempt,
    Submission,
    SubmissionStatus,
    utcnow,
)

from .dates import feedback_due

REASON_MAX = 1000
MAX_EXTRA_ATTEMPTS = 10


class OverrideRefused(DomainError):
    """The override does not fit the learner's state (nothing was changed)."""


# ---- loading -------------------------------------------------------------------


def overrides_of(enrolment: Enrolment) -> list[Override]:
    """The learner's overrides, newest first, with their modules and people: one query."""
    return list(db.session.scalars(
        sa.select(Override).where(Override.enrolment_id == enrolment.id)
        .options(selectinload(Override.module), selectinload(Override.actor), selectinload(Override.revoked_by))
        .order_by(Override.created_at.desc(), Override.id.desc())
    ))


def load_override(enrolment: Enrolment, public_id: str) -> Override | None:
    return db.session.scalar(sa.select(Override).where(Override.enrolment_id == enrolment.id,
                                                       Override.public_id == public_id))


def module_by_slug(enrolment: Enrolment, slug: str) -> CourseModule | None:
    return db.session.scalar(sa.select(CourseModule).where(
        CourseModule.course_id == enrolment.course_id, CourseModule.slug == slug, CourseModule.is_active.is_(True)))


def _submission(enrolment: Enrolment, module: CourseModule) -> Submission | None:
    return db.session.scalar(sa.select(Submission).where(Submission.enrolment_id == enrolment.id,
                                                         Submission.module_id == module.id))


@dataclass
class Choices:
    """The modules each override form offers: (slug, title) pairs."""

    quizzes: list[tuple[str, str]]
    approved: list[tuple[str, str]]
    waiting: list[tuple[str, str]]


def choices_for(enrolment: Enrolment) -> Choices:
    modules = [m for m in enrolment.course.modules if m.is_active]
    statuses = dict(db.session.execute(
        sa.select(Submission.module_id, Submission.status).where(Submission.enrolment_id == enrolment.id)).all())
    limited = enrolment.course.quiz_max_attempts or enrolment.course.quiz_cooldown_minutes
    return Choices(
        quizzes=[(m.slug, m.title) for m in modules if m.has_quiz and limited],
        approved=[(m.slug, m.title) for m in modules if statuses.get(m.id) == SubmissionStatus.APPROVED],
        waiting=[(m.slug, m.title) for m in modules if statuses.get(m.id) == SubmissionStatus.SUBMITTED],
    )


# ---- granting ------------------------------------------------------------------


def _clean_reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise OverrideRefused(_("Give a reason: the learner's timeline shows why the exception was made."))
    if len(text) > REASON_MAX:
        raise OverrideRefused(_("The reason is %(length)d characters long; the limit is %(max)d.",
                                length=len(text), max=REASON_MAX))
    return text


def _record(enrolment, module, kind, reason, actor, **fields) -> Override:
    override = Override(enrolment_id=enrolment.id, module_id=module.id, kind=kind, reason=reason,
                        actor_id=actor.id, created_at=utcnow(), **fields)
    db.session.add(override)
    db.session.flush()
    record_event(AuditAction.OVERRIDE_GRANTED, actor=actor, subject=enrolment.user_id, course=enrolment.course_id,
                 obj=override, details={"kind": str(kind), "module": module.slug})
    return override


def _require_quiz(module: CourseModule) -> None:
    if not module.has_quiz:
        raise OverrideRefused(_("This module has no quiz."))


def grant_extra_attempts(enrolment: Enrolment, module: CourseModule, amount: int, reason: str, actor) -> Override:
    _require_quiz(module)
    text = _clean_reason(reason)
    if not enrolment.course.quiz_max_attempts:
        raise OverrideRefused(_("This course does not limit quiz attempts: there is nothing to add."))
    if not isinstance(amount, int) or not 1 <= amount <= MAX_EXTRA_ATTEMPTS:
        raise OverrideRefused(_("Grant between 1 and %(max)d extra attempts.", max=MAX_EXTRA_ATTEMPTS))
    completion.lock_enrolment(enrolment)
    override = _record(enrolment, module, OverrideKind.EXTRA_ATTEMPTS, text, actor, amount=amount)
    db.session.commit()
    return override


def _latest_attempt(enrolment: Enrolment, module: CourseModule) -> QuizAttempt | None:
    return db.session.scalar(sa.select(QuizAttempt).where(
        QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.module_id == module.id)
        .order_by(QuizAttempt.number.desc()).limit(1))


def lift_cooldown(enrolment: Enrolment, module: CourseModule, reason: str, actor) -> Override:
    """Only while the learner is cooling off: a lift is for the attempt just failed."""
    _require_quiz(module)
    text = _clean_reason(reason)
    completion.lock_enrolment(enrolment)
    latest = _latest_attempt(enrolment, module)
    course = enrolment.course
    now = utcnow()
    cooling = (latest is not None and not latest.passed and course.quiz_cooldown_minutes
               and not attempts_rules.allowance(
                   course, 0, latest.submitted_at,
                   attempts_rules.grants_for([enrolment.id]).get((enrolment.id, module.id), attempts_rules.NO_GRANT),
                   now).allowed)
    if not cooling:
        raise OverrideRefused(_("%(name)s is not cooling off for this quiz: they can already try again.",
                                name=enrolment.user.name))
    override = _record(enrolment, module, OverrideKind.LIFT_COOLDOWN, text, actor)
    db.session.commit()
    return override


def reopen_assignment(enrolment: Enrolment, module: CourseModule, reason: str, actor) -> Override:
    """An approved assignment takes a new version: it becomes editable again ("revision
    requested"). The approval, the module's completion and its badges stay."""
    text = _clean_reason(reason)
    completion.lock_enrolment(enrolment)
    submission = _submission(enrolment, module)
    if submission is None or submission.status != SubmissionStatus.APPROVED:
        raise OverrideRefused(_("Only an approved assignment can be reopened."))
    submission.status = SubmissionStatus.REVISION_REQUESTED
    submission.lock_version = (submission.lock_version or 0) + 1
    override = _record(enrolment, module, OverrideKind.REOPEN_ASSIGNMENT, text, actor,
                       amount=len(submission.versions))
    db.session.commit()
    return override


def move_due_date(enrolment: Enrolment, module: CourseModule, new_date: date | None, reason: str,
                  actor, today: date | None = None) -> Override:
    text = _clean_reason(reason)
    submission = _submission(enrolment, module)
    if submission is None or submission.status != SubmissionStatus.SUBMITTED:
        raise OverrideRefused(_("Only the target date of a submission that is waiting for review can be moved."))
    if new_date is None or new_date < (today or utcnow().date()):
        raise OverrideRefused(_("Choose a target date from today onwards."))
    previous = feedback_due(submission.submitted_at, enrolment.course.feedback_days, submission.feedback_due_on)
    submission.feedback_due_on = new_date
    override = _record(enrolment, module, OverrideKind.MOVE_DUE_DATE, text, actor, new_date=new_date,
                       previous_date=previous)
    db.session.commit()
    return override


# ---- withdrawing -----------------------------------------------------------------


def revoke_blocker(override: Override, submission: Submission | None) -> str | None:
    """Why this override cannot be withdrawn now (None: it can). Read-only.
    `submission`: the learner's submission for the override's module (or None)."""
    if override.revoked_at is not None:
        return _("This exception has already been withdrawn.")
    if override.kind == OverrideKind.REOPEN_ASSIGNMENT:
        if submission is None:
            return None
        resubmitted = len(submission.versions) > (override.amount or 0)
        if resubmitted or submission.status != SubmissionStatus.REVISION_REQUESTED:
            return _("The learner has already submitted a new version, so the approval cannot be restored. "
                     "Review the new version instead.")
        if submission.versions and submission.draft_fields != submission.versions[-1].fields:
            return _("The learner has already started on a new version. Withdrawing would throw that text away, "
                     "so the assignment stays open.")
    still_moved = submission is not None and submission.status == SubmissionStatus.SUBMITTED \
        and submission.feedback_due_on == override.new_date
    if override.kind == OverrideKind.MOVE_DUE_DATE and not still_moved:
        return _("The submission has been decided on or its date changed since, so there is no date to "
                 "restore.")
    return None


def revoke(override: Override, actor) -> Override:
    """Withdraw the override and restore the previous state (see the module docstring).
    Raises OverrideRefused, with the reason, when that would lose the learner's work."""
    completion.lock_enrolment(override.enrolment)
    submission = _submission(override.enrolment, override.module)
    blocker = revoke_blocker(override, submission)
    if blocker:
        raise OverrideRefused(blocker)
    if override.kind == OverrideKind.REOPEN_ASSIGNMENT and submission is not None:
        submission.status = SubmissionStatus.APPROVED
        submission.lock_version = (submission.lock_version or 0) + 1
    elif override.kind == OverrideKind.MOVE_DUE_DATE:
        submission.feedback_due_on = override.previous_date
    override.revoked_at = utcnow()
    override.revoked_by_id = actor.id
    record_event(AuditAction.OVERRIDE_WITHDRAWN, actor=actor, subject=override.enrolment.user_id,
                 course=override.enrolment.course_id, obj=override, details={"kind": str(override.kind)})
    db.session.commit()
    return override


# ---- the timeline ---------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    event: object | None = None  # a ProgressEvent
    override: Override | None = None
    withdrawn: bool = False  # the entry for the override's withdrawal
    attendance: object | None = None  # a live session attended or missed (course.attendance.queries.AttendedSession)


def timeline(events, overrides: list[Override], attendance=()) -> list[TimelineEntry]:
    """Progress events, overrides (granted and withdrawn) and live-session attendance
    (at the session's start) in one list, newest first."""
    entries = [TimelineEntry(e.created_at, event=e) for e in events]
    entries += [TimelineEntry(a.starts_at or a.marked_at, attendance=a) for a in attendance
                if (a.starts_at or a.marked_at) is not None]
    for override in overrides:
        entries.append(TimelineEntry(override.created_at, override=override))
        if override.revoked_at is not None:
            entries.append(TimelineEntry(override.revoked_at, override=override, withdrawn=True))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)
