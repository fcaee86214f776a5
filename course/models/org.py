"""Cohorts, trainer assignments, invitations and in-company requests."""
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db
from course.states import LabelledEnum

from .base import created_at_column, enum_column, public_id_column, utcnow


class Cohort(db.Model):
    """A group ("groep") of one organisation following one course."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    starts_on: Mapped[date | None]
    target_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()
    # Renamed, new dates, or a learner added or removed (the API's updated_since for cohorts).
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(), default=utcnow, onupdate=utcnow)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    course: Mapped["Course"] = relationship()  # noqa: F821
    trainers: Mapped[list["User"]] = relationship(secondary="cohort_trainer")  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("organisation_id", "name"),)

    def __repr__(self) -> str:
        return f"<Cohort {self.id} {self.name!r}>"


class CohortTrainer(db.Model):
    cohort_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    def __repr__(self) -> str:
        return f"<CohortTrainer cohort={self.cohort_id} user={self.user_id}>"


class CourseTrainer(db.Model):
    """A trainer assigned to a whole course reviews its self-enrolled learners."""

    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    def __repr__(self) -> str:
        return f"<CourseTrainer course={self.course_id} user={self.user_id}>"


class InvitationState(LabelledEnum):
    """An invitation as the organisation's lists show it (only open ones are listed)."""

    OPEN = "open", _l("Still open"), "todo"
    EXPIRED = "expired", _l("Expired"), "problem"
    ACCEPTED = "accepted", _l("Accepted"), "done"
    WITHDRAWN = "withdrawn", _l("Withdrawn"), "problem"


class Invitation(db.Model):
    """A personal invitation by e-mail into a cohort (or to administer an organisation)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    cohort_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    as_org_admin: Mapped[bool] = mapped_column(default=False)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]

    cohort: Mapped[Cohort | None] = relationship()
    organisation: Mapped["Organisation"] = relationship()  # noqa: F821

    def state(self, now: datetime) -> InvitationState:
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.revoked_at is not None:
            return InvitationState.WITHDRAWN
        return InvitationState.EXPIRED if self.expires_at <= now else InvitationState.OPEN

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email}>"


class InviteLink(db.Model):
    """A shareable link into a cohort with a cap on its uses."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    seat_cap: Mapped[int]
    uses: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship()

    __table_args__ = (
        sa.CheckConstraint("uses >= 0 AND uses <= seat_cap", name="uses_within_cap"),
    )

    def __repr__(self) -> str:
        return f"<InviteLink {self.id} {self.uses}/{self.seat_cap}>"


class UploadBatch(db.Model):
    """A parsed enrolment file waiting for the admin's confirmation. Kept in the
    database (not the session) so any app server can confirm it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    cohort_id: Mapped[int] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(sa.String(255), default="")
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = created_at_column()
    confirmed_at: Mapped[datetime | None]

    cohort: Mapped[Cohort] = relationship()

    def __repr__(self) -> str:
        return f"<UploadBatch {self.id} rows={len(self.rows or [])}>"


class RequestStatus(LabelledEnum):
    NEW = "new", _l("New"), "waiting"
    CONVERTED = "converted", _l("Converted"), "done"
    DECLINED = "declined", _l("Declined"), "todo"


class InCompanyRequest(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    organisation_name: Mapped[str] = mapped_column(sa.String(200))
    contact_name: Mapped[str] = mapped_column(sa.String(120))
    email: Mapped[str] = mapped_column(sa.String(254))
    team_size: Mapped[int]
    wishes: Mapped[str] = mapped_column(sa.Text, default="")
    # Preferred dates for the live sessions (issue 13), ISO dates ("2027-03-04"), in order.
    preferred_dates: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.NEW
    )
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = created_at_column()

    course: Mapped["Course"] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint("team_size > 0", name="team_size_positive"),)

    def __repr__(self) -> str:
        return f"<InCompanyRequest {self.id} {self.organisation_name!r}>"
