"""Organisations enrol their teams: seats, cohorts, invitations, uploads, progress
and reminders. Each public function that changes state is one unit of work and
commits once; helpers that "never commit" are used inside those units.

Seats (seats.py): free = seats - used - held by open personal invitations. Every
change that grants or promises a seat locks the licence row first, then decides,
so concurrent link sign-ups, invitations and acceptances never overbook a licence
or take a held seat; the CHECK constraint on seat_licence backs it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, has_request_context, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError, InvalidTransition, SeatLimitReached
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
    BadgeAssertion,
    BadgeClass,
    Cohort,
    CohortTrainer,
    Course,
    CourseModule,
    CourseTrainer,
    Enrolment,
    EventKind,
    Invitation,
    InviteLink,
    Membership,
    MembershipRole,
    ModuleProgress,
    Organisation,
    ProgressEvent,
    QuizAttempt,
    SeatLicence,
    Submission,
    SubmissionStatus,
    UploadBatch,
    User,
    utcnow,
)

from .eligibility import (  # noqa: F401  re-exported for the views
    INVITABLE,
    NO_FREE_SEAT,
    ROW_STATUS_MESSAGES,
    enrolment_states,
    open_invitation_cohort,
    validate_rows,
)
from .enrolment_files import ParsedRow, check_row, parse_enrolment_file
from .seats import (  # noqa: F401  re-exported: callers use services.take_seat etc.
    free_seats,
    held_seats,
    licence_for,
    lock_licence,
    lock_licence_of,
    open_invitation_clause,
    release_seat,
    take_seat,
    today,
)

log = logging.getLogger(__name__)

REMINDER_INTERVAL = timedelta(days=7)
DEFAULT_INACTIVE_DAYS = 14


class AlreadyEnrolled(DomainError):
    pass


class InvitationProblem(DomainError):
    """An invitation or invite link that cannot be used. `reason` is one of
    invalid, expired, revoked, used, full, other_address, seats, enrolled."""

    def __init__(self, reason: str, message: str = ""):
        super().__init__(message or reason)
        self.reason = reason


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mail, from BASE_URL: works in requests and in CLI commands."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["BASE_URL"] + path


# ---- seats: see seats.py --------------------------------------------------

pending_invitations = held_seats  # the older name, kept for callers


# ---- enrolling -----------------------------------------------------------


def _ensure_membership(user: User, organisation_id: int, role: MembershipRole = MembershipRole.MEMBER) -> None:
    membership = db.session.scalar(
        sa.select(Membership).where(Membership.user_id == user.id, Membership.organisation_id == organisation_id)
    )
    if membership is None:
        db.session.add(Membership(user_id=user.id, organisation_id=organisation_id, role=role))
    elif role == MembershipRole.ADMIN and not permissions.is_admin_membership(membership):
        membership.role = MembershipRole.ADMIN


def enrol_into_cohort(user: User, cohort: Cohort, actor: User | None = None,
                      held_by_invitation: bool = False) -> Enrolment:
    """Enrol `user` into `cohort`, holding a seat of the organisation's licence: a
    free one, or the one their accepted invitation held. An existing enrolment in the
    course (self-enrolment, or another cohort of the same organisation) is attached
    instead of duplicated. Never commits."""
    licence = licence_for(cohort.organisation_id, cohort.course_id)
    if licence is None:
        raise SeatLimitReached(str(_l("Your organisation has no seats for this course.")))
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == cohort.course_id)
    )
    if enrolment is not None and enrolment.cohort_id == cohort.id:
        raise AlreadyEnrolled(str(_l("%(name)s is already in this group.", name=user.name)))
    other_org = enrolment is not None and enrolment.cohort is not None \
        and enrolment.cohort.organisation_id != cohort.organisation_id
    if other_org or (enrolment is not None and enrolment.seat_licence_id not in (None, licence.id)):
        raise AlreadyEnrolled(str(_l("%(name)s already follows this course through another organisation.",
                                     name=user.name)))
    if enrolment is None or enrolment.seat_licence_id is None:
        take_seat(licence.id, held_by_invitation=held_by_invitation)
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=cohort.course_id)
        db.session.add(enrolment)
    enrolment.cohort_id = cohort.id
    enrolment.seat_licence_id = licence.id
    db.session.flush()
    db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.ENROLLED,
                                 actor_id=actor.id if actor else user.id,
                                 data={"cohort": cohort.public_id}))
    _ensure_membership(user, cohort.organisation_id)
    return enrolment


class NotRemovable(DomainError):
    pass


def remove_learner(enrolment: Enrolment, actor: User) -> None:
    """Take a learner out of the cohort. Only before they started: their seat is freed.
    One unit of work."""
    if enrolment.started_at is not None:
        raise NotRemovable(str(_l("%(name)s has already started and cannot be removed: the seat is in use.",
                                  name=enrolment.user.name)))
    locked = db.session.execute(
        sa.delete(Enrolment).where(Enrolment.id == enrolment.id, Enrolment.started_at.is_(None))
        .execution_options(synchronize_session=False)
    )
    if locked.rowcount != 1:
        db.session.rollback()
        raise NotRemovable(str(_l("This learner has just started and can no longer be removed.")))
    record_event(AuditAction.LEARNER_REMOVED, actor=actor, subject=enrolment.user_id,
                 organisation=enrolment.cohort.organisation_id if enrolment.cohort else None,
                 course=enrolment.course_id, obj=enrolment.cohort)
    # The foreign keys cascade on PostgreSQL; SQLite does not enforce them, and it may
    # hand the freed id to the next enrolment, which would then inherit this history.
    for model in (ProgressEvent, ModuleProgress, QuizAttempt):
        db.session.execute(sa.delete(model).where(model.enrolment_id == enrolment.id)
                           .execution_options(synchronize_session=False))
    release_seat(enrolment.seat_licence_id)
    log.info("Enrolment %s removed by user %s", enrolment.id, actor.id)
    db.session.commit()


# ---- cohorts -------------------------------------------------------------


class TrainerNotAllowed(DomainError):
    """A chosen trainer is not one the platform allows for the cohort's course."""


