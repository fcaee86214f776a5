"""Platform administration: in-company requests, organisations, seats, organisation
admins and trainers. Each public function is one unit of work and commits once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError, InvalidTransition
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
    Cohort,
    Course,
    InCompanyRequest,
    Invitation,
    Membership,
    MembershipRole,
    Organisation,
    RequestStatus,
    Role,
    SeatLicence,
    User,
    utcnow,
)
from course.org.invitations import create_invitation, resend_invitation, revoke_invitation
from course.org.seats import held_seats, licence_for, lock_licence
from course.urls import external_url


def convert_request(request: InCompanyRequest, seats: int, ends_on: date | None, actor: User,
                    organisation_name: str | None = None, plan=None) -> Organisation:
    """One action: organisation + seat licence + an organisation-admin invitation for the contact.
    `organisation_name` overrides the requested name (when that name is taken). With a
    `plan` (course.attendance.incompany.SessionPlan) the same action also creates the
    cohort and its live sessions (issue 13)."""
    if request.status != RequestStatus.NEW:
        raise InvalidTransition(str(_l("This request has already been handled.")))
    name = (organisation_name or "").strip() or request.organisation_name
    organisation = _new_organisation(name, request.contact_name, request.email)
    licence = SeatLicence(organisation_id=organisation.id, course_id=request.course_id, seats=seats, ends_on=ends_on)
    db.session.add(licence)
    _audit_seats(licence, actor, previous=0)
    if plan is not None:
        from course.attendance.incompany import create_cohort_with_sessions

        create_cohort_with_sessions(request, organisation, plan, seats, actor)
    create_invitation(organisation, request.email, request.contact_name, as_org_admin=True, actor=actor)
    request.status = RequestStatus.CONVERTED
    request.organisation_id = organisation.id
    db.session.commit()
    return organisation


def decline_request(request: InCompanyRequest) -> None:
    if request.status != RequestStatus.NEW:
        raise InvalidTransition(str(_l("This request has already been handled.")))
    request.status = RequestStatus.DECLINED
    db.session.commit()


def _new_organisation(name: str, contact_name: str | None, contact_email: str | None) -> Organisation:
    name = name.strip()
    if db.session.scalar(sa.select(Organisation.id).where(sa.func.lower(Organisation.name) == name.lower())):
        raise DomainError(str(_l("An organisation with this name already exists.")))
    organisation = Organisation(name=name, contact_name=(contact_name or "").strip() or None,
                                contact_email=(contact_email or "").strip().lower() or None)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def create_organisation(name: str, contact_name: str | None = None, contact_email: str | None = None) -> Organisation:
    organisation = _new_organisation(name, contact_name, contact_email)
    db.session.commit()
    return organisation


def _check_seats_cover_promises(licence: SeatLicence, seats: int) -> None:
    """Refuse (rolling back, so the licence lock is released) fewer seats than used + held."""
    used, held = licence.seats_used, held_seats(licence.organisation_id, licence.course_id)
    if seats >= used + held:
        return
    db.session.rollback()
    if held == 0:
        raise DomainError(str(_l("%(used)d seats are in use; the licence cannot have fewer seats than that.",
                                 used=used)))
    raise DomainError(str(_l("Seats in use: %(used)d; held by open invitations: %(held)d. The licence cannot have "
                             "fewer than %(total)d seats. Withdraw open invitations first.",
                             used=used, held=held, total=used + held)))


def set_seats(organisation: Organisation, course: Course, seats: int, ends_on: date | None,
              actor: User | None = None) -> SeatLicence:
    """Create or change the licence. Never fewer seats than are in use or held by
    open invitations (their recipients were promised a seat)."""
    licence = licence_for(organisation.id, course.id)
    previous = 0 if licence is None else licence.seats
    if licence is None:
        licence = SeatLicence(organisation_id=organisation.id, course_id=course.id, seats=seats, seats_used=0)
        db.session.add(licence)
    else:
        lock_licence(licence.id)
        db.session.refresh(licence)
        _check_seats_cover_promises(licence, seats)
    licence.seats = seats
    licence.ends_on = ends_on
    _audit_seats(licence, actor, previous)
    db.session.commit()
    return licence


def _audit_seats(licence: SeatLicence, actor: User | None, previous: int) -> None:
    record_event(AuditAction.SEATS_CHANGED, actor=actor, organisation=licence.organisation_id,
                 course=licence.course_id, obj=licence,
                 details={"seats": licence.seats, "previous": previous,
                          "ends_on": licence.ends_on.isoformat() if licence.ends_on else None})


def appoint_org_admin(organisation: Organisation, email: str, name: str, actor: User) -> str:
    """An existing account becomes admin at once; otherwise an invitation is mailed.
    Returns "appointed" or "invited"."""
    email = email.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        create_invitation(organisation, email, name, as_org_admin=True, actor=actor)
        db.session.commit()
        return "invited"
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id))
    if membership is None:
        db.session.add(Membership(user_id=user.id, organisation_id=organisation.id, role=MembershipRole.ADMIN))
    else:
        membership.role = MembershipRole.ADMIN
    record_event(AuditAction.ORG_ADMIN_APPOINTED, actor=actor, subject=user, organisation=organisation)
    link = external_url("org.overview")
    queue_mail(user.email, _l("You now manage %(org)s on Leerlijn", org=organisation.name), "org_admin_appointed",
               kind="org_admin_appointed", locale=user.locale, user=user, organisation=organisation, link=link)
    db.session.commit()
    return "appointed"


def remove_org_admin(organisation: Organisation, user: User, actor: User | None = None) -> None:
    membership = db.session.scalar(sa.select(Membership).where(
        Membership.user_id == user.id, Membership.organisation_id == organisation.id))
    if permissions.is_admin_membership(membership):
        membership.role = MembershipRole.MEMBER
        record_event(AuditAction.ORG_ADMIN_REMOVED, actor=actor, subject=user, organisation=organisation)
    db.session.commit()


def appoint_trainer(email: str, actor: User | None = None) -> User:
    """Give an existing account the platform role trainer."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise DomainError(str(_l("There is no account with this e-mail address. Ask the trainer to register "
                                 "first.")))
    if not permissions.is_trainer(user):
        user.role = Role.TRAINER
        record_event(AuditAction.TRAINER_APPOINTED, actor=actor, subject=user)
    db.session.commit()
    return user


