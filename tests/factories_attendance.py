"""Live sessions with participants, for the attendance tests (issue 13)."""
from datetime import datetime, timedelta

from course.extensions import db
from course.models import (
    Attendance,
    LiveSession,
    RegistrationStatus,
    SessionPart,
    SessionRegistration,
    SessionTrainer,
    utcnow,
)


def make_session(course, cohort=None, trainers=(), starts_at: datetime | None = None, hours=(3,),
                 title="Workshop Welzijn 2.0", capacity=20, days_between=7) -> LiveSession:
    """A session with one part per entry of `hours` (a week apart), starting at
    `starts_at` (naive UTC; default: yesterday 08:00 UTC)."""
    start = starts_at or (utcnow() - timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    session = LiveSession(course_id=course.id, cohort_id=cohort.id if cohort else None, title=title,
                          place="Buurthuis De Linde, Utrecht", capacity=capacity,
                          registration_deadline=start - timedelta(days=1))
    db.session.add(session)
    db.session.flush()
    for index, length in enumerate(hours):
        begin = start + timedelta(days=days_between * index)
        db.session.add(SessionPart(session_id=session.id, starts_at=begin, ends_at=begin + timedelta(hours=length)))
    for trainer in trainers:
        db.session.add(SessionTrainer(session_id=session.id, user_id=trainer.id))
    db.session.commit()
    return session


def register(user, session, status=RegistrationStatus.REGISTERED, attendance=Attendance.UNKNOWN,
             minutes=None) -> SessionRegistration:
    now = utcnow()
    registration = SessionRegistration(session_id=session.id, user_id=user.id, status=status,
                                       registered_at=now if status == RegistrationStatus.REGISTERED else None,
                                       queued_at=now if status == RegistrationStatus.WAITING else None,
                                       attendance=attendance, attended_minutes=minutes,
                                       attendance_marked_at=now if attendance != Attendance.UNKNOWN else None)
    db.session.add(registration)
    db.session.commit()
    return registration