def trainer_choices(course_ids, cohort: Cohort | None = None) -> list[tuple[User, set[int]]]:
    """The trainers an organisation admin may choose for a cohort of these courses:
    the course trainers the platform appointed (issue 17), plus whoever trains this
    cohort already (kept, so saving never drops them silently). Each with the ids of
    the courses they may train. Two queries."""
    allowed: dict[int, tuple[User, set[int]]] = {}
    rows = db.session.execute(
        sa.select(User, CourseTrainer.course_id).join(CourseTrainer, CourseTrainer.user_id == User.id)
        .where(CourseTrainer.course_id.in_(list(course_ids)), permissions.cohort_trainer_options(course_ids))
        .order_by(User.name, User.id))
    for user, course_id in rows:
        allowed.setdefault(user.id, (user, set()))[1].add(course_id)
    if cohort is not None and cohort.id is not None:
        for user in db.session.scalars(sa.select(User).join(CohortTrainer, CohortTrainer.user_id == User.id)
                                       .where(CohortTrainer.cohort_id == cohort.id)):
            allowed.setdefault(user.id, (user, set()))[1].add(cohort.course_id)
    return sorted(allowed.values(), key=lambda pair: (pair[0].name.lower(), pair[0].id))


def licensed_courses(organisation: Organisation) -> list[Course]:
    return list(db.session.scalars(
        sa.select(Course).join(SeatLicence, SeatLicence.course_id == Course.id)
        .where(SeatLicence.organisation_id == organisation.id, Course.is_active.is_(True))
        .order_by(Course.title)
    ))


def _set_trainers(cohort: Cohort, trainer_ids: list[str]) -> None:
    wanted = set(trainer_ids or [])
    allowed = {user.public_id: user for user, courses in trainer_choices([cohort.course_id], cohort)
               if cohort.course_id in courses}
    refused = wanted - set(allowed)
    if refused:
        raise TrainerNotAllowed(str(_l("Choose only trainers of this course. The platform admin appoints the "
                                       "trainers of a course.")))
    cohort.trainers = [allowed[public_id] for public_id in sorted(wanted)]