def trainers() -> list[User]:
    return list(db.session.scalars(sa.select(User).where(permissions.trainer_accounts()).order_by(User.name)))


# ---- lists ---------------------------------------------------------------


@dataclass
class OrganisationRow:
    organisation: Organisation
    seats: int
    seats_used: int
    cohorts: int
    admins: int


def organisation_rows() -> list[OrganisationRow]:
    """The organisations list with seat usage, in one query."""
    seats = (sa.select(sa.func.coalesce(sa.func.sum(SeatLicence.seats), 0))
             .where(SeatLicence.organisation_id == Organisation.id).correlate(Organisation).scalar_subquery())
    used = (sa.select(sa.func.coalesce(sa.func.sum(SeatLicence.seats_used), 0))
            .where(SeatLicence.organisation_id == Organisation.id).correlate(Organisation).scalar_subquery())
    cohorts = (sa.select(sa.func.count(Cohort.id)).where(Cohort.organisation_id == Organisation.id)
               .correlate(Organisation).scalar_subquery())
    admins = (sa.select(sa.func.count(Membership.id))
              .where(Membership.organisation_id == Organisation.id, permissions.organisation_admin_memberships())
              .correlate(Organisation).scalar_subquery())
    result = db.session.execute(sa.select(Organisation, seats, used, cohorts, admins).order_by(Organisation.name))
    return [OrganisationRow(o, int(s), int(u), int(c), int(a)) for o, s, u, c, a in result.all()]


def organisation_detail(organisation: Organisation) -> dict:
    licences = db.session.scalars(
        sa.select(SeatLicence).where(SeatLicence.organisation_id == organisation.id)
        .options(sa.orm.joinedload(SeatLicence.course))).all()
    admins = db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation.id, permissions.organisation_admin_memberships())
        .order_by(User.name)).all()
    pending = db.session.scalars(
        sa.select(Invitation).where(Invitation.organisation_id == organisation.id,
                                    Invitation.as_org_admin.is_(True), Invitation.accepted_at.is_(None),
                                    Invitation.revoked_at.is_(None))
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())).all()
    return {"licences": licences, "admins": admins, "pending_admins": pending, "now": utcnow()}


def resend_admin_invitation(invitation: Invitation, actor: User) -> Invitation:
    """Mail a pending organisation-admin invitation again with a new expiry date (the
    same signed, single-use link). One unit of work."""
    return resend_invitation(invitation, actor)


def revoke_admin_invitation(invitation: Invitation, actor: User | None = None) -> None:
    """Withdraw a pending organisation-admin invitation: its link stops working. One unit of work."""
    revoke_invitation(invitation, actor)


def requests_list(status: str | None = None) -> list[InCompanyRequest]:
    query = sa.select(InCompanyRequest).options(sa.orm.joinedload(InCompanyRequest.course)) \
        .order_by(InCompanyRequest.created_at.desc())
    if status:
        query = query.where(InCompanyRequest.status == status)
    return list(db.session.scalars(query))


def active_courses() -> list[Course]:
    return list(db.session.scalars(sa.select(Course).where(Course.is_active.is_(True)).order_by(Course.title)))


def new_request_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))
                             .where(InCompanyRequest.status == RequestStatus.NEW)) or 0
