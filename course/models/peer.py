"""Peer feedback (issue 14): learners of one cohort (or the self-enrolled learners of
one course) give each other short feedback on their assignments.

A *pool* is one cohort, or the self-enrolled learners of one course (cohort NULL):
PeerSetting holds its settings, one row per pool (`pool_key` is unique, so there is
never a second row, NULLs or not). Allocation locks that row (course/peer/allocation.py).
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column

DEFAULT_REVIEWS = 2
MAX_REVIEWS = 5


def pool_key(course_id: int, cohort_id: int | None) -> str:
    return f"cohort:{cohort_id}" if cohort_id is not None else f"course:{course_id}"


class PeerSetting(db.Model):
    """Peer feedback switched on for one pool, for chosen assignments."""

    __tablename__ = "peer_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    pool_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    reviews_per_learner: Mapped[int] = mapped_column(default=DEFAULT_REVIEWS)
    anonymous: Mapped[bool] = mapped_column(default=False)
    use_rubric: Mapped[bool] = mapped_column(default=False)
    # The chosen assignments: module ids of the course.
    module_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = created_at_column()

    course: Mapped["Course"] = relationship()  # noqa: F821
    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint(f"reviews_per_learner BETWEEN 1 AND {MAX_REVIEWS}", name="reviews_per_learner_range"),
    )

    def covers(self, module_id: int) -> bool:
        return self.enabled and module_id in (self.module_ids or [])

    def __repr__(self) -> str:
        return f"<PeerSetting {self.pool_key} on={self.enabled}>"


class PeerConsent(db.Model):
    """The author's answer when submitting: may colleagues read this work? The latest
    submit decides. Without a row the work is never shown."""

    __tablename__ = "peer_consent"

    submission_id: Mapped[int] = mapped_column(
        sa.ForeignKey("submission.id", ondelete="CASCADE"), primary_key=True)
    consented: Mapped[bool] = mapped_column(default=False)
    decided_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<PeerConsent submission={self.submission_id} {self.consented}>"


class PeerReviewStatus(enum.StrEnum):
    """assigned (the reviewer is writing) → given. Each member carries its label."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    ASSIGNED = "assigned", _l("Not given yet")
    GIVEN = "given", _l("Given")


class PeerReview(db.Model):
    """One reviewer's feedback on one colleague's submitted version. Allocated on
    demand; (reviewer, work) is unique (no one reviews the same work twice), and
    (reviewer, module, slot) is unique (no more than the allowed number, even when
    two requests allocate at once). A CHECK keeps anyone from reviewing their own work."""

    __tablename__ = "peer_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    setting_id: Mapped[int] = mapped_column(sa.ForeignKey("peer_setting.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"), index=True)
    reviewer_enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    author_enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(sa.ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("submission_version.id", ondelete="CASCADE"))
    slot: Mapped[int]
    status: Mapped[PeerReviewStatus] = mapped_column(
        enum_column(PeerReviewStatus), default=PeerReviewStatus.ASSIGNED, index=True)
    strengths: Mapped[str] = mapped_column(sa.Text, default="")
    improvements: Mapped[str] = mapped_column(sa.Text, default="")
    # {criterion_id: level_id}: the light rubric, levels without points.
    rubric_levels: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = created_at_column()
    given_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    setting: Mapped[PeerSetting] = relationship()
    module: Mapped["CourseModule"] = relationship()  # noqa: F821
    reviewer_enrolment: Mapped["Enrolment"] = relationship(foreign_keys=[reviewer_enrolment_id])  # noqa: F821
    author_enrolment: Mapped["Enrolment"] = relationship(foreign_keys=[author_enrolment_id])  # noqa: F821
    submission: Mapped["Submission"] = relationship()  # noqa: F821
    version: Mapped["SubmissionVersion"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("reviewer_enrolment_id", "submission_id"),
        sa.UniqueConstraint("reviewer_enrolment_id", "module_id", "slot"),
        sa.CheckConstraint("reviewer_enrolment_id <> author_enrolment_id", name="not_own_work"),
        sa.CheckConstraint("slot >= 1", name="slot_positive"),
    )

    @property
    def is_given(self) -> bool:
        return self.status == PeerReviewStatus.GIVEN

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def __repr__(self) -> str:
        return f"<PeerReview {self.id} {self.status} slot={self.slot}>"


class PeerPreference(db.Model):
    """The author's choice: peer feedback in my workbook, yes or no (off by default)."""

    __tablename__ = "peer_preference"

    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), primary_key=True)
    show_in_workbook: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<PeerPreference enrolment={self.enrolment_id} workbook={self.show_in_workbook}>"