def create_cohort(organisation: Organisation, course: Course, name: str, starts_on: date | None = None,
                  target_on: date | None = None, trainer_ids: list[str] | None = None) -> Cohort:
    name = name.strip()
    if licence_for(organisation.id, course.id) is None:
        raise DomainError(str(_l("This organisation has no seats for this course.")))
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.organisation_id == organisation.id, Cohort.name == name)):
        raise DomainError(str(_l("There is already a group with this name.")))
    cohort = Cohort(organisation_id=organisation.id, course_id=course.id, name=name,
                    starts_on=starts_on, target_on=target_on)
    db.session.add(cohort)
    _set_trainers(cohort, trainer_ids or [])
    db.session.commit()
    return cohort


def update_cohort(cohort: Cohort, name: str, starts_on: date | None, target_on: date | None,
                  trainer_ids: list[str]) -> Cohort:
    name = name.strip()
    clash = db.session.scalar(sa.select(Cohort.id).where(
        Cohort.organisation_id == cohort.organisation_id, Cohort.name == name, Cohort.id != cohort.id))
    if clash:
        raise DomainError(str(_l("There is already a group with this name.")))
    cohort.name, cohort.starts_on, cohort.target_on = name, starts_on, target_on
    _set_trainers(cohort, trainer_ids)
    db.session.commit()
    return cohort


@dataclass
class OrganisationSummary:
    organisation: Organisation
    licences: list[SeatLicence]
    cohorts: list[tuple[Cohort, int]]  # (cohort, learner count)


def organisation_summaries(org_filter) -> list[OrganisationSummary]:
    """The organisation landing page in three queries, however many organisations."""
    orgs = list(db.session.scalars(sa.select(Organisation).where(org_filter).order_by(Organisation.name)))
    ids = [o.id for o in orgs] or [-1]
    licences = db.session.scalars(
        sa.select(SeatLicence).where(SeatLicence.organisation_id.in_(ids))
        .options(sa.orm.joinedload(SeatLicence.course))
    ).all()
    counts = (sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == Cohort.id)
              .correlate(Cohort).scalar_subquery())
    cohorts = db.session.execute(
        sa.select(Cohort, counts).where(Cohort.organisation_id.in_(ids))
        .options(sa.orm.joinedload(Cohort.course)).order_by(Cohort.name)
    ).all()
    result = []
    for org in orgs:
        result.append(OrganisationSummary(
            organisation=org,
            licences=[lic for lic in licences if lic.organisation_id == org.id],
            cohorts=[(c, n) for c, n in cohorts if c.organisation_id == org.id],
        ))
    return result


# ---- invitations ---------------------------------------------------------


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def invitation_token(invitation: Invitation) -> str:
    return _serializer("invitation").dumps({"i": invitation.public_id})


def invite_link_token(link: InviteLink) -> str:
    return _serializer("invite-link").dumps({"l": link.public_id})


def invitation_url(invitation: Invitation) -> str:
    return external_url("org.accept_invitation", token=invitation_token(invitation))


def invite_link_url(link: InviteLink) -> str:
    return external_url("org.join_link", token=invite_link_token(link))


def _load_signed(token: str, salt: str, key: str) -> str:
    try:
        data = _serializer(salt).loads(token)
    except BadSignature as error:
        raise InvitationProblem("invalid") from error
    if not isinstance(data, dict) or not isinstance(data.get(key), str):
        raise InvitationProblem("invalid")
    return data[key]


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
    if status not in INVITABLE:
        _refuse_invitation(cohort, email, status)
    invitation = create_invitation(cohort.organisation, email, name, cohort=cohort, actor=actor)
    db.session.commit()
    return invitation


def _refuse_invitation(cohort: Cohort, email: str, status: str) -> None:
    """Raise the message for a row that cannot be invited, releasing the licence lock."""
    other = open_invitation_cohort(cohort, email) if status == "invited_elsewhere" else None
    group = other.name if other is not None else None
    db.session.rollback()
    if status == "over_limit":
        raise SeatLimitReached(str(NO_FREE_SEAT))
    if group is not None:
        raise DomainError(str(_l("%(email)s already has an open invitation to the group %(group)s of this "
                                 "course. One person holds one seat: withdraw that invitation first.",
                                 email=email, group=group)))
    raise DomainError(str(ROW_STATUS_MESSAGES[status]))


