"""Live sessions (issue 13): the workshop itself, on set dates, with sign-up.

A session belongs to a course; with a cohort it is in-company (visible and open only
to that cohort's members), without one it is public (open registration). It has one
or more parts (a workshop on two mornings), each stored in naive UTC and shown in
Europe/Amsterdam. People sign up (registered), queue when it is full (waiting, in
`queued_at` order) or cancel. Attendance is marked on the registration.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from course.extensions import db

from .base import created_at_column, enum_column, public_id_column, utcnow


class _LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a translated label: `Member.label`."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class SessionStatus(_LabelledEnum):
    SCHEDULED = "scheduled", _l("Scheduled")
    CANCELLED = "cancelled", _l("Cancelled")


class RegistrationStatus(_LabelledEnum):
    REGISTERED = "registered", _l("Signed up")
    WAITING = "waiting", _l("On the waiting list")
    CANCELLED = "cancelled", _l("Cancelled")


class Attendance(_LabelledEnum):
    UNKNOWN = "unknown", _l("Not marked")
    PRESENT = "present", _l("Present")
    ABSENT = "absent", _l("Absent")
    PARTIAL = "partial", _l("Present for part of the time")


class LiveSession(db.Model):
    __tablename__ = "live_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"), index=True)
    # In-company for this cohort; None = public (open registration).
    cohort_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cohort.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    place: Mapped[str] = mapped_column(sa.Text, default="")  # address, free text
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int]
    registration_deadline: Mapped[datetime]  # naive UTC
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus), default=SessionStatus.SCHEDULED, index=True
    )
    # iCalendar SEQUENCE: raised on every change the calendar shows (and on cancel).
    ics_sequence: Mapped[int] = mapped_column(default=0)
    # Raised on every edit: an edit form posted against an older version is refused.
    version: Mapped[int] = mapped_column(default=1)
    # Set once the two-days-before reminder has been queued, so it never goes twice.
    reminder_sent_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(), default=utcnow, onupdate=utcnow)
    cancelled_at: Mapped[datetime | None]

    course: Mapped["Course"] = relationship()  # noqa: F821
    cohort: Mapped["Cohort | None"] = relationship()  # noqa: F821
    parts: Mapped[list["SessionPart"]] = relationship(
        back_populates="session", order_by="SessionPart.starts_at", cascade="all, delete-orphan"
    )
    trainers: Mapped[list["User"]] = relationship(secondary="session_trainer", viewonly=True)  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint("capacity > 0 AND capacity <= 10000", name="capacity_in_range"),
    )

    @property
    def is_public(self) -> bool:
        return self.cohort_id is None

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def starts_at(self) -> datetime | None:
        return self.parts[0].starts_at if self.parts else None

    @property
    def ends_at(self) -> datetime | None:
        return max(p.ends_at for p in self.parts) if self.parts else None

    def __repr__(self) -> str:
        return f"<LiveSession {self.id} {self.title!r} {self.status}>"


class SessionPart(db.Model):
    """One block of a session: a start and an end (naive UTC)."""

    __tablename__ = "session_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]

    session: Mapped[LiveSession] = relationship(back_populates="parts")

    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    def __repr__(self) -> str:
        return f"<SessionPart {self.id} {self.starts_at}–{self.ends_at}>"


class SessionTrainer(db.Model):
    __tablename__ = "session_trainer"

    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("live_session.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True, index=True)

    def __repr__(self) -> str:
        return f"<SessionTrainer session={self.session_id} user={self.user_id}>"


class SessionRegistration(db.Model):
    """One person's sign-up for one session. A cancelled one is kept (the row is
    reused on a new sign-up) so the waiting order and history stay readable."""

    __tablename__ = "session_registration"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("live_session.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus), index=True)
    created_at: Mapped[datetime] = created_at_column()
    registered_at: Mapped[datetime | None]
    # Waiting order: first queued, first promoted.
    queued_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # Attendance (marked by the trainer after the session).
    attendance: Mapped[Attendance] = mapped_column(enum_column(Attendance), default=Attendance.UNKNOWN)
    attended_minutes: Mapped[int | None]
    attendance_marked_at: Mapped[datetime | None]
    attendance_marked_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    session: Mapped[LiveSession] = relationship()
    user: Mapped["User"] = relationship(foreign_keys=[user_id])  # noqa: F821

    __table_args__ = (
        sa.UniqueConstraint("session_id", "user_id"),
        sa.CheckConstraint("attended_minutes IS NULL OR attended_minutes >= 0", name="attended_minutes_positive"),
    )

    def __repr__(self) -> str:
        return f"<SessionRegistration {self.id} session={self.session_id} user={self.user_id} {self.status}>"


class CalendarFeed(db.Model):
    """A person's private calendar feed. Only the sha256 of the token is stored;
    the URL is shown when made. Revoked feeds answer 404."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} user={self.user_id}>"

