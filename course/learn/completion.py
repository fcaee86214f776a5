"""Progress bookkeeping: events, derived module state, module and course completion.

Every function here runs inside the caller's unit of work and never commits: the
learner services call them, and so does the trainer's review service, e.g.

    submission.status = SubmissionStatus.APPROVED      # the review service's own change
    completion.on_assignment_approved(submission, trainer)
    db.session.commit()                                # the review service commits

A module is complete when its reading is read, its quiz passed (if it has one)
and its assignment approved (if it has one). The course is complete, and gets its
completion date, the moment its last active module completes; a course that requires
live attendance (course.yml `attendance:`) also waits for that, and then completes
the moment the trainer marks the missing attendance (course/attendance/services.py).
"""
from datetime import date, datetime

import sqlalchemy as sa

from course import xapi
from course.calendar import add_working_days
from course.extensions import db
from course.models import (
    CourseModule,
    Enrolment,
    EventKind,
    ModuleProgress,
    ProgressEvent,
    Submission,
    utcnow,
)


def feedback_due_date(course, submitted_at: datetime | None = None) -> date:
    """When the trainer's feedback is due: course.feedback_days working days after submitting."""
    submitted_on = (submitted_at or utcnow()).date()
    return add_working_days(submitted_on, course.feedback_days)


def lock_enrolment(enrolment: Enrolment) -> None:
    """Serialise progress changes per enrolment (PostgreSQL row lock; a no-op on SQLite),
    so two approvals at the same moment cannot both miss the course's completion."""
    db.session.execute(sa.select(Enrolment.id).where(Enrolment.id == enrolment.id).with_for_update())


def record_event(enrolment: Enrolment, kind: EventKind, module: CourseModule | None = None,
                 actor=None, at: datetime | None = None, **data) -> ProgressEvent:
    event = ProgressEvent(enrolment_id=enrolment.id, module_id=module.id if module else None, kind=kind,
                          actor_id=actor.id if actor is not None else None, data=data,
                          created_at=at or utcnow())
    db.session.add(event)
    xapi.record_event(event, enrolment, module)  # the learning record, in this same transaction
    return event


def progress_for(enrolment: Enrolment, module: CourseModule) -> ModuleProgress:
    """The module's derived state for this enrolment, created when first needed."""
    progress = db.session.scalar(
        sa.select(ModuleProgress)
        .where(ModuleProgress.enrolment_id == enrolment.id, ModuleProgress.module_id == module.id)
        .execution_options(populate_existing=True)
    )
    if progress is None:
        progress = ModuleProgress(enrolment_id=enrolment.id, module_id=module.id)
        db.session.add(progress)
        db.session.flush()
    return progress


def touch(enrolment: Enrolment, at: datetime | None = None) -> None:
    """The learner did something: started (first time) and last activity."""
    now = at or utcnow()
    if enrolment.started_at is None:
        enrolment.started_at = now
    enrolment.last_activity_at = now


def module_is_complete(module: CourseModule, progress: ModuleProgress) -> bool:
    return bool(
        (progress.read_at or not module.has_reading)
        and (progress.quiz_passed_at or not module.has_quiz)
        and (progress.assignment_approved_at or not module.has_assignment)
    )


def check_module_completed(enrolment: Enrolment, module: CourseModule, progress: ModuleProgress,
                           actor=None, at: datetime | None = None) -> bool:
    """Complete the module (and maybe the course) if its conditions now hold. Idempotent."""
    if progress.completed_at is not None or not module.is_active or not module_is_complete(module, progress):
        return False
    now = at or utcnow()
    progress.completed_at = now
    record_event(enrolment, EventKind.MODULE_COMPLETED, module, actor, at=now)
    db.session.flush()
    from course.badges import services as badges

    badges.on_module_completed(enrolment, module)
    check_course_completed(enrolment, actor, at=now)
    return True


def check_course_completed(enrolment: Enrolment, actor=None, at: datetime | None = None) -> bool:
    """Set the completion date the moment every active module is complete. Idempotent."""
    if enrolment.completed_at is not None:
        return False
    active = db.session.scalars(
        sa.select(CourseModule.id).where(CourseModule.course_id == enrolment.course_id,
                                         CourseModule.is_active.is_(True))
    ).all()
    done = set(db.session.scalars(
        sa.select(ModuleProgress.module_id).where(ModuleProgress.enrolment_id == enrolment.id,
                                                  ModuleProgress.completed_at.is_not(None))
    ))
    if not active or not set(active) <= done:
        return False
    from course.attendance.queries import enrolment_requirement_met

    if not enrolment_requirement_met(enrolment):  # a blended course also waits for live attendance
        return False
    enrolment.completed_at = at or utcnow()
    record_event(enrolment, EventKind.COURSE_COMPLETED, None, actor, at=enrolment.completed_at)
    db.session.flush()
    from course.badges import services as badges

    badges.on_course_completed(enrolment)
    return True


def on_assignment_approved(submission: Submission, actor) -> None:
    """The trainer approved the latest version. Records the event, marks the assignment
    approved and completes the module/course when due. Never commits."""
    enrolment, module = submission.enrolment, submission.module
    lock_enrolment(enrolment)
    progress = progress_for(enrolment, module)
    now = utcnow()
    version = submission.versions[-1].number if submission.versions else None
    record_event(enrolment, EventKind.ASSIGNMENT_APPROVED, module, actor, at=now, version=version)
    if progress.assignment_approved_at is None:
        progress.assignment_approved_at = now
    db.session.flush()
    check_module_completed(enrolment, module, progress, actor, at=now)


def on_revision_requested(submission: Submission, actor) -> None:
    """The trainer asked for a revision: recorded as an event. Never commits."""
    version = submission.versions[-1].number if submission.versions else None
    record_event(submission.enrolment, EventKind.REVISION_REQUESTED, submission.module, actor, version=version)
    db.session.flush()
