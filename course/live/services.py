"""Live sessions: state changes. One commit per unit of work (the public functions
that commit say so); the helpers never commit.

Capacity is never exceeded: every decision that gives a place (sign-up, promotion,
a capacity change) first locks the session row (`_lock`, a no-op UPDATE, as the seat
licence in course/org/seats.py). On PostgreSQL that row lock serialises the
deciders and each statement after it sees what the previous holder committed; on
SQLite the UPDATE takes the database's write lock (BEGIN IMMEDIATE, see
course/sqlite_locks.py). Only then are the places counted.

The waiting list is first come, first served: `queued_at`, then the row id (given
in lock order), decides who is promoted when a place frees.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course import permissions
from course.audit.services import record_event
from course.errors import ConflictError, InvalidTransition, NotAllowed
from course.extensions import db
from course.mail.outbox import queue_mail
from course.models import (
    AuditAction,
    CalendarFeed,
    Course,
    Enrolment,
    LiveSession,
    OutboxAttachment,
    RegistrationStatus,
    SessionPart,
    SessionRegistration,
    SessionStatus,
    SessionTrainer,
    User,
    utcnow,
)
from course.sqlite_locks import lock_for_write
from course.urls import external_url

from . import ics

REMINDER_BEFORE = timedelta(days=2)


@dataclass(frozen=True)
class PartData:
    starts_at: datetime  # naive UTC
    ends_at: datetime


@dataclass(frozen=True)
class SessionData:
    """What the session form gives: times already converted to naive UTC."""

    title: str
    parts: tuple[PartData, ...]
    place: str
    online_url: str
    capacity: int
    registration_deadline: datetime
    note: str
    trainer_ids: tuple[int, ...] = ()
    cohort_id: int | None = None


# ---- locking and counting --------------------------------------------------


def _lock(session: LiveSession) -> None:
    """Serialise place decisions on this session until the transaction ends."""
    lock_for_write(db.session)
    db.session.execute(
        sa.update(LiveSession).where(LiveSession.id == session.id)
        .values(capacity=LiveSession.capacity)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(session)


def registered_count(session_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(SessionRegistration.id))
        .where(SessionRegistration.session_id == session_id,
               SessionRegistration.status == RegistrationStatus.REGISTERED)
    ) or 0


def _registration_of(session: LiveSession, user: User) -> SessionRegistration | None:
    return db.session.scalar(
        sa.select(SessionRegistration)
        .where(SessionRegistration.session_id == session.id, SessionRegistration.user_id == user.id)
        .execution_options(populate_existing=True)
    )


def _first_waiting(session: LiveSession) -> SessionRegistration | None:
    return db.session.scalar(
        sa.select(SessionRegistration)
        .where(SessionRegistration.session_id == session.id,
               SessionRegistration.status == RegistrationStatus.WAITING)
        .order_by(SessionRegistration.queued_at, SessionRegistration.id)
        .limit(1)
        .execution_options(populate_existing=True)
    )


# ---- rules -----------------------------------------------------------------


def sign_up_open(session: LiveSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (session.status == SessionStatus.SCHEDULED and now < session.registration_deadline
            and session.starts_at is not None and now < session.starts_at)


def may_join(user: User, session: LiveSession) -> bool:
    """Public sessions: any active account; in-company: the cohort's members only."""
    return permissions.can_join_live_session(user, session)


# ---- signing up and cancelling -------------------------------------------------


def sign_up(user: User, session: LiveSession) -> SessionRegistration:
    """Sign `user` up: a free place, or else the end of the waiting list. Mails the
    confirmation (with the .ics for a place). Commits."""
    if not may_join(user, session):
        raise NotAllowed(str(_l("This session is not open to you.")))
    _lock(session)
    if not sign_up_open(session):
        db.session.rollback()
        raise InvalidTransition(str(_l("Signing up for this session is closed.")))
    registration = _registration_of(session, user)
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        db.session.rollback()
        return registration  # signed up (or waiting) already: nothing changes
    now = utcnow()
    if registration is None:
        registration = SessionRegistration(session_id=session.id, user_id=user.id,
                                           status=RegistrationStatus.WAITING)
        db.session.add(registration)
    registration.cancelled_at = None
    registration.promoted_at = None
    if registered_count(session.id) < session.capacity:
        registration.status = RegistrationStatus.REGISTERED
        registration.registered_at = now
        registration.queued_at = None
        _mail_place(registration, user, session, kind="session_confirmed")
    else:
        registration.status = RegistrationStatus.WAITING
        registration.queued_at = now
        registration.registered_at = None
        _mail(user, session, _l("You are on the waiting list: %(title)s", title=session.title),
              "session_waiting", kind="session_waiting")
    db.session.commit()
    return registration