def invitation_for_token(token: str) -> Invitation:
    """The invitation a token names, or InvitationProblem (invalid/expired/revoked/used)."""
    public_id = _load_signed(token, "invitation", "i")
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
    try:
        if invitation.as_org_admin:
            record_event(AuditAction.ORG_ADMIN_INVITATION_ACCEPTED, actor=user, subject=user,
                         organisation=invitation.organisation_id, obj=invitation)
            _ensure_membership(user, invitation.organisation_id, MembershipRole.ADMIN)
        else:
            enrol_into_cohort(user, invitation.cohort, actor=user, held_by_invitation=True)
    except SeatLimitReached as error:
        db.session.rollback()
        raise InvitationProblem("seats", error.message) from error
    except AlreadyEnrolled as error:
        db.session.rollback()
        raise InvitationProblem("enrolled", error.message) from error
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
        if enrolment_states(cohort, [invitation.email]).get(invitation.email) == "enrolled":
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


# ---- invite links --------------------------------------------------------


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
    public_id = _load_signed(token, "invite-link", "l")
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
    try:
        enrolment = enrol_into_cohort(user, link.cohort, actor=user)
    except SeatLimitReached as error:
        db.session.rollback()
        raise InvitationProblem("seats", error.message) from error
    except AlreadyEnrolled as error:
        db.session.rollback()
        raise InvitationProblem("enrolled", error.message) from error
    db.session.commit()
    return enrolment


def join_with_link_new_account(token: str, name: str, email: str, password: str, locale: str = "nl") -> User:
    from course.auth.services import create_user

    link_for_token(token)
    user = create_user(email, name, password, locale=locale)  # EmailTaken propagates
    join_with_link(token, user)
    return user


def cohort_links(cohort: Cohort) -> list[InviteLink]:
    return list(db.session.scalars(
        sa.select(InviteLink).where(InviteLink.cohort_id == cohort.id).order_by(InviteLink.created_at.desc())
    ))


INVITATIONS_PER_PAGE = 50


@dataclass
class InvitationPage:
    """One page of a list, with what the page links need."""

    items: list[Invitation]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def cohort_invitations(cohort: Cohort, page: int = 1, per_page: int = INVITATIONS_PER_PAGE) -> InvitationPage:
    """One page of the cohort's invitations that were neither accepted nor withdrawn
    (open or expired), newest first. One query: the total rides along as a window
    count (a second one only for a page past the end)."""
    page = max(page or 1, 1)
    where = (Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    rows = db.session.execute(
        sa.select(Invitation, sa.func.count().over().label("total")).where(*where)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(*where)) or 0
    return InvitationPage(items=[row[0] for row in rows], page=page, per_page=per_page, total=total)


# ---- uploads -------------------------------------------------------------

def preview_upload(cohort: Cohort, filename: str, data: bytes, actor: User) -> UploadBatch:
    """Read the file (FileProblem on junk), validate every row and keep the result
    for confirmation. Nothing is sent yet. One unit of work."""
    parsed = parse_enrolment_file(filename, data)
    batch = UploadBatch(cohort_id=cohort.id, created_by_id=actor.id, filename=(filename or "")[:255],
                        rows=validate_rows(cohort, parsed))
    db.session.add(batch)
    db.session.commit()
    return batch


def confirm_upload(batch: UploadBatch, actor: User) -> tuple[int, int]:
    """Send the invitations of every row that is (still) valid, all in one transaction.
    A second confirmation is refused. Returns (invited, skipped)."""
    claimed = db.session.execute(
        sa.update(UploadBatch).where(UploadBatch.id == batch.id, UploadBatch.confirmed_at.is_(None))
        .values(confirmed_at=utcnow()).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise InvalidTransition(str(_l("This file has already been confirmed; the invitations were sent.")))
    cohort = batch.cohort
    lock_licence_of(cohort)  # the rows are checked again, under the lock, before they hold seats
    parsed = [ParsedRow(line=r["line"], name=r["name"], email=r["email"], problems=list(r.get("problems", [])))
              for r in batch.rows or []]
    rows = validate_rows(cohort, parsed)
    invited = 0
    for row in rows:
        if row["status"] in INVITABLE:
            create_invitation(cohort.organisation, row["email"], row["name"], cohort=cohort, actor=actor)
            invited += 1
    db.session.commit()
    return invited, len(rows) - invited


def upload_counts(rows: list[dict]) -> dict[str, int]:
    """Rows per status, plus "invitable": the rows confirming will invite."""
    counts = dict.fromkeys(ROW_STATUS_MESSAGES, 0)
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    counts["invitable"] = sum(counts[status] for status in INVITABLE)
    return counts


# ---- team progress (progress only: never texts or answers) --------------

PROGRESS_FILTERS = ("", "not_started", "in_progress", "completed", "inactive", "waiting")


@dataclass
class LearnerRow:
    enrolment: Enrolment
    user: User
    modules_completed: int
    badges: int
    waiting_on_trainer: bool

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None


def module_count(course_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CourseModule.id)).where(CourseModule.course_id == course_id,
                                                         CourseModule.is_active.is_(True))
    ) or 0


