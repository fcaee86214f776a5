"""Read side of attendance (issue 13): who was in the room, how long, and whether a
course's live-attendance requirement is met.

Attended means marked *present* (the session's net time counts) or *partly present*
(the hours the trainer entered count); the minutes are stored on the registration when
marked, so every sum here is a plain SUM. Every list takes a fixed number of queries:
the summaries for any number of learners come from one query.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from course import permissions
from course.extensions import db
from course.models import (
    Attendance,
    Course,
    Enrolment,
    LiveSession,
    RegistrationStatus,
    SessionPart,
    SessionRegistration,
    SessionStatus,
    User,
)

ATTENDED = (Attendance.PRESENT, Attendance.PARTIAL)
MARKED = (Attendance.PRESENT, Attendance.PARTIAL, Attendance.ABSENT)
LOCAL = ZoneInfo("Europe/Amsterdam")


def local(moment: datetime) -> datetime:
    """Naive UTC → Europe/Amsterdam (aware)."""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(LOCAL)


def local_date(moment: datetime) -> date:
    return local(moment).date()


def format_hours(minutes: int | None) -> str:
    """Hours with at most two decimals, Dutch style without trailing zeros: 6, 2,5, 1,75."""
    hours = round((minutes or 0) / 60, 2)
    text = f"{hours:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def session_minutes(session: LiveSession) -> int:
    """The session's net contact time: the sum of its parts."""
    return sum(part.minutes for part in session.parts)


# ---- one learner's attendance in one course -------------------------------------


@dataclass
class AttendedSession:
    session_id: str  # LiveSession.public_id
    title: str
    attendance: Attendance
    minutes: int
    days: list[date] = field(default_factory=list)  # local dates of the parts
    starts_at: datetime | None = None  # naive UTC
    ends_at: datetime | None = None
    marked_at: datetime | None = None

    @property
    def attended(self) -> bool:
        return self.attendance in ATTENDED

    @property
    def hours(self) -> str:
        return format_hours(self.minutes)


@dataclass
class AttendanceSummary:
    """What one person did in the live sessions of one course (marked sessions only)."""

    sessions: list[AttendedSession] | tuple[()] = field(default_factory=list)

    @property
    def attended(self) -> list[AttendedSession]:
        return [s for s in self.sessions if s.attended]

    @property
    def attended_count(self) -> int:
        return len(self.attended)

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.attended)

    @property
    def hours(self) -> str:
        return format_hours(self.minutes)

    @property
    def days(self) -> list[date]:
        return sorted({d for s in self.attended for d in s.days})


def requirement_met(course: Course, summary: AttendanceSummary) -> bool:
    """Does the attendance meet the course's `attendance:` requirement (none: yes)?"""
    return (summary.attended_count >= (course.attendance_sessions or 0)
            and summary.minutes >= 60 * (course.attendance_hours or 0))


NO_SESSIONS = AttendanceSummary(sessions=())  # shared by everyone with no marked session: never changed


class _Summaries(dict):
    """Most learners of a 500-row list have no marked session: they all read the one empty
    summary instead of 500 new ones (issue 16)."""

    def __missing__(self, pair):
        return NO_SESSIONS


_SUMMARY_COLUMNS = (SessionRegistration.user_id, LiveSession.course_id, LiveSession.id, LiveSession.public_id,
                    LiveSession.title, SessionRegistration.attendance, SessionRegistration.attended_minutes,
                    SessionRegistration.attendance_marked_at, SessionPart.starts_at, SessionPart.ends_at)


def _marked_sessions():
    return (sa.select(*_SUMMARY_COLUMNS)
            .join(LiveSession, SessionRegistration.session_id == LiveSession.id)
            .outerjoin(SessionPart, SessionPart.session_id == LiveSession.id)
            .where(SessionRegistration.attendance.in_(MARKED))
            .order_by(SessionPart.starts_at, LiveSession.id))


def summaries(pairs) -> dict[tuple[int, int], AttendanceSummary]:
    """{(user id, course id): summary} for every pair given, in one query (a pair
    without marked sessions reads NO_SESSIONS)."""
    pairs = {(u, c) for u, c in pairs}
    if not pairs:
        return _Summaries()
    user_ids = {u for u, _c in pairs}
    course_ids = {c for _u, c in pairs}
    rows = db.session.execute(_marked_sessions().where(SessionRegistration.user_id.in_(user_ids),
                                                       LiveSession.course_id.in_(course_ids))).all()
    return _summarise(row for row in rows if (row.user_id, row.course_id) in pairs)


def summaries_of_enrolments(enrolments, parameters: dict | None = None) -> dict[tuple[int, int], AttendanceSummary]:
    """`summaries` for the (user, course) of every enrolment matching the SQL condition
    `enrolments` (on Enrolment, with its bound `parameters`): a list page's 500 learners
    without 500 parameters. Pass the same condition object each time (a module constant
    with bind parameters, or a cached filter): its statement is built once."""
    return _summarise(db.session.execute(_of_enrolments(enrolments), parameters))


