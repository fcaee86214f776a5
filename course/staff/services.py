"""Course staff: course trainers, course authors and the course's review setting.
Each public function is one unit of work and commits once."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError
from course.extensions import db
from course.models import (
    AuditAction,
    Course,
    CourseAuthor,
    CourseTrainer,
    Enrolment,
    Role,
    Submission,
    SubmissionStatus,
    User,
)


class NoSuchAccount(DomainError):
    """No usable account has this e-mail address."""


@dataclass
class CourseRow:
    course: Course
    trainers: int
    authors: int


def course_rows() -> list[CourseRow]:
    """Every course with its number of trainers and authors: one query."""
    trainers = (sa.select(sa.func.count()).select_from(CourseTrainer).where(CourseTrainer.course_id == Course.id)
                .correlate(Course).scalar_subquery())
    authors = (sa.select(sa.func.count()).select_from(CourseAuthor).where(CourseAuthor.course_id == Course.id)
               .correlate(Course).scalar_subquery())
    rows = db.session.execute(sa.select(Course, trainers, authors)
                              .order_by(Course.is_active.desc(), Course.title)).all()
    return [CourseRow(course, int(t), int(a)) for course, t, a in rows]


def load_course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug))


def course_trainers(course: Course) -> list[User]:
    return list(db.session.scalars(sa.select(User).join(CourseTrainer, CourseTrainer.user_id == User.id)
                                   .where(CourseTrainer.course_id == course.id).order_by(User.name, User.id)))


def course_authors(course: Course) -> list[User]:
    return list(db.session.scalars(sa.select(User).join(CourseAuthor, CourseAuthor.user_id == User.id)
                                   .where(CourseAuthor.course_id == course.id).order_by(User.name, User.id)))


def _account(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.is_active:
        raise NoSuchAccount(str(_l("There is no active account with this e-mail address. Ask the person to "
                                   "register first.")))
    return user


def add_course_trainer(course: Course, email: str, actor: User | None = None) -> tuple[User, bool]:
    """Appoint an existing account as trainer of the whole course. Reviewing needs the
    platform role trainer, so a learner account is promoted to trainer (an admin
    keeps their role). Returns (user, promoted)."""
    user = _account(email)
    promoted = not permissions.is_trainer(user)
    if promoted:
        user.role = Role.TRAINER
    if db.session.get(CourseTrainer, (course.id, user.id)) is None:
        db.session.add(CourseTrainer(course_id=course.id, user_id=user.id))
        record_event(AuditAction.COURSE_TRAINER_APPOINTED, actor=actor, subject=user, course=course,
                     details={"promoted": promoted})
    db.session.commit()
    return user, promoted


def _end_appointment(model, action: AuditAction, course: Course, user: User, actor: User | None) -> bool:
    """Delete the course's appointment row of `user` (CourseTrainer or CourseAuthor),
    recording `action`. True when there was one. Commits."""
    link = db.session.get(model, (course.id, user.id))
    if link is not None:
        db.session.delete(link)
        record_event(action, actor=actor, subject=user, course=course)
    db.session.commit()
    return link is not None


def remove_course_trainer(course: Course, user: User, actor: User | None = None) -> bool:
    """End the appointment (the platform role stays: they may train cohorts). True when there was one."""
    return _end_appointment(CourseTrainer, AuditAction.COURSE_TRAINER_REMOVED, course, user, actor)


def add_course_author(course: Course, email: str, actor: User | None = None) -> User:
    user = _account(email)
    if permissions.is_platform_admin(user):
        raise DomainError(str(_l("%(name)s is a platform admin, and platform admins are authors of every course "
                                 "already.", name=user.name)))
    if db.session.get(CourseAuthor, (course.id, user.id)) is None:
        db.session.add(CourseAuthor(course_id=course.id, user_id=user.id))
        record_event(AuditAction.COURSE_AUTHOR_APPOINTED, actor=actor, subject=user, course=course)
    db.session.commit()
    return user


def remove_course_author(course: Course, user: User, actor: User | None = None) -> bool:
    return _end_appointment(CourseAuthor, AuditAction.COURSE_AUTHOR_REMOVED, course, user, actor)


def set_course_trainers_see_cohorts(course: Course, value: bool, actor: User | None = None) -> None:
    if course.course_trainers_see_cohorts != bool(value):
        record_event(AuditAction.COURSE_SCOPE_CHANGED, actor=actor, course=course,
                     details={"course_trainers_see_cohorts": bool(value)})
    course.course_trainers_see_cohorts = bool(value)
    db.session.commit()


def waiting_without_trainer(course: Course) -> int:
    """Submitted work of this course that no appointed trainer sees ("zonder trainer")."""
    return db.session.scalar(
        sa.select(sa.func.count(Submission.id)).join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .where(Enrolment.course_id == course.id, Submission.status == SubmissionStatus.SUBMITTED,
               permissions.enrolments_without_trainer())) or 0


def reviewer_names(enrolment_ids: list[int]) -> dict[int, list[str]]:
    """{enrolment id: names of the appointed trainers who review it}, by the scope rule;
    an enrolment missing from the result is reviewed by the platform admins. One query."""
    if not enrolment_ids:
        return {}
    trainer = aliased(User)
    names: dict[int, list[str]] = {}
    for enrolment_id, name in db.session.execute(
        sa.select(Enrolment.id, trainer.name).join(trainer, permissions.trainer_reviews_enrolment(trainer))
        .where(Enrolment.id.in_(enrolment_ids))
        .order_by(Enrolment.id, trainer.name)
    ):
        names.setdefault(enrolment_id, []).append(name)
    return names