def _waiting_clause():
    return sa.exists().where(Submission.enrolment_id == Enrolment.id,
                             Submission.status == SubmissionStatus.SUBMITTED)


def team_progress(cohort: Cohort, status: str = "", search: str = "",
                  inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[LearnerRow]:
    """One row per learner in one query: enrolled on, started, modules completed,
    badges, last activity. Filters: status and a name/e-mail search."""
    completed = (sa.select(sa.func.count(ModuleProgress.id))
                 .where(ModuleProgress.enrolment_id == Enrolment.id, ModuleProgress.completed_at.is_not(None))
                 .correlate(Enrolment).scalar_subquery())
    badges = (sa.select(sa.func.count(BadgeAssertion.id))
              .join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
              .where(BadgeAssertion.user_id == Enrolment.user_id, BadgeClass.course_id == Enrolment.course_id,
                     BadgeAssertion.revoked_at.is_(None))
              .correlate(Enrolment).scalar_subquery())
    waiting = _waiting_clause()
    query = (sa.select(Enrolment, User, completed, badges, waiting)
             .join(User, Enrolment.user_id == User.id)
             .where(Enrolment.cohort_id == cohort.id)
             .order_by(User.name, User.id))
    if status == "not_started":
        query = query.where(Enrolment.started_at.is_(None))
    elif status == "in_progress":
        query = query.where(Enrolment.started_at.is_not(None), Enrolment.completed_at.is_(None))
    elif status == "completed":
        query = query.where(Enrolment.completed_at.is_not(None))
    elif status == "inactive":
        cutoff = utcnow() - timedelta(days=max(inactive_days, 0))
        query = query.where(Enrolment.completed_at.is_(None),
                            sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at) < cutoff)
    elif status == "waiting":
        query = query.where(waiting)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern)))
    return [LearnerRow(e, u, c or 0, b or 0, bool(w)) for e, u, c, b, w in db.session.execute(query).all()]


@dataclass
class ModuleStatus:
    module: CourseModule
    read: bool
    quiz_passed: bool
    assignment: str  # "none" | submission status value
    completed_at: datetime | None


def learner_progress(enrolment: Enrolment) -> tuple[list[ModuleStatus], list[BadgeAssertion]]:
    """Per module: read, quiz passed, assignment state, completed. Statuses only:
    no quiz answers, no submission texts. Three queries."""
    modules = db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == enrolment.course_id,
                                      CourseModule.is_active.is_(True)).order_by(CourseModule.position)
    ).all()
    progress = {p.module_id: p for p in db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))}
    states = dict(db.session.execute(
        sa.select(Submission.module_id, Submission.status).where(Submission.enrolment_id == enrolment.id)).all())
    rows = []
    for module in modules:
        p = progress.get(module.id)
        state = states.get(module.id)
        rows.append(ModuleStatus(
            module=module, read=bool(p and p.read_at), quiz_passed=bool(p and p.quiz_passed_at),
            assignment=(state.value if hasattr(state, "value") else state) or "none",
            completed_at=p.completed_at if p else None))
    badges = db.session.scalars(
        sa.select(BadgeAssertion).join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
        .where(BadgeAssertion.user_id == enrolment.user_id, BadgeClass.course_id == enrolment.course_id,
               BadgeAssertion.revoked_at.is_(None))
        .options(sa.orm.joinedload(BadgeAssertion.badge_class)).order_by(BadgeAssertion.issued_at)
    ).all()
    return rows, list(badges)