@functools.lru_cache(maxsize=2048)
def _of_enrolments(enrolments) -> sa.Select:
    # keyed on the condition object itself (SQL expressions hash by identity, and a cached
    # one is kept alive by this cache, so its identity is never reused)
    return _marked_sessions().join(Enrolment, sa.and_(Enrolment.user_id == SessionRegistration.user_id,
                                                      Enrolment.course_id == LiveSession.course_id)).where(enrolments)


def _summarise(rows) -> dict[tuple[int, int], AttendanceSummary]:
    result = _Summaries()
    seen: dict[tuple[int, int, int], AttendedSession] = {}
    for row in rows:
        pair = (row.user_id, row.course_id)
        key = (row.user_id, row.course_id, row.id)
        item = seen.get(key)
        if item is None:
            item = seen[key] = AttendedSession(
                row.public_id, row.title, Attendance(row.attendance), row.attended_minutes or 0,
                marked_at=row.attendance_marked_at)
            if pair not in result:
                result[pair] = AttendanceSummary()
            result[pair].sessions.append(item)
        if row.starts_at is not None:
            item.days.append(local_date(row.starts_at))
            item.starts_at = min(item.starts_at or row.starts_at, row.starts_at)
            item.ends_at = max(item.ends_at or row.ends_at, row.ends_at)
    return result


def summary_for(user_id: int, course_id: int) -> AttendanceSummary:
    return summaries([(user_id, course_id)])[(user_id, course_id)]


def enrolment_summary(enrolment: Enrolment) -> AttendanceSummary:
    return summary_for(enrolment.user_id, enrolment.course_id)


def enrolment_requirement_met(enrolment: Enrolment) -> bool:
    """For completion: the course needs no attendance, or this learner has it."""
    course = enrolment.course
    if not course.requires_attendance:
        return True
    return requirement_met(course, enrolment_summary(enrolment))


@dataclass
class RequirementStatus:
    """The course's requirement and how far one learner is: for progress pages."""

    course: Course
    summary: AttendanceSummary

    @property
    def required(self) -> bool:
        return self.course.requires_attendance

    @property
    def met(self) -> bool:
        return requirement_met(self.course, self.summary)


def requirement_status(enrolment: Enrolment) -> RequirementStatus:
    return RequirementStatus(enrolment.course, enrolment_summary(enrolment))


# ---- one session: the attendance page, the sign-in sheet, the session's list ------


def load_session(public_id: str) -> LiveSession | None:
    return db.session.scalar(
        sa.select(LiveSession).where(LiveSession.public_id == public_id)
        .options(selectinload(LiveSession.parts), selectinload(LiveSession.course),
                 selectinload(LiveSession.cohort))
    )


def participants(session: LiveSession) -> list[SessionRegistration]:
    """Who signed up (not waiting, not cancelled), by name; with their accounts. One query."""
    return list(db.session.scalars(
        sa.select(SessionRegistration).join(User, SessionRegistration.user_id == User.id)
        .where(SessionRegistration.session_id == session.id,
               SessionRegistration.status == RegistrationStatus.REGISTERED)
        .options(sa.orm.contains_eager(SessionRegistration.user))
        .order_by(sa.func.lower(User.name), User.id)
    ))


@dataclass
class SessionLink:
    session: LiveSession
    registered: int
    marked: int


def sessions_for_trainer(user, limit: int = 100) -> list[SessionLink]:
    """The sessions whose attendance this user takes, the latest first (upcoming ones
    after today excluded only by the view's headings). Two queries."""
    registered = (sa.select(sa.func.count(SessionRegistration.id))
                  .where(SessionRegistration.session_id == LiveSession.id,
                         SessionRegistration.status == RegistrationStatus.REGISTERED)
                  .correlate(LiveSession).scalar_subquery())
    marked = (sa.select(sa.func.count(SessionRegistration.id))
              .where(SessionRegistration.session_id == LiveSession.id,
                     SessionRegistration.status == RegistrationStatus.REGISTERED,
                     SessionRegistration.attendance != Attendance.UNKNOWN)
              .correlate(LiveSession).scalar_subquery())
    first = (sa.select(sa.func.min(SessionPart.starts_at)).where(SessionPart.session_id == LiveSession.id)
             .correlate(LiveSession).scalar_subquery())
    rows = db.session.execute(
        sa.select(LiveSession, registered, marked)
        .where(permissions.attendance_sessions_of(user, LiveSession.id),
               LiveSession.status == SessionStatus.SCHEDULED)
        .options(selectinload(LiveSession.parts), selectinload(LiveSession.course))
        .order_by(first.desc().nulls_last(), LiveSession.id.desc()).limit(limit)
    ).all()
    return [SessionLink(s, r or 0, m or 0) for s, r, m in rows]


def session_days(session: LiveSession) -> list[date]:
    return sorted({local_date(p.starts_at) for p in session.parts})