def cancel_registration(user: User, session: LiveSession) -> SessionRegistration | None:
    """The person cancels their place, until the deadline (leaving the waiting list
    is always possible). A freed place goes to the first person waiting. Commits. Returns the
    promoted registration, if any."""
    _lock(session)
    registration = _registration_of(session, user)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        raise InvalidTransition(str(_l("You are not signed up for this session.")))
    if registration.status == RegistrationStatus.REGISTERED and utcnow() >= session.registration_deadline:
        db.session.rollback()
        raise InvalidTransition(str(_l("The deadline has passed: cancelling is no longer possible here. "
                                       "Contact the trainer.")))
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.queued_at = None
    db.session.flush()
    if was_registered:  # the invitation they imported goes out once more, cancelled
        mail = _mail(user, session, _l("Your registration is cancelled: %(title)s", title=session.title),
                     "session_left", kind="session_left")
        db.session.flush()
        db.session.add(OutboxAttachment(mail_id=mail.id, filename="sessie.ics",
                                        content_type="text/calendar; method=PUBLISH; charset=utf-8",
                                        content=ics.calendar_for([session], cancelled=True).decode()))
    promoted = _fill_places(session)[0] if was_registered else []
    db.session.commit()
    return promoted[0] if promoted else None


def may_remove_participants(session: LiveSession, now: datetime | None = None) -> bool:
    """Places can be taken away until the session starts (then attendance tells)."""
    now = now or utcnow()
    return session.status == SessionStatus.SCHEDULED and session.starts_at is not None and now < session.starts_at


def remove_participant(actor: User, session: LiveSession, registration_public_id: str) -> SessionRegistration:
    """A manager takes someone's place (or waiting turn) away before the session starts,
    after the deadline too (the person was told to contact the trainer). The person is
    mailed (with the invitation cancelled if they had a place); a freed place goes to the
    first person waiting. Commits."""
    _lock(session)
    registration = db.session.scalar(
        sa.select(SessionRegistration)
        .where(SessionRegistration.session_id == session.id,
               SessionRegistration.public_id == registration_public_id[:40])
        .execution_options(populate_existing=True))
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        db.session.rollback()
        raise InvalidTransition(str(_l("This person is not signed up (any more): nothing has changed.")))
    if not may_remove_participants(session):
        db.session.rollback()
        raise InvalidTransition(str(_l("The session has started or is cancelled: mark the attendance instead.")))
    was_registered = registration.status == RegistrationStatus.REGISTERED
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = utcnow()
    registration.queued_at = None
    db.session.flush()
    mail = _mail(registration.user, session, _l("Your registration is cancelled: %(title)s", title=session.title),
                 "session_removed", kind="session_removed", registration=registration, had_place=was_registered)
    if was_registered:
        db.session.flush()
        db.session.add(OutboxAttachment(mail_id=mail.id, filename="sessie.ics",
                                        content_type="text/calendar; method=PUBLISH; charset=utf-8",
                                        content=ics.calendar_for([session], cancelled=True).decode()))
        _fill_places(session)
    record_event(AuditAction.SESSION_CHANGED, actor=actor, subject=registration.user_id, course=session.course_id,
                 obj=session, organisation=session.cohort.organisation_id if session.cohort else None,
                 details={"participant_removed": registration.public_id, "had_place": was_registered})
    db.session.commit()
    return registration


def _fill_places(session: LiveSession) -> tuple[list[SessionRegistration], int]:
    """Promote the first people waiting into free places (the session is locked).
    Never after the session has started, never for a cancelled one. Never commits."""
    promoted: list[SessionRegistration] = []
    if session.status != SessionStatus.SCHEDULED or session.starts_at is None or utcnow() >= session.starts_at:
        return promoted, 0
    free = session.capacity - registered_count(session.id)
    while free > 0:
        first = _first_waiting(session)
        if first is None:
            break
        first.status = RegistrationStatus.REGISTERED
        first.promoted_at = first.registered_at = utcnow()
        first.queued_at = None
        db.session.flush()
        _mail_place(first, first.user, session, kind="session_promoted")
        promoted.append(first)
        free -= 1
    return promoted, free


