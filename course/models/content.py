"""Course content as loaded from modules/. Learner data refers to these rows,
which are keyed by stable slugs: reloading edited files updates them in place."""
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, utcnow

if TYPE_CHECKING:
    from course.content.model import Assignment, Quiz


class Course(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True, index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    tagline: Mapped[str] = mapped_column(sa.String(300), default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    audience_html: Mapped[str] = mapped_column(sa.Text, default="")
    takeaways: Mapped[list] = mapped_column(sa.JSON, default=list)
    language: Mapped[str] = mapped_column(sa.String(5), default="nl")
    study_hours: Mapped[int] = mapped_column(default=0)
    accreditation_points: Mapped[int | None]
    accreditation_id: Mapped[str | None] = mapped_column(sa.String(80))
    accreditation_body: Mapped[str | None] = mapped_column(sa.String(120))
    sequential: Mapped[bool] = mapped_column(default=False)
    open_enrolment: Mapped[bool] = mapped_column(default=False)
    pass_mark: Mapped[int] = mapped_column(default=70)
    quiz_max_attempts: Mapped[int] = mapped_column(default=0)  # 0 = unlimited
    quiz_cooldown_minutes: Mapped[int] = mapped_column(default=0)
    feedback_days: Mapped[int] = mapped_column(default=5)
    # Do the course trainers also review the learners of in-company cohorts? Off by
    # default: an organisation's team is reviewed by the trainers of its cohort.
    course_trainers_see_cohorts: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    issuer: Mapped[str] = mapped_column(sa.String(200), default="")
    # course.yml `workbook: {title, subtitle}`; empty means the neutral default ("Mijn werkboek")
    workbook_title: Mapped[str] = mapped_column(sa.String(120), default="")
    workbook_subtitle: Mapped[str] = mapped_column(sa.String(200), default="")
    # course.yml `attendance: {sessions, hours}` (issue 13): the live attendance completion
    # needs, as sessions attended and contact hours; 0 = not required.
    attendance_sessions: Mapped[int] = mapped_column(default=0, server_default="0")
    attendance_hours: Mapped[int] = mapped_column(default=0, server_default="0")
    # course.yml `cover:` (an image file in the course folder) and `cover_alt:` (issue 12)
    cover: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    cover_alt: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    colour_primary: Mapped[str] = mapped_column(sa.String(7), default="#0b5d6b")
    colour_accent: Mapped[str] = mapped_column(sa.String(7), default="#f2a900")
    # Hash of all files of the course; quiz attempts and submissions record it.
    content_version: Mapped[str] = mapped_column(sa.String(64), default="")
    source_path: Mapped[str] = mapped_column(sa.String(500), default="")
    # course.yml as read (plain data), for `flask content export`; None before it was kept
    course_file: Mapped[dict | None] = mapped_column(sa.JSON)
    # A course folder that disappeared is retired, never deleted: learners keep their data.
    is_active: Mapped[bool] = mapped_column(default=True)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = created_at_column()

    modules: Mapped[list["CourseModule"]] = relationship(
        back_populates="course", order_by="CourseModule.position"
    )

    __table_args__ = (
        sa.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_percent"),
        sa.CheckConstraint("feedback_days >= 0", name="feedback_days_not_negative"),
    )

    @property
    def requires_attendance(self) -> bool:
        return bool(self.attendance_sessions or self.attendance_hours)

    @property
    def active_modules(self) -> list["CourseModule"]:
        return [m for m in self.modules if m.is_active]

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class CourseModule(db.Model):
    """One module of a course. Quiz and assignment definitions are stored as the
    validated JSON form of their files; their ids are the file's stable slugs."""

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    slug: Mapped[str] = mapped_column(sa.String(80))
    position: Mapped[int]
    title: Mapped[str] = mapped_column(sa.String(200))
    minutes: Mapped[int] = mapped_column(default=0)
    reading_html: Mapped[str] = mapped_column(sa.Text, default="")
    reading_toc: Mapped[list] = mapped_column(sa.JSON, default=list)
    reading_md: Mapped[str] = mapped_column(sa.Text, default="", server_default="")  # the Markdown source
    media: Mapped[list | None] = mapped_column(sa.JSON)  # image file names in the module folder
    remember: Mapped[list] = mapped_column(sa.JSON, default=list)
    # The storage form of the typed model (course/content/model.py): read them through
    # `quiz_spec` and `assignment_spec`, never by string keys.
    quiz: Mapped[dict | None] = mapped_column(sa.JSON)
    assignment: Mapped[dict | None] = mapped_column(sa.JSON)
    content_version: Mapped[str] = mapped_column(sa.String(64), default="")
    is_active: Mapped[bool] = mapped_column(default=True)

    course: Mapped[Course] = relationship(back_populates="modules")

    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),)

    def keep_reading_flag(self, has_reading: bool) -> None:
        """What the database said of the unloaded reading (a light course state,
        course/learn/queries/progress.py): has_reading answers from it until the reading
        is loaded or the module expires (the listeners below)."""
        object.__setattr__(self, "_has_reading", bool(has_reading))

    @property
    def has_reading(self) -> bool:
        if "reading_html" not in self.__dict__ and "_has_reading" in self.__dict__:
            return self.__dict__["_has_reading"]
        return bool(self.reading_html)

    def _typed(self, column: str, build, name: str = ""):
        """The stored JSON of `column` as typed objects (or what `build` makes of it), built
        once per loaded value: pages ask for a module's quiz and assignment many times. A
        new value (loaded, refreshed or assigned) is a new object, so it is built again."""
        raw = getattr(self, column)
        cache = self.__dict__.get("_typed_specs")
        if cache is None:
            cache = {}
            object.__setattr__(self, "_typed_specs", cache)
        key = name or column
        kept = cache.get(key)
        if kept is None or kept[0] is not raw:
            kept = cache[key] = (raw, build(raw))
        return kept[1]

    @property
    def quiz_spec(self) -> "Quiz | None":
        """The quiz as typed objects (None without a quiz)."""
        from course.content.model import Quiz

        return self._typed("quiz", Quiz.from_json)

    @property
    def assignment_spec(self) -> "Assignment | None":
        """The assignment as typed objects (None without an assignment)."""
        from course.content.model import Assignment

        return self._typed("assignment", Assignment.from_json)

    # has_quiz and has_assignment read the stored JSON instead of building the typed
    # objects: Mijn leren asks them of every module of every course (issue 16). They say
    # what `bool(quiz_spec.questions)` and `bool(assignment_spec.fields)` say.
    # Both are asked several times per module per page: worked out once per loaded value.
    @property
    def has_quiz(self) -> bool:
        return self._typed("quiz", _has_questions, "has_quiz")

    @property
    def has_assignment(self) -> bool:
        assignment = self.assignment
        return bool(assignment) and bool(assignment.get("fields"))

    def __repr__(self) -> str:
        return f"<CourseModule {self.course_id}/{self.slug}>"


@sa.event.listens_for(CourseModule, "expire", raw=True)
def _forget_reading_flag(state, _attributes) -> None:
    state.dict.pop("_has_reading", None)


@sa.event.listens_for(CourseModule, "refresh", raw=True)
def _forget_reading_flag_on_refresh(state, _context, _attributes) -> None:
    state.dict.pop("_has_reading", None)


def _has_questions(quiz: dict | None) -> bool:
    from course.content.questions import QUESTION_TYPES

    return bool(quiz) and any(q.get("type", "") in QUESTION_TYPES for q in quiz.get("questions") or [])
