"""Taking attendance (issue 13): one unit of work per submitted attendance form.

Marking sets the registration's attendance and its attended minutes (the session's
net time for *present*, the entered hours for *partly present*, 0 for *absent*),
records who marked it and when, writes one audit event per changed person, queues
the xAPI "attended" statement when someone becomes present, and completes the course
of a learner whose last missing piece was this attendance (badge and certificate
follow, as for any completion). A completion once given is never taken back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course import xapi
from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.learn import completion
from course.models import (
    Attendance,
    AuditAction,
    Enrolment,
    LiveSession,
    SessionRegistration,
    User,
    utcnow,
)

from . import queries


@dataclass(frozen=True)
class Mark:
    attendance: Attendance
    minutes: int | None = None  # only for PARTIAL


def can_be_marked(session: LiveSession, now: datetime | None = None) -> bool:
    """Attendance is taken from the session's first day on (local time), never for a
    cancelled session or one without times."""
    if session.is_cancelled or not session.parts:
        return False
    now = now or utcnow()
    return queries.local_date(now) >= queries.local_date(session.starts_at)


def _minutes(session: LiveSession, mark: Mark) -> int:
    total = queries.session_minutes(session)
    if mark.attendance == Attendance.PRESENT:
        return total
    if mark.attendance == Attendance.ABSENT:
        return 0
    if mark.minutes is None or mark.minutes <= 0 or mark.minutes >= total:
        raise DomainError(str(_l("Partly present needs a number of hours above 0 and below %(hours)s.",
                                 hours=queries.format_hours(total))))
    return mark.minutes


def mark_attendance(session: LiveSession, marks: dict[str, Mark], actor: User,
                    now: datetime | None = None) -> int:
    """Apply `marks` ({registration public id: Mark}) to the session's participants.
    Rows without a mark stay as they are. Returns how many changed. Commits once."""
    now = now or utcnow()
    if not can_be_marked(session, now):
        raise DomainError(str(_l("Attendance can be taken from the day of the session.")))
    registrations = {r.public_id: r for r in queries.participants(session)}
    unknown = set(marks) - set(registrations)
    if unknown:
        raise DomainError(str(_l("The list of participants has changed. Check the list and save again.")))
    changed: list[SessionRegistration] = []
    for public_id, mark in marks.items():
        registration = registrations[public_id]
        minutes = _minutes(session, mark)
        if registration.attendance == mark.attendance and (registration.attended_minutes or 0) == minutes:
            continue
        previous = registration.attendance
        registration.attendance = mark.attendance
        registration.attended_minutes = minutes
        registration.attendance_marked_at = now
        registration.attendance_marked_by_id = actor.id
        record_event(AuditAction.ATTENDANCE_MARKED, actor=actor, subject=registration.user_id,
                     organisation=session.cohort.organisation_id if session.cohort else None,
                     course=session.course_id, obj=session,
                     details={"attendance": str(mark.attendance), "minutes": minutes, "previous": str(previous)})
        changed.append((registration, previous))
    if changed:
        db.session.flush()
        _after_marking(session, changed, actor, now)
    db.session.commit()
    return len(changed)


def _after_marking(session: LiveSession, changed, actor: User, now: datetime) -> None:
    """xAPI for those who became present, and completion for their enrolments."""
    user_ids = [registration.user_id for registration, _previous in changed]
    enrolments = {e.user_id: e for e in db.session.scalars(
        sa.select(Enrolment).where(Enrolment.course_id == session.course_id, Enrolment.user_id.in_(user_ids)))}
    for registration, previous in changed:
        enrolment = enrolments.get(registration.user_id)
        if registration.attendance in queries.ATTENDED and previous not in queries.ATTENDED:
            xapi.record_attendance(registration, session, enrolment, now)
        if enrolment is not None and registration.attendance in queries.ATTENDED \
                and enrolment.completed_at is None:
            completion.lock_enrolment(enrolment)
            completion.check_course_completed(enrolment, actor, at=now)
