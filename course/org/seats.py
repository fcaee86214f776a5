"""Seats of an organisation's licence: used, held and free.

    free = seats - used - held

`used` is the counter on seat_licence (one per enrolment that holds a seat);
`held` is the number of open personal invitations (not accepted, not withdrawn,
not expired) into the organisation's cohorts of the course. A held seat is
promised: invite links and new invitations may only use free seats, so accepting
a personal invitation always finds its seat.

Race safety: every change that grants or promises a seat first locks the licence
row (`lock_licence`, a no-op UPDATE), then counts and decides. On PostgreSQL the
row lock serialises them and, in READ COMMITTED, each statement after the lock
sees what the previous holder committed; on SQLite the UPDATE takes the database's
write lock (the reads before it run outside a transaction). The CHECK constraint on
seat_licence stays the last line against overbooking. Nothing here commits.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.errors import SeatLimitReached
from course.extensions import db
from course.models import Cohort, Invitation, SeatLicence, utcnow


def today():
    return utcnow().date()


def licence_for(organisation_id: int, course_id: int) -> SeatLicence | None:
    return db.session.scalar(
        sa.select(SeatLicence).where(SeatLicence.organisation_id == organisation_id,
                                     SeatLicence.course_id == course_id)
    )


def lock_licence(licence_id: int | None) -> None:
    """Serialise seat decisions on this licence until the transaction ends. Never commits."""
    if licence_id is None:
        return
    db.session.execute(
        sa.update(SeatLicence).where(SeatLicence.id == licence_id)
        .values(seats_used=SeatLicence.seats_used)
        .execution_options(synchronize_session=False)
    )


def lock_licence_of(cohort: Cohort) -> SeatLicence | None:
    licence = licence_for(cohort.organisation_id, cohort.course_id)
    lock_licence(licence.id if licence else None)
    return licence


def open_invitation_clause():
    """Filter on Invitation: open, so it holds a seat."""
    return sa.and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None),
                   Invitation.expires_at > utcnow())


def held_seats(organisation_id: int, course_id: int) -> int:
    """Open personal invitations into this organisation's cohorts of this course."""
    return db.session.scalar(
        sa.select(sa.func.count(Invitation.id)).join(Cohort, Invitation.cohort_id == Cohort.id)
        .where(Cohort.organisation_id == organisation_id, Cohort.course_id == course_id,
               open_invitation_clause())
    ) or 0


def _licence_is_running(licence: SeatLicence | None) -> bool:
    return licence is not None and (licence.ends_on is None or licence.ends_on >= today())


def free_seats(cohort: Cohort) -> int:
    """Seats still free: not used and not held by an open invitation."""
    licence = licence_for(cohort.organisation_id, cohort.course_id)
    if not _licence_is_running(licence):
        return 0
    return max(licence.seats - licence.seats_used - held_seats(cohort.organisation_id, cohort.course_id), 0)


def take_seat(licence_id: int, held_by_invitation: bool = False) -> None:
    """Take one seat, or raise SeatLimitReached. Without an invitation only a free
    seat will do (none that an open invitation holds). An accepted invitation uses
    the seat it held: any seat not used. Locks the licence first (see the module
    docstring). Never commits."""
    lock_licence(licence_id)
    held = 0
    if not held_by_invitation:
        licence = db.session.get(SeatLicence, licence_id, populate_existing=True)
        held = held_seats(licence.organisation_id, licence.course_id) if licence else 0
    result = db.session.execute(
        sa.update(SeatLicence)
        .where(SeatLicence.id == licence_id, SeatLicence.seats_used + held < SeatLicence.seats,
               sa.or_(SeatLicence.ends_on.is_(None), SeatLicence.ends_on >= today()))
        .values(seats_used=SeatLicence.seats_used + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise SeatLimitReached(str(_l("All seats for this course have been taken, or the licence has ended. "
                                      "Ask your organisation for more seats.")))
    _expire(SeatLicence, licence_id)


def release_seat(licence_id: int | None) -> None:
    """Give one seat back."""
    if licence_id is None:
        return
    db.session.execute(
        sa.update(SeatLicence)
        .where(SeatLicence.id == licence_id, SeatLicence.seats_used > 0)
        .values(seats_used=SeatLicence.seats_used - 1)
        .execution_options(synchronize_session=False)
    )
    _expire(SeatLicence, licence_id)


def _expire(model, row_id: int) -> None:
    obj = db.session.identity_map.get(sa.inspect(model).identity_key_from_primary_key((row_id,)))
    if obj is not None:
        db.session.expire(obj)
