"""Live sessions: the read side. Lists load in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import format_date, format_time
from sqlalchemy.orm import selectinload

from course import permissions
from course.extensions import db
from course.models import (
    Cohort,
    Enrolment,
    LiveSession,
    RegistrationStatus,
    SessionPart,
    SessionRegistration,
    SessionStatus,
    User,
    utcnow,
)
from course.statements import built_once


def is_cohort_member(user: User, cohort_id: int) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(
        Enrolment.user_id == user.id, Enrolment.cohort_id == cohort_id))))


@dataclass(frozen=True)
class PartView:
    day: str      # "di 24 nov. 2026"
    start: str    # "09:30"
    end: str      # "12:30"
    starts_at: datetime
    ends_at: datetime

    @property
    def label(self) -> str:
        return f"{self.day}, {self.start}–{self.end}"


def display_parts(session: LiveSession) -> list[PartView]:
    """The parts in Europe/Amsterdam (the app's Babel time zone), in the current locale."""
    return [PartView(day=format_date(p.starts_at, "EEE d MMM y"), start=format_time(p.starts_at, "HH:mm"),
                     end=format_time(p.ends_at, "HH:mm"), starts_at=p.starts_at, ends_at=p.ends_at)
            for p in session.parts]


def _first_start():
    return (sa.select(sa.func.min(SessionPart.starts_at)).where(SessionPart.session_id == LiveSession.id)
            .correlate(LiveSession).scalar_subquery())


def _last_end():
    return (sa.select(sa.func.max(SessionPart.ends_at)).where(SessionPart.session_id == LiveSession.id)
            .correlate(LiveSession).scalar_subquery())


def _registered_count():
    return (sa.select(sa.func.count(SessionRegistration.id))
            .where(SessionRegistration.session_id == LiveSession.id,
                   SessionRegistration.status == RegistrationStatus.REGISTERED)
            .correlate(LiveSession).scalar_subquery())


def _waiting_count():
    return (sa.select(sa.func.count(SessionRegistration.id))
            .where(SessionRegistration.session_id == LiveSession.id,
                   SessionRegistration.status == RegistrationStatus.WAITING)
            .correlate(LiveSession).scalar_subquery())


@dataclass
class SessionRow:
    session: LiveSession
    taken: int
    waiting: int
    parts: list[PartView]

    @property
    def free(self) -> int:
        return max(self.session.capacity - self.taken, 0)


def _rows(statement) -> list[SessionRow]:
    statement = statement.add_columns(_registered_count(), _waiting_count()).options(
        selectinload(LiveSession.parts), selectinload(LiveSession.trainers), selectinload(LiveSession.cohort))
    return [SessionRow(session=s, taken=taken or 0, waiting=waiting or 0, parts=display_parts(s))
            for s, taken, waiting in db.session.execute(statement).all()]


def visible_sessions(user) -> sa.ColumnElement[bool]:
    """Filter on LiveSession: public ones, plus in-company ones of the user's cohorts,
    the cohorts their organisation administers, and those they manage."""
    return permissions.live_sessions_visible_to(user)


def upcoming_public(course_id: int, *, limit: int = 20) -> list[SessionRow]:
    """The course page: upcoming public sessions that still take sign-ups and have a free place."""
    now = utcnow()
    statement = (sa.select(LiveSession)
                 .where(LiveSession.course_id == course_id, LiveSession.cohort_id.is_(None),
                        LiveSession.status == SessionStatus.SCHEDULED, LiveSession.registration_deadline > now,
                        _first_start() > now, _registered_count() < LiveSession.capacity)
                 .order_by(_first_start(), LiveSession.id).limit(limit))
    return _rows(statement)


def course_sessions(user, course_id: int, *, limit: int = 50) -> list[SessionRow]:
    """Sessions of a course visible to `user`, upcoming first, then the recent past."""
    now = utcnow()
    statement = (sa.select(LiveSession)
                 .where(LiveSession.course_id == course_id, visible_sessions(user))
                 .order_by((_last_end() < now).asc(), _first_start(), LiveSession.id).limit(limit))
    return _rows(statement)


def managed_sessions(user, *, limit: int = 100) -> list[SessionRow]:
    """The trainer's and admin's list: sessions of the courses they manage."""
    now = utcnow()
    statement = (sa.select(LiveSession).where(permissions.live_sessions_managed_by(user))
                 .order_by((_last_end() < now).asc(), _first_start(), LiveSession.id).limit(limit))
    return _rows(statement)


@dataclass
class MySession:
    session: LiveSession
    registration: SessionRegistration
    parts: list[PartView]


def my_sessions(user: User, *, upcoming_only: bool = True, limit: int = 10) -> list[MySession]:
    """The person's own sign-ups (place or waiting), soonest first."""
    found = db.session.execute(_my_sessions_statement(upcoming_only, limit), {"user_id": user.id, "now": utcnow()})
    return [MySession(session=s, registration=r, parts=display_parts(s)) for r, s in found.all()]


@built_once((True, 3), (True, 50))  # Mijn leren's three, the sign-ups page's fifty
def _my_sessions_statement(upcoming_only: bool, limit: int) -> sa.Select:
    """my_sessions' query (on Mijn leren), built once per process with the user and the
    moment as bound parameters: a reused statement keeps its SQL cache key (issue 16)."""
    statement = (sa.select(SessionRegistration, LiveSession)
                 .join(LiveSession, LiveSession.id == SessionRegistration.session_id)
                 .where(SessionRegistration.user_id == sa.bindparam("user_id"),
                        SessionRegistration.status.in_([RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]))
                 .options(selectinload(LiveSession.parts))
                 .order_by(_first_start(), LiveSession.id).limit(limit))
    if upcoming_only:
        statement = statement.where(_last_end() > sa.bindparam("now"))
    return statement


def registration_of(user, session: LiveSession) -> SessionRegistration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(sa.select(SessionRegistration).where(
        SessionRegistration.session_id == session.id, SessionRegistration.user_id == user.id))


def waiting_position(registration: SessionRegistration) -> int | None:
    if registration is None or registration.status != RegistrationStatus.WAITING:
        return None
    ahead = db.session.scalar(sa.select(sa.func.count(SessionRegistration.id)).where(
        SessionRegistration.session_id == registration.session_id,
        SessionRegistration.status == RegistrationStatus.WAITING,
        sa.or_(SessionRegistration.queued_at < registration.queued_at,
               sa.and_(SessionRegistration.queued_at == registration.queued_at,
                       SessionRegistration.id < registration.id))))
    return (ahead or 0) + 1


@dataclass
class Participant:
    name: str
    status: RegistrationStatus
    registered_at: datetime | None
    queued_at: datetime | None
    cancelled_at: datetime | None
    registration: SessionRegistration


def participants(session: LiveSession, *, include_cancelled: bool = True) -> list[Participant]:
    """Who signed up: names and dates (and status), never course work. One query."""
    statement = (sa.select(SessionRegistration, User.name).join(User, User.id == SessionRegistration.user_id)
                 .where(SessionRegistration.session_id == session.id)
                 .order_by(sa.case((SessionRegistration.status == RegistrationStatus.REGISTERED, 0),
                                   (SessionRegistration.status == RegistrationStatus.WAITING, 1), else_=2),
                           SessionRegistration.registered_at, SessionRegistration.queued_at, User.name,
                           SessionRegistration.id))
    if not include_cancelled:
        statement = statement.where(SessionRegistration.status != RegistrationStatus.CANCELLED)
    return [Participant(name=name, status=r.status, registered_at=r.registered_at, queued_at=r.queued_at,
                        cancelled_at=r.cancelled_at, registration=r)
            for r, name in db.session.execute(statement).all()]


def feed_sessions(user: User) -> list[tuple[LiveSession, bool]]:
    """The feed: sessions where the person has (or had, before a cancellation of the
    session) a place, from 60 days back."""
    from datetime import timedelta

    since = utcnow() - timedelta(days=60)
    statement = (sa.select(LiveSession).join(SessionRegistration, SessionRegistration.session_id == LiveSession.id)
                 .where(SessionRegistration.user_id == user.id,
                        SessionRegistration.status == RegistrationStatus.REGISTERED, _last_end() > since)
                 .options(selectinload(LiveSession.parts)).order_by(_first_start(), LiveSession.id))
    return list(db.session.scalars(statement))


def org_sessions(organisation_id: int, *, limit: int = 100) -> list[SessionRow]:
    """In-company sessions of an organisation's cohorts (for its admin)."""
    now = utcnow()
    statement = (sa.select(LiveSession).join(Cohort, Cohort.id == LiveSession.cohort_id)
                 .where(Cohort.organisation_id == organisation_id)
                 .order_by((_last_end() < now).asc(), _first_start(), LiveSession.id).limit(limit))
    return _rows(statement)
