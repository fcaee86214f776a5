"""Personal invitations: send, accept (also with a new account), resend, withdraw.
The licence is locked before every check that promises a seat (see seats.py)."""
from __future__ import annotations

import logging
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from course.audit.services import record_event
from course.errors import DomainError, InvalidTransition, SeatLimitReached
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
    Cohort,
    Invitation,
    MembershipRole,
    Organisation,
    User,
    utcnow,
)
from course.urls import external_url

from .cohorts import enrol_into_cohort, ensure_membership
from .eligibility import (
    NO_FREE_SEAT,
    RowStatus,
    enrolment_states,
    open_invitation_cohort,
    validate_rows,
)
from .enrolment_files import check_row
from .seats import (
    free_seats,
    lock_licence_of,
)
from .tokens import InvitationProblem, enrolment_problems, invitation_token, load_signed

log = logging.getLogger(__name__)

def invitation_url(invitation: Invitation) -> str:
    return external_url("org.accept_invitation", token=invitation_token(invitation))


def create_invitation(organisation: Organisation, email: str, name: str = "", cohort: Cohort | None = None,
                      as_org_admin: bool = False, actor: User | None = None) -> Invitation:
    """Add a personal invitation and queue its mail. Never commits."""
    email = email.strip().lower()
    invitation = Invitation(
        organisation_id=organisation.id, cohort_id=cohort.id if cohort else None, email=email,
        name=(name or "").strip()[:120], as_org_admin=as_org_admin,
        invited_by_id=actor.id if actor else None,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    _queue_invitation_mail(invitation, organisation, cohort, actor)
    if as_org_admin:
        record_event(AuditAction.ORG_ADMIN_INVITED, actor=actor, organisation=organisation, obj=invitation)
    return invitation


def _queue_invitation_mail(invitation: Invitation, organisation: Organisation, cohort: Cohort | None,
                           actor: User | None) -> None:
    """Queue the invitation's mail with its signed link. Never commits."""
    existing = db.session.scalar(sa.select(User).where(User.email == invitation.email))
    if invitation.as_org_admin:
        subject = _l("You have been invited to manage %(org)s on Leerlijn", org=organisation.name)
        template, kind = "org_admin_invitation", "org_admin_invitation"
    else:
        subject = _l("You have been invited to the course %(course)s", course=cohort.course.title)
        template, kind = "org_invitation", "org_invitation"
    queue_mail(invitation.email, subject, template, kind=kind, locale=existing.locale if existing else "nl",
               invitation=invitation, organisation=organisation, cohort=cohort, link=invitation_url(invitation),
               inviter=actor, has_account=existing is not None, days=current_app.config["INVITATION_DAYS"])


def invite_one(cohort: Cohort, email: str, name: str, actor: User) -> Invitation:
    """Single invitation by e-mail: one unit of work. The licence is locked before the
    checks, so two admins cannot both promise the last seat or invite one address twice."""
    email = email.strip().lower()
    lock_licence_of(cohort)
    rows = validate_rows(cohort, [check_row(1, name.strip(), email)])
    status = rows[0]["status"]
    if not status.invitable:
        _refuse_invitation(cohort, email, status)
    invitation = create_invitation(cohort.organisation, email, name, cohort=cohort, actor=actor)
    db.session.commit()
    return invitation


def _refuse_invitation(cohort: Cohort, email: str, status: RowStatus) -> None:
    """Raise the message for a row that cannot be invited, releasing the licence lock."""
    other = open_invitation_cohort(cohort, email) if status == RowStatus.INVITED_ELSEWHERE else None
    group = other.name if other is not None else None
    db.session.rollback()
    if status == RowStatus.OVER_LIMIT:
        raise SeatLimitReached(str(NO_FREE_SEAT))
    if group is not None:
        raise DomainError(str(_l("%(email)s already has an open invitation to the group %(group)s of this "
                                 "course. One person holds one seat: withdraw that invitation first.",
                                 email=email, group=group)))
    raise DomainError(str(status.label))


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token names, or InvitationProblem (invalid/expired/revoked/used)."""
    public_id = load_signed(token, "invitation", "i")
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.public_id == public_id))
    if invitation is None:
        raise InvitationProblem("invalid")
    if invitation.revoked_at is not None:
        raise InvitationProblem("revoked")
    if invitation.accepted_at is not None:
        raise InvitationProblem("used")
    if invitation.expires_at <= utcnow():
        raise InvitationProblem("expired")
    return invitation


def accept_invitation(token: str, user: User) -> Invitation:
    """The logged-in user accepts: enrol into the cohort (or become organisation
    admin). Single use, also under concurrent clicks. One unit of work."""
    invitation = invitation_for_token(token)
    if user.email != invitation.email:
        raise InvitationProblem("other_address")
    if invitation.cohort is not None:
        # The licence before the invitation row, in the order every seat change locks them.
        lock_licence_of(invitation.cohort)
    claimed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvitationProblem("used")
    with enrolment_problems():
        if invitation.as_org_admin:
            record_event(AuditAction.ORG_ADMIN_INVITATION_ACCEPTED, actor=user, subject=user,
                         organisation=invitation.organisation_id, obj=invitation)
            ensure_membership(user, invitation.organisation_id, MembershipRole.ADMIN)
        else:
            enrol_into_cohort(user, invitation.cohort, actor=user, held_by_invitation=True)
    db.session.commit()
    db.session.refresh(invitation)
    return invitation


def accept_invitation_new_account(token: str, name: str, password: str, locale: str = "nl") -> User:
    """No account yet for the invited address: create it and accept, in one unit of work."""
    from course.auth.services import EmailTaken, create_user

    invitation = invitation_for_token(token)
    try:
        user = create_user(invitation.email, name, password, locale=locale)
    except EmailTaken as error:
        db.session.rollback()
        raise InvitationProblem("has_account") from error
    accept_invitation(token, user)
    return user


def _check_still_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvalidTransition(str(_l("%(email)s has already accepted this invitation.", email=invitation.email)))
    if invitation.revoked_at is not None:
        raise InvalidTransition(str(_l("The invitation to %(email)s has been withdrawn. Send a new invitation "
                                       "instead.", email=invitation.email)))


def resend_invitation(invitation: Invitation, actor: User) -> Invitation:
    """Mail an open (or expired) invitation again with a fresh expiry date. The link
    stays the same signed, single-use link. An expired invitation promises a seat
    again, so it needs a free one. One unit of work."""
    _check_still_open(invitation)
    cohort = invitation.cohort
    if cohort is not None:
        lock_licence_of(cohort)
        if enrolment_states(cohort, [invitation.email]).get(invitation.email) == RowStatus.ENROLLED:
            db.session.rollback()
            raise InvalidTransition(str(_l("%(email)s is already enrolled in this course; the invitation is no "
                                           "longer needed.", email=invitation.email)))
        if invitation.expires_at <= utcnow():
            _check_may_hold_again(cohort, invitation)
    _claim_open(invitation, expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]))
    _queue_invitation_mail(invitation, invitation.organisation, cohort, actor)
    log.info("Invitation %s resent by user %s", invitation.id, actor.id if actor else None)
    db.session.commit()
    return invitation


def _check_may_hold_again(cohort: Cohort, invitation: Invitation) -> None:
    """An expired invitation sent again holds a seat again: it needs a free one, and
    the address must not hold another open invitation to the course. Rolls back
    (releasing the licence lock) when it refuses."""
    other = open_invitation_cohort(cohort, invitation.email)
    if other is None and free_seats(cohort) > 0:
        return
    email = invitation.email
    same_group, group = (other.id == cohort.id, other.name) if other is not None else (False, None)
    db.session.rollback()
    if same_group:
        raise InvalidTransition(str(_l("%(email)s already has a newer open invitation to this group.", email=email)))
    if group is not None:
        raise InvalidTransition(str(_l("%(email)s already has an open invitation to the group %(group)s of this "
                                       "course. One person holds one seat: withdraw that invitation first.",
                                       email=email, group=group)))
    raise SeatLimitReached(str(NO_FREE_SEAT))


def revoke_invitation(invitation: Invitation, actor: User | None = None) -> None:
    """Withdraw an invitation that was not accepted: its link stops working and the
    seat it promised is free again. Withdrawing twice changes nothing. One unit of work."""
    if invitation.revoked_at is not None:
        return
    _check_still_open(invitation)
    _claim_open(invitation, revoked_at=utcnow())
    if invitation.as_org_admin:
        record_event(AuditAction.ORG_ADMIN_INVITATION_WITHDRAWN, actor=actor,
                     organisation=invitation.organisation_id, obj=invitation)
    db.session.commit()


def _claim_open(invitation: Invitation, **values) -> None:
    """Change an invitation only while nobody accepted or withdrew it: one conditional
    UPDATE, so a concurrent acceptance wins cleanly. Never commits."""
    changed = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
        .values(**values).execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:
        db.session.rollback()
        db.session.refresh(invitation)
        _check_still_open(invitation)
        raise InvalidTransition(str(_l("This invitation has just been changed. Reload the page and try again.")))
    db.session.refresh(invitation)
