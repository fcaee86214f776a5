"""What a progress page is about: one cohort ("groep") or one course ("cursus"), within
which a trainer sees only their own learners (permissions.enrolments_visible_to_trainer),
and the index of the scopes a trainer may open. `format_moment` is the day the CSV
exports write (the matrix and the grades).
"""
import functools
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from course import permissions
from course.extensions import db
from course.formatting import csv_days
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
)


@dataclass
class Scope:
    kind: str  # "groep" or "cursus"
    key: str  # Cohort.public_id or Course.slug
    course: Course
    cohort: Cohort | None
    title: str

    def enrolment_filter(self, user):
        """Filter on Enrolment: this scope's learners that `user` trains; the same object
        for the same scope and trainer (built once per process: it holds only ids)."""
        return _enrolment_filter(self.course.id, self.cohort.id if self.cohort is not None else None,
                                 permissions.TrainerKey.of(user))

    @property
    def modules(self) -> list[CourseModule]:
        return self.course.active_modules

    @property
    def filename_base(self) -> str:
        return self.cohort.public_id if self.cohort else self.course.slug


@functools.lru_cache(maxsize=2048)
def _enrolment_filter(course_id: int, cohort_id: int | None, trainer: permissions.TrainerKey):
    clauses = [Enrolment.course_id == course_id, permissions.enrolments_visible_to_trainer(trainer)]
    if cohort_id is not None:
        clauses.append(Enrolment.cohort_id == cohort_id)
    return sa.and_(*clauses)


def load_scope(user, kind: str, key: str) -> Scope | None:
    """The cohort or course, or None when it does not exist or is outside the trainer's scope."""
    if kind == "groep":
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.public_id == key)
                                   .options(joinedload(Cohort.course), joinedload(Cohort.organisation)))
        if cohort is None or not permissions.can_view_cohort_review(user, cohort):
            return None
        return Scope(kind, key, cohort.course, cohort, f"{cohort.name} · {cohort.organisation.name}")
    course = db.session.scalar(sa.select(Course).where(Course.slug == key))
    if course is None or not permissions.can_view_course_progress(user, course):
        return None
    return Scope(kind, key, course, None, course.title)


@dataclass
class ScopeLink:
    kind: str
    key: str
    title: str
    course_title: str


def scopes_for(user) -> list[ScopeLink]:
    """The courses and cohorts on the trainer's progress index."""
    courses = db.session.scalars(
        sa.select(Course).where(permissions.courses_reviewed_by(user, Course.id)).order_by(Course.title)
    ).all()
    cohorts = db.session.execute(
        sa.select(Cohort, Course.title).join(Course, Cohort.course_id == Course.id)
        .where(permissions.cohorts_reviewed_by(user)).options(selectinload(Cohort.organisation))
        .order_by(Course.title, Cohort.name)
    ).all()
    links = [ScopeLink("cursus", c.slug, c.title, c.title) for c in courses]
    links += [ScopeLink("groep", c.public_id, f"{c.name} ({c.organisation.name})", title) for c, title in cohorts]
    return links



def format_moment(moment: datetime | None) -> str:
    """A day for the CSV (2026-12-01), in the reader's time zone like the screen's short date."""
    return csv_days()(moment)
