"""A learner's enrolment and progress: timestamped events plus derived state."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column, utcnow


class Enrolment(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    # None for self-enrolment in an open course.
    cohort_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="SET NULL"), index=True
    )
    # The licence whose seat this enrolment holds, so removing it frees that seat.
    seat_licence_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("seat_licence.id", ondelete="SET NULL")
    )
    enrolled_at: Mapped[datetime] = created_at_column()
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime | None]
    last_reminded_at: Mapped[datetime | None]

    user: Mapped["User"] = relationship()  # noqa: F821
    course: Mapped["Course"] = relationship()  # noqa: F821
    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821
    module_progress: Mapped[list["ModuleProgress"]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),)

    def __repr__(self) -> str:
        return f"<Enrolment {self.id} user={self.user_id} course={self.course_id}>"


class ModuleProgress(db.Model):
    """Derived per-module state, updated in the same transaction as the event."""

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"), index=True)
    read_at: Mapped[datetime | None]
    quiz_passed_at: Mapped[datetime | None]
    quiz_passed_attempt_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quiz_attempt.id", ondelete="SET NULL")
    )
    assignment_approved_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    enrolment: Mapped[Enrolment] = relationship(back_populates="module_progress")
    module: Mapped["CourseModule"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("enrolment_id", "module_id"),)

    def __repr__(self) -> str:
        return f"<ModuleProgress enrolment={self.enrolment_id} module={self.module_id}>"


class EventKind(enum.StrEnum):
    ENROLLED = "enrolled"
    READING_DONE = "reading_done"
    QUIZ_ATTEMPTED = "quiz_attempted"
    QUIZ_PASSED = "quiz_passed"
    ASSIGNMENT_SUBMITTED = "assignment_submitted"
    REVISION_REQUESTED = "revision_requested"
    ASSIGNMENT_APPROVED = "assignment_approved"
    MODULE_COMPLETED = "module_completed"
    COURSE_COMPLETED = "course_completed"
    BADGE_ISSUED = "badge_issued"
    REMINDER_SENT = "reminder_sent"
    UNENROLLED = "unenrolled"


class ProgressEvent(db.Model):
    """Append-only history: answers "when did she pass the quiz, at which attempt"."""

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_module.id"))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    module: Mapped["CourseModule | None"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ProgressEvent {self.kind} enrolment={self.enrolment_id}>"


class QuizAttempt(db.Model):
    """One submitted quiz. (enrolment, module, number) is unique, so a double
    submit of the same attempt form is stored once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"), index=True)
    number: Mapped[int]
    content_version: Mapped[str] = mapped_column(sa.String(64))
    # {question_id: [option_id, ...]}
    answers: Mapped[dict] = mapped_column(sa.JSON)
    # {question_id: bool}
    results: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    score: Mapped[int]
    max_score: Mapped[int]
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = created_at_column()

    module: Mapped["CourseModule"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
        sa.CheckConstraint("score >= 0 AND score <= max_score", name="score_in_range"),
    )

    def __repr__(self) -> str:
        return f"<QuizAttempt {self.id} #{self.number} {self.score}/{self.max_score}>"
