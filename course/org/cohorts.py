"""Cohorts and who is in them: enrolling a learner (holding a seat), removing one
who has not started, and the cohort's trainers. Each public function that changes
state is one unit of work; `enrol_into_cohort` never commits."""
from __future__ import annotations

import logging
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError, SeatLimitReached
from course.extensions import db
from course.models import (
    AuditAction,
    Cohort,
    CohortTrainer,
    Course,
    CourseTrainer,
    Enrolment,
    EventKind,
    Membership,
    MembershipRole,
    ModuleProgress,
    Organisation,
    ProgressEvent,
    ProgressSummary,
    QuizAttempt,
    SeatLicence,
    User,
    utcnow,
)

from .seats import (
    licence_for,
    release_seat,
    take_seat,
)

log = logging.getLogger(__name__)


class AlreadyEnrolled(DomainError):
    pass


def ensure_membership(user: User, organisation_id: int, role: MembershipRole = MembershipRole.MEMBER) -> None:
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
    cohort.updated_at = utcnow()  # its learner count changed (the API's updated_since)
    db.session.flush()
    db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.ENROLLED,
                                 actor_id=actor.id if actor else user.id,
                                 data={"cohort": cohort.public_id}))
    ensure_membership(user, cohort.organisation_id)
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
    for model in (ProgressEvent, ModuleProgress, QuizAttempt, ProgressSummary):
        db.session.execute(sa.delete(model).where(model.enrolment_id == enrolment.id)
                           .execution_options(synchronize_session=False))
    release_seat(enrolment.seat_licence_id)
    if enrolment.cohort_id is not None:  # its learner count changed (the API's updated_since)
        db.session.execute(sa.update(Cohort).where(Cohort.id == enrolment.cohort_id).values(updated_at=utcnow())
                           .execution_options(synchronize_session=False))
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


def cohort_trainer_ids(cohort: Cohort) -> list[str]:
    return list(db.session.scalars(
        sa.select(User.public_id).join(CohortTrainer, CohortTrainer.user_id == User.id)
        .where(CohortTrainer.cohort_id == cohort.id)))
