"""Assignment submissions, their versions, and trainers' reviews."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db
from course.states import LabelledEnum

from .base import created_at_column, enum_column, public_id_column


class SubmissionStatus(LabelledEnum):
    """draft → submitted → revision_requested → submitted → … → approved.
    The label is the trainer's words; the learner and the organisation read their own."""

    DRAFT = "draft", _l("Draft"), "todo", {"learner": _l("Draft, not yet submitted"), "org": _l("Working on it")}
    SUBMITTED = "submitted", _l("Waiting for review"), "waiting", {
        "learner": _l("Submitted, waiting for feedback"), "org": _l("Waiting for the trainer")}
    REVISION_REQUESTED = "revision_requested", _l("Revision requested"), "problem"
    APPROVED = "approved", _l("Approved"), "done", {"learner": _l("Assignment approved")}

    @property
    def is_editable(self) -> bool:
        """The learner may change the text (a draft, or after a revision request)."""
        return self in (SubmissionStatus.DRAFT, SubmissionStatus.REVISION_REQUESTED)


class Submission(db.Model):
    """The learner's work on one assignment: one row per (enrolment, module).
    The editable draft lives here; every submit freezes a SubmissionVersion."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True
    )
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"), index=True)
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus), default=SubmissionStatus.DRAFT, index=True
    )
    # {field_id: text}
    draft_fields: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    draft_saved_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    feedback_due_on: Mapped[date | None]
    decided_at: Mapped[datetime | None]
    # Optimistic concurrency: a review saves only if this still has the value it read.
    lock_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = created_at_column()

    enrolment: Mapped["Enrolment"] = relationship()  # noqa: F821
    module: Mapped["CourseModule"] = relationship()  # noqa: F821
    versions: Mapped[list["SubmissionVersion"]] = relationship(
        back_populates="submission", order_by="SubmissionVersion.number",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        sa.UniqueConstraint("enrolment_id", "module_id"),
        # the review queue: one status among a trainer's enrolments (issue 16)
        sa.Index("ix_submission_enrolment_id_status", "enrolment_id", "status"),
    )

    def __repr__(self) -> str:
        return f"<Submission {self.id} {self.status}>"


class SubmissionVersion(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    fields: Mapped[dict] = mapped_column(sa.JSON)
    content_version: Mapped[str] = mapped_column(sa.String(64))
    submitted_at: Mapped[datetime] = created_at_column()

    submission: Mapped[Submission] = relationship(back_populates="versions")
    review: Mapped["Review | None"] = relationship(back_populates="version", uselist=False)

    __table_args__ = (
        sa.UniqueConstraint("submission_id", "number"),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    def __repr__(self) -> str:
        return f"<SubmissionVersion {self.submission_id} v{self.number}>"


class ReviewDecision(LabelledEnum):
    APPROVED = "approved", _l("Approved"), "done"
    REVISION_REQUESTED = "revision_requested", _l("Revision requested"), "problem"


class Review(db.Model):
    """A trainer's decision on one submitted version. One review per version."""

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission_version.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decision: Mapped[ReviewDecision] = mapped_column(enum_column(ReviewDecision))
    feedback_md: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    version: Mapped[SubmissionVersion] = relationship(back_populates="review")
    reviewer: Mapped["User | None"] = relationship()  # noqa: F821
    scores: Mapped[list["ReviewScore"]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Review {self.id} {self.decision}>"


class ReviewScore(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("review.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(sa.String(80))
    level_id: Mapped[str] = mapped_column(sa.String(80))
    points: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")

    __table_args__ = (sa.UniqueConstraint("review_id", "criterion_id"),)

    def __repr__(self) -> str:
        return f"<ReviewScore {self.criterion_id}={self.level_id}>"


class FeedbackSnippet(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    trainer_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(120))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<FeedbackSnippet {self.id} {self.title!r}>"
