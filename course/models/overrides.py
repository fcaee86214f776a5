"""A trainer's exception to the course rules for one learner (issue 17).

Each override is stored, shown on the learner's timeline with who, when and why,
and can be withdrawn ("Intrekken"): the row then keeps `revoked_at`/`revoked_by`,
so the history stays complete.
"""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column


class OverrideKind(enum.StrEnum):
    EXTRA_ATTEMPTS = "extra_attempts"        # raise the quiz's maximum by `amount`
    LIFT_COOLDOWN = "lift_cooldown"          # the learner may retry the quiz now
    REOPEN_ASSIGNMENT = "reopen_assignment"  # an approved assignment takes a new version
    MOVE_DUE_DATE = "move_due_date"          # the review target date of a waiting submission


class Override(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("course_module.id"))
    kind: Mapped[OverrideKind] = mapped_column(enum_column(OverrideKind))
    # extra attempts: how many; reopened assignment: the number of versions when it was reopened
    amount: Mapped[int | None]
    new_date: Mapped[date | None]  # moved target date
    previous_date: Mapped[date | None]  # the target date before the move, restored on withdrawal
    reason: Mapped[str] = mapped_column(sa.Text)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    enrolment: Mapped["Enrolment"] = relationship()  # noqa: F821
    module: Mapped["CourseModule"] = relationship()  # noqa: F821
    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])  # noqa: F821
    revoked_by: Mapped["User | None"] = relationship(foreign_keys=[revoked_by_id])  # noqa: F821

    __table_args__ = (sa.CheckConstraint("amount IS NULL OR amount >= 1", name="amount_positive"),)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def __repr__(self) -> str:
        return f"<Override {self.kind} enrolment={self.enrolment_id} module={self.module_id}>"