def progress_export_rows(cohort: Cohort, rows: list[LearnerRow], total_modules: int) -> tuple[list, list]:
    header = [str(_l("Name")), str(_l("E-mail address")), str(_l("Group")), str(_l("Enrolled on")),
              str(_l("Started on")), str(_l("Modules completed")), str(_l("Badges")),
              str(_l("Last activity")), str(_l("Completed on")), str(_l("Waiting for the trainer"))]
    body = [[r.user.name, r.user.email, cohort.name, r.enrolment.enrolled_at.date(),
             r.enrolment.started_at.date() if r.enrolment.started_at else "",
             f"{r.modules_completed}/{total_modules}", r.badges,
             r.enrolment.last_activity_at.date() if r.enrolment.last_activity_at else "",
             r.enrolment.completed_at.date() if r.enrolment.completed_at else "",
             str(_l("yes")) if r.waiting_on_trainer else str(_l("no"))] for r in rows]
    return header, body


# ---- reminders -----------------------------------------------------------


def inactive_days_setting() -> int:
    return int(current_app.config.get("REMINDER_INACTIVE_DAYS", DEFAULT_INACTIVE_DAYS))


def reminder_candidates(cohort: Cohort | None = None, inactive_days: int | None = None,
                        now: datetime | None = None):
    """Cohort learners inactive for more than N days, not completed, not waiting on
    their trainer, and not reminded in the past week."""
    now = now or utcnow()
    days = inactive_days_setting() if inactive_days is None else inactive_days
    activity = sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at)
    query = (sa.select(Enrolment).join(User, Enrolment.user_id == User.id)
             .where(Enrolment.cohort_id.is_not(None), Enrolment.completed_at.is_(None),
                    activity < now - timedelta(days=days),
                    sa.or_(Enrolment.last_reminded_at.is_(None), Enrolment.last_reminded_at <= now - REMINDER_INTERVAL),
                    ~_waiting_clause(), User.is_active_account.is_(True), User.erased_at.is_(None))
             .options(sa.orm.joinedload(Enrolment.user), sa.orm.joinedload(Enrolment.course),
                      sa.orm.joinedload(Enrolment.cohort).joinedload(Cohort.organisation))
             .order_by(Enrolment.id))
    if cohort is not None:
        query = query.where(Enrolment.cohort_id == cohort.id)
    return query


def send_reminders(cohort: Cohort | None = None, actor: User | None = None, inactive_days: int | None = None,
                   now: datetime | None = None) -> int:
    """Queue a reminder for every candidate. The week rule is a conditional UPDATE,
    so the button and the cron job together still send one per week. One unit of work."""
    now = now or utcnow()
    sent = 0
    for enrolment in db.session.scalars(reminder_candidates(cohort, inactive_days, now)).unique().all():
        claimed = db.session.execute(
            sa.update(Enrolment)
            .where(Enrolment.id == enrolment.id,
                   sa.or_(Enrolment.last_reminded_at.is_(None), Enrolment.last_reminded_at <= now - REMINDER_INTERVAL))
            .values(last_reminded_at=now).execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        user = enrolment.user
        link = external_url("learn.my_learning")
        queue_mail(user.email, _l("Continue with %(course)s", course=enrolment.course.title), "org_reminder",
                   kind="org_reminder", locale=user.locale, user=user, course=enrolment.course,
                   organisation=enrolment.cohort.organisation, link=link)
        db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.REMINDER_SENT,
                                     actor_id=actor.id if actor else None, data={}))
        sent += 1
    db.session.commit()
    return sent


# ---- lookups scoped to what the user administers ------------------------


def cohort_trainer_ids(cohort: Cohort) -> list[str]:
    return list(db.session.scalars(
        sa.select(User.public_id).join(CohortTrainer, CohortTrainer.user_id == User.id)
        .where(CohortTrainer.cohort_id == cohort.id)))
