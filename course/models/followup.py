"""Follow-up after the course (issue 14): check-ins 30 and 90 days after completion.

The unique (enrolment, stage) key is what makes a check-in mail go out once: the
worker inserts the row and queues the mail in one unit of work."""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column


class CheckinStage(enum.StrEnum):
    def __new__(cls, value: str, days: int, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.days = days
        member.label = label
        return member

    DAY_30 = "day30", 30, _l("30 days after the course")
    DAY_90 = "day90", 90, _l("90 days after the course")


class FollowupCheckin(db.Model):
    __tablename__ = "followup_checkin"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    stage: Mapped[CheckinStage] = mapped_column(enum_column(CheckinStage))
    sent_at: Mapped[datetime] = created_at_column()
    answered_at: Mapped[datetime | None]
    plan_md: Mapped[str] = mapped_column(sa.Text, default="")
    goal_md: Mapped[str] = mapped_column(sa.Text, default="")
    success_md: Mapped[str] = mapped_column(sa.Text, default="")
    obstacles_md: Mapped[str] = mapped_column(sa.Text, default="")

    enrolment: Mapped["Enrolment"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("enrolment_id", "stage"),)

    def __repr__(self) -> str:
        return f"<FollowupCheckin {self.id} {self.stage} enrolment={self.enrolment_id}>"


class FollowupOptOut(db.Model):
    """The person wants no follow-up mail (from the mail's link or the account page)."""

    __tablename__ = "followup_opt_out"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = created_at_column()

    def __repr__(self) -> str:
        return f"<FollowupOptOut user={self.user_id}>"
