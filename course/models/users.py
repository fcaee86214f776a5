"""People and the organisations they belong to."""
import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, new_public_id, public_id_column, utcnow


class Role(enum.StrEnum):
    """Platform-wide role. Organisation admin is per organisation (Membership)."""

    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.LEARNER)
    locale: Mapped[str] = mapped_column(sa.String(5), default="nl")
    # Registerplein registration number, printed on certificates.
    registration_number: Mapped[str | None] = mapped_column(sa.String(20))
    # Changing it logs out every session of this user (password change, erasure).
    session_token: Mapped[str] = mapped_column(sa.String(32), default=new_public_id)
    is_active_account: Mapped[bool] = mapped_column(default=True)
    erased_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = created_at_column()
    last_login_at: Mapped[datetime | None]
    # Retention: when the "you have been inactive" mail went out (erasure follows the grace period).
    inactivity_warned_at: Mapped[datetime | None]
    # When the name or e-mail address last changed (the API's updated_since for members;
    # set by the listener below, so logins and other bookkeeping do not count).
    profile_updated_at: Mapped[datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint("email = lower(email)", name="email_lowercase"),)

    def get_id(self) -> str:
        # Flask-Login stores this in the session cookie; rotating session_token invalidates it.
        return f"{self.public_id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account and self.erased_at is None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class Organisation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    contact_name: Mapped[str | None] = mapped_column(sa.String(120))
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    created_at: Mapped[datetime] = created_at_column()

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    licences: Mapped[list["SeatLicence"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name!r}>"


class Membership(db.Model):
    """A user belongs to any number of organisations, as member or admin."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[MembershipRole] = mapped_column(
        enum_column(MembershipRole), default=MembershipRole.MEMBER
    )
    created_at: Mapped[datetime] = created_at_column()
    # A role change (the API's updated_since for members).
    updated_at: Mapped[datetime | None] = mapped_column(sa.DateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")

    __table_args__ = (sa.UniqueConstraint("user_id", "organisation_id"),)

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} org={self.organisation_id} {self.role}>"


class SeatLicence(db.Model):
    """Seats an organisation bought for one course. seats_used is kept by the
    enrolment service with a conditional UPDATE, and the CHECK makes overbooking
    impossible even under concurrent requests."""

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id"), index=True)
    seats: Mapped[int]
    seats_used: Mapped[int] = mapped_column(default=0)
    ends_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation] = relationship(back_populates="licences")
    course: Mapped["Course"] = relationship()  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "course_id"),
        sa.CheckConstraint("seats >= 0", name="seats_not_negative"),
        sa.CheckConstraint("seats_used >= 0 AND seats_used <= seats", name="seats_within_licence"),
    )

    def __repr__(self) -> str:
        return f"<SeatLicence org={self.organisation_id} course={self.course_id} {self.seats_used}/{self.seats}>"


@sa.event.listens_for(User, "before_update")
def _profile_changed(_mapper, _connection, user: User) -> None:
    """Stamp profile_updated_at when the ORM writes a new name or e-mail address."""
    state = sa.inspect(user)
    if state.attrs.name.history.has_changes() or state.attrs.email.history.has_changes():
        user.profile_updated_at = utcnow()
