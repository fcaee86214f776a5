"""Mijn badges: the trophy shelf, every badge a learner's courses offer, earned or still open."""
from dataclasses import dataclass, field

import sqlalchemy as sa

from course import permissions
from course.extensions import db
from course.models import Course, CourseModule, Enrolment

from .queries import COURSE_KEY


@dataclass
class ShelfSlot:
    """A badge place on the shelf: a module's (module set) or the course's (module None)."""

    title: str
    module: CourseModule | None = None
    assertion: object | None = None  # the learner's standing BadgeAssertion, None: still to earn


@dataclass
class ShelfRow:
    """One course on the shelf: every badge it offers, earned or still open."""

    course: Course
    slots: list[ShelfSlot] = field(default_factory=list)

    @property
    def earned(self) -> int:
        return sum(1 for slot in self.slots if slot.assertion is not None)


def trophy_shelf(user, assertions) -> list[ShelfRow]:
    """The courses the learner studies with a place per module badge (in module order) and
    one for the course badge; badge classes are made when first earned, so the places come
    from the modules: one query. `assertions`: the learner's badges, loaded by the page
    (a revoked one leaves its place open)."""
    mine = {(a.badge_class.course_id, a.badge_class.key): a for a in assertions if a.revoked_at is None}
    rows: dict[int, ShelfRow] = {}
    for course, module in db.session.execute(
        sa.select(Course, CourseModule).join(Enrolment, Enrolment.course_id == Course.id)
        .join(CourseModule, sa.and_(CourseModule.course_id == Course.id, CourseModule.is_active.is_(True)))
        .where(permissions.enrolments_studied_by(user))
        .order_by(Course.title, Course.id, CourseModule.position)
    ):
        row = rows.setdefault(course.id, ShelfRow(course))
        row.slots.append(ShelfSlot(module.title, module, mine.get((course.id, module.slug))))
    for row in rows.values():
        row.slots.append(ShelfSlot(row.course.title, None, mine.get((row.course.id, COURSE_KEY))))
    return list(rows.values())
