"""Invite links: a cohort's shared sign-up link with a seat cap and an end date."""
from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from course.errors import DomainError
from course.extensions import db
from course.models import (
    Cohort,
    Enrolment,
    InviteLink,
    User,
    utcnow,
)
from course.urls import external_url

from .cohorts import enrol_into_cohort
from .eligibility import (
    open_invitation_cohort,
)
from .seats import (
    lock_licence_of,
)
from .tokens import InvitationProblem, enrolment_problems, invite_link_token, load_signed


def invite_link_url(link: InviteLink) -> str:
    return external_url("org.join_link", token=invite_link_token(link))


def end_of_local_day(day: date) -> datetime:
    """23:59:59 of `day` where the organisations are (BABEL_DEFAULT_TIMEZONE), as naive
    UTC like every stored time: "valid until 1 January" then reads 1 January on the page."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "UTC")
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def create_invite_link(cohort: Cohort, seat_cap: int, expires_on: date, actor: User) -> InviteLink:
    expires_at = end_of_local_day(expires_on)
    if expires_at <= utcnow():
        raise DomainError(str(_l("The end date must not be in the past.")))
    link = InviteLink(cohort_id=cohort.id, seat_cap=seat_cap, created_by_id=actor.id if actor else None,
                      expires_at=expires_at)
    db.session.add(link)
    db.session.commit()
    return link


def revoke_invite_link(link: InviteLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
    db.session.commit()


def link_for_token(token: str) -> InviteLink:
    public_id = load_signed(token, "invite-link", "l")
    link = db.session.scalar(sa.select(InviteLink).where(InviteLink.public_id == public_id))
    if link is None:
        raise InvitationProblem("invalid")
    _link_state(link)
    return link


def _link_state(link: InviteLink) -> None:
    if link.revoked_at is not None:
        raise InvitationProblem("revoked")
    if link.expires_at <= utcnow():
        raise InvitationProblem("expired")
    if link.uses >= link.seat_cap:
        raise InvitationProblem("full")


def join_with_link(token: str, user: User) -> Enrolment:
    """Use one place of the link and one free seat, then enrol. One unit of work. The
    licence is locked first, so a link never takes a seat that an open personal
    invitation holds, and someone with such an invitation is sent to it instead."""
    link = link_for_token(token)
    cohort = link.cohort
    lock_licence_of(cohort)
    invited_to = open_invitation_cohort(cohort, user.email)
    if invited_to is not None:
        group = invited_to.name
        db.session.rollback()
        raise InvitationProblem("invited", str(_l(
            "You have a personal invitation to the group %(group)s for this course, and it holds your seat. "
            "Accept it through the link in the invitation e-mail instead.", group=group)))
    used = db.session.execute(
        sa.update(InviteLink)
        .where(InviteLink.id == link.id, InviteLink.uses < InviteLink.seat_cap,
               InviteLink.revoked_at.is_(None), InviteLink.expires_at > utcnow())
        .values(uses=InviteLink.uses + 1)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        db.session.rollback()
        _link_state(db.session.get(InviteLink, link.id))
        raise InvitationProblem("full")
    with enrolment_problems():
        enrolment = enrol_into_cohort(user, link.cohort, actor=user)
    db.session.commit()
    return enrolment


def join_with_link_new_account(token: str, name: str, email: str, password: str, locale: str = "nl") -> User:
    from course.auth.services import create_user

    link_for_token(token)
    user = create_user(email, name, password, locale=locale)  # EmailTaken propagates
    join_with_link(token, user)
    return user

