"""The team's plan (issue 14): an in-company cohort's shared social-media protocol,
composed by its trainer from colleagues' approved work, with the authors' consent.

The chosen texts are not copied: an entry points at the learner's enrolment, and the
text is read from their latest approved version when the plan is shown. Withdrawing
consent (or erasure) therefore takes the text out of the plan at once."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column, utcnow


class TeamPlanStatus(enum.StrEnum):
    """A plan is composed in private by the trainer, then published to the team."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    DRAFT = "draft", _l("Draft, only the trainers see it")
    PUBLISHED = "published", _l("Published to the group and the organisation")


class TeamPlan(db.Model):
    __tablename__ = "team_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    intro_md: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[TeamPlanStatus] = mapped_column(enum_column(TeamPlanStatus), default=TeamPlanStatus.DRAFT)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(), default=utcnow, nullable=False)
    published_at: Mapped[datetime | None]

    cohort: Mapped["Cohort"] = relationship()  # noqa: F821
    updated_by: Mapped["User | None"] = relationship()  # noqa: F821
    entries: Mapped[list["TeamPlanEntry"]] = relationship(back_populates="plan", cascade="all, delete-orphan")

    @property
    def is_published(self) -> bool:
        return self.status == TeamPlanStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<TeamPlan {self.id} cohort={self.cohort_id} {self.status}>"


class TeamPlanEntry(db.Model):
    """The contribution chosen for one chapter: one field of one module's assignment."""

    __tablename__ = "team_plan_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("team_plan.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id", ondelete="CASCADE"))
    field_id: Mapped[str] = mapped_column(sa.String(80))
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    chosen_at: Mapped[datetime] = created_at_column()

    plan: Mapped[TeamPlan] = relationship(back_populates="entries")
    enrolment: Mapped["Enrolment"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("plan_id", "module_id", "field_id"),)

    def __repr__(self) -> str:
        return f"<TeamPlanEntry plan={self.plan_id} {self.module_id}/{self.field_id}>"


class TeamPlanConsent(db.Model):
    """The learner agrees that their group's trainer may put their approved work, with
    their name, in the team plan. One row per enrolment; withdrawing deletes it."""

    __tablename__ = "team_plan_consent"

    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), primary_key=True)
    given_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<TeamPlanConsent enrolment={self.enrolment_id}>"
