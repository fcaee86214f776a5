"""Open Badges 2.0: badge classes per module and course, assertions, certificates."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, public_id_column


class BadgeClass(db.Model):
    """Created with the content: one per module and one for the course (module_id NULL)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    module_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course_module.id"))
    # "course" or the module slug: stable across reloads.
    key: Mapped[str] = mapped_column(sa.String(80))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    criteria_narrative: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = created_at_column()

    course: Mapped["Course"] = relationship()  # noqa: F821
    module: Mapped["CourseModule | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("course_id", "key"),)

    def __repr__(self) -> str:
        return f"<BadgeClass {self.course_id}/{self.key}>"


class BadgeAssertion(db.Model):
    """An awarded badge. (badge_class, user) is unique: issued exactly once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    badge_class_id: Mapped[int] = mapped_column(sa.ForeignKey("badge_class.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="SET NULL")
    )
    recipient_salt: Mapped[str] = mapped_column(sa.String(32))
    recipient_hash: Mapped[str] = mapped_column(sa.String(80))
    issued_at: Mapped[datetime] = created_at_column()
    show_name: Mapped[bool] = mapped_column(default=False)
    evidence_published: Mapped[bool] = mapped_column(default=False)
    evidence_excerpt: Mapped[str] = mapped_column(sa.Text, default="")
    revoked_at: Mapped[datetime | None]
    revocation_reason: Mapped[str | None] = mapped_column(sa.String(300))
    # Seen in the "you earned a badge" message once.
    celebrated_at: Mapped[datetime | None]

    badge_class: Mapped[BadgeClass] = relationship()
    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("badge_class_id", "user_id"),)

    def __repr__(self) -> str:
        return f"<BadgeAssertion {self.id} class={self.badge_class_id} user={self.user_id}>"


class Certificate(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="CASCADE"), unique=True
    )
    issued_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None]

    enrolment: Mapped["Enrolment"] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<Certificate {self.id} enrolment={self.enrolment_id}>"