def release_places_of(user: User) -> None:
    """Erasure: the person's sign-ups, feeds and trainer places go; a place they held
    in an upcoming session goes to the first person waiting. Flushes, never commits."""
    session_ids = db.session.scalars(
        sa.select(SessionRegistration.session_id)
        .where(SessionRegistration.user_id == user.id,
               SessionRegistration.status == RegistrationStatus.REGISTERED)).all()
    db.session.execute(sa.delete(SessionRegistration).where(SessionRegistration.user_id == user.id))
    db.session.execute(sa.delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.execute(sa.delete(SessionTrainer).where(SessionTrainer.user_id == user.id))
    db.session.flush()
    for session in db.session.scalars(sa.select(LiveSession).where(LiveSession.id.in_(session_ids))):
        _lock(session)
        _fill_places(session)
    db.session.flush()


# ---- managing sessions -----------------------------------------------------------


def _apply(session: LiveSession, data: SessionData) -> bool:
    """Write the form's values; True when something a calendar shows changed."""
    before = _calendar_facts(session)
    session.title = data.title
    session.place = data.place
    session.online_url = data.online_url
    session.capacity = data.capacity
    session.registration_deadline = data.registration_deadline
    session.note = data.note
    # Parts are updated in place (their ids are the calendar UIDs), extra ones added or removed.
    parts = list(session.parts)
    for index, part in enumerate(data.parts):
        if index < len(parts):
            parts[index].starts_at, parts[index].ends_at = part.starts_at, part.ends_at
        else:
            session.parts.append(SessionPart(starts_at=part.starts_at, ends_at=part.ends_at))
    for extra in parts[len(data.parts):]:
        session.parts.remove(extra)
    db.session.flush()
    db.session.execute(sa.delete(SessionTrainer).where(SessionTrainer.session_id == session.id))
    for user_id in dict.fromkeys(data.trainer_ids):
        db.session.add(SessionTrainer(session_id=session.id, user_id=user_id))
    db.session.flush()
    db.session.expire(session, ["trainers"])
    return before != _calendar_facts(session)


def _calendar_facts(session: LiveSession) -> tuple:
    return (session.title, session.place, session.online_url, session.note,
            tuple((p.starts_at, p.ends_at) for p in session.parts))


def create_session(actor: User, course: Course, data: SessionData) -> LiveSession:
    """A new scheduled session. Commits."""
    session = add_session(actor, course, data)
    db.session.commit()
    return session


def add_session(actor: User, course: Course, data: SessionData, **details) -> LiveSession:
    """A new scheduled session inside the caller's unit of work (`details`: more for the
    audit event): flushes, never commits."""
    session = LiveSession(course_id=course.id, cohort_id=data.cohort_id, created_by_id=actor.id,
                          title=data.title, place=data.place, online_url=data.online_url,
                          capacity=data.capacity, registration_deadline=data.registration_deadline,
                          note=data.note, status=SessionStatus.SCHEDULED)
    db.session.add(session)
    db.session.flush()
    _apply(session, data)
    record_event(AuditAction.SESSION_CREATED, actor=actor, course=course, obj=session,
                 organisation=session.cohort.organisation_id if session.cohort else None,
                 details={"parts": len(data.parts), "capacity": data.capacity, **details})
    return session


def update_session(actor: User, session: LiveSession, data: SessionData, version: int) -> LiveSession:
    """Save an edit made on `version`. A calendar change raises SEQUENCE and mails the
    people signed up; a larger capacity promotes people waiting. Commits."""
    _lock(session)
    if session.version != version:
        db.session.rollback()
        raise ConflictError(str(_l("Someone else changed this session while you were editing. "
                                   "Your changes are shown below; check them and save again.")))
    if session.status == SessionStatus.CANCELLED:
        db.session.rollback()
        raise InvalidTransition(str(_l("This session has been cancelled and can no longer be changed.")))
    taken = registered_count(session.id)
    if data.capacity < taken:
        db.session.rollback()
        raise InvalidTransition(str(_l("%(num)d people have a place already: the capacity cannot be lower.",
                                       num=taken)))
    removed = [ics.RemovedPart(p.id, p.starts_at, p.ends_at) for p in list(session.parts)[len(data.parts):]]
    changed = _apply(session, data)
    session.version += 1
    if changed:
        session.ics_sequence += 1
        session.reminder_sent_at = None if session.starts_at and session.starts_at - REMINDER_BEFORE > utcnow() \
            else session.reminder_sent_at
        for registration in _people_with_a_place(session):
            _mail_place(registration, registration.user, session, kind="session_changed", removed=removed)
    _fill_places(session)
    record_event(AuditAction.SESSION_CHANGED, actor=actor, course=session.course_id, obj=session,
                 organisation=session.cohort.organisation_id if session.cohort else None,
                 details={"calendar_changed": changed, "capacity": data.capacity})
    db.session.commit()
    return session


def cancel_session(actor: User, session: LiveSession) -> int:
    """Cancel the session and mail everyone signed up or waiting (with the cancelled
    .ics for those with a place). Commits. Returns the number of mails."""
    _lock(session)
    if session.status == SessionStatus.CANCELLED:
        db.session.rollback()
        raise InvalidTransition(str(_l("This session has been cancelled already.")))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = utcnow()
    session.ics_sequence += 1
    session.version += 1
    people = db.session.scalars(
        sa.select(SessionRegistration)
        .where(SessionRegistration.session_id == session.id,
               SessionRegistration.status.in_([RegistrationStatus.REGISTERED, RegistrationStatus.WAITING]))
        .order_by(SessionRegistration.id)).all()
    for registration in people:
        mail = _mail(registration.user, session, _l("Cancelled: %(title)s", title=session.title),
                     "session_cancelled", kind="session_cancelled", registration=registration)
        if registration.status == RegistrationStatus.REGISTERED:
            _attach_ics(mail, session, with_link=True)
    record_event(AuditAction.SESSION_CANCELLED, actor=actor, course=session.course_id, obj=session,
                 organisation=session.cohort.organisation_id if session.cohort else None,
                 details={"mailed": len(people)})
    db.session.commit()
    return len(people)


def duplicate_session(actor: User, session: LiveSession, shift: timedelta | None = None) -> LiveSession:
    """A copy without sign-ups, whole weeks later: one week, or as many as it takes for
    sign-up to be open (copying last season's workshop gives one still to come). Commits."""
    if shift is None:
        behind = utcnow() - session.registration_deadline
        shift = timedelta(weeks=max(1, behind // timedelta(weeks=1) + 1))
    data = SessionData(
        title=session.title, place=session.place, online_url=session.online_url, capacity=session.capacity,
        registration_deadline=session.registration_deadline + shift, note=session.note,
        parts=tuple(PartData(p.starts_at + shift, p.ends_at + shift) for p in session.parts),
        trainer_ids=tuple(t.id for t in session.trainers), cohort_id=session.cohort_id)
    course = db.session.get(Course, session.course_id)
    return create_session(actor, course, data)


def _people_with_a_place(session: LiveSession) -> list[SessionRegistration]:
    return list(db.session.scalars(
        sa.select(SessionRegistration)
        .where(SessionRegistration.session_id == session.id,
               SessionRegistration.status == RegistrationStatus.REGISTERED)
        .order_by(SessionRegistration.id)))


# ---- mail -----------------------------------------------------------------------------


def _mail(user: User, session: LiveSession, subject, template: str, *, kind: str, **context):
    from .queries import display_parts

    return queue_mail(user.email, subject, template, kind=kind, locale=user.locale, recipient=user,
                      user=user, session=session, parts=display_parts(session),
                      link=external_url("live.detail", public_id=session.public_id), **context)


def _mail_place(registration: SessionRegistration, user: User, session: LiveSession, *, kind: str,
                removed=()):
    subjects = {
        "session_confirmed": _l("You are signed up: %(title)s", title=session.title),
        "session_promoted": _l("A place came free for you: %(title)s", title=session.title),
        "session_changed": _l("Changed: %(title)s", title=session.title),
    }
    mail = _mail(user, session, subjects[kind], kind, kind=kind, registration=registration)
    _attach_ics(mail, session, with_link=True, removed=removed)
    return mail


def _attach_ics(mail, session: LiveSession, *, with_link: bool, removed=()) -> None:
    db.session.flush()
    db.session.add(OutboxAttachment(mail_id=mail.id, filename="sessie.ics",
                                    content_type="text/calendar; method=PUBLISH; charset=utf-8",
                                    content=ics.calendar_for([session], with_link=with_link,
                                                             removed=removed).decode()))


def enrolled_in_course(user: User, course_id: int) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Enrolment.user_id == user.id,
                                                         Enrolment.course_id == course_id))) or False
