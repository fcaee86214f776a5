"""Test data for live sessions (issue 13)."""
from datetime import datetime, timedelta

from course.extensions import db
from course.models import LiveSession, SessionPart, SessionTrainer, utcnow


def make_live_session(course, *, cohort=None, capacity=3, starts_in=timedelta(days=10), hours=3,
                      parts=None, deadline=None, title="Workshop Welzijn 2.0", place="Stadhuisplein 1, Utrecht",
                      online_url="", note="Neem je laptop mee.", trainers=(), created_by=None) -> LiveSession:
    """A scheduled session; `parts` is a list of (start, end) naive UTC, else one part
    `starts_in` from now lasting `hours`."""
    if parts is None:
        start = (utcnow() + starts_in).replace(microsecond=0)
        parts = [(start, start + timedelta(hours=hours))]
    first = min(p[0] for p in parts)
    session = LiveSession(course_id=course.id, cohort_id=cohort.id if cohort else None, title=title, place=place,
                          online_url=online_url, capacity=capacity, note=note,
                          registration_deadline=deadline or (first - timedelta(days=1)),
                          created_by_id=created_by.id if created_by else None)
    session.parts = [SessionPart(starts_at=s, ends_at=e) for s, e in parts]
    db.session.add(session)
    db.session.flush()
    for trainer in trainers:
        db.session.add(SessionTrainer(session_id=session.id, user_id=trainer.id))
    db.session.commit()
    return session


def at(text: str) -> datetime:
    """'2026-10-24 09:00' as naive datetime (the caller says UTC)."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M")
