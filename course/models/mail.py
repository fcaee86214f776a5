"""The mail outbox: written in the same transaction as the action that causes it."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db

from .base import created_at_column, enum_column, utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts
    CANCELLED = "cancelled"  # not sent on purpose (e.g. its reset link had expired); last_error says why


class OutboxMail(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(sa.String(254))
    # The account the address belonged to when queued: erasure removes its mail,
    # and the sender never delivers to an account erased after queueing.
    recipient_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # What kind of mail, for tests and the admin view: "password_reset", "review_decided", ...
    kind: Mapped[str] = mapped_column(sa.String(40), default="", index=True)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus), default=MailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None]
    # A worker claims a row before sending, so two workers never send it twice.
    claimed_until: Mapped[datetime | None]
    # Mail that is pointless after a moment (a password-reset link) is never sent after it.
    expires_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} {self.kind} to={self.to_address} {self.status}>"


class OutboxAttachment(db.Model):
    """A file sent with an outbox mail (e.g. the .ics invitation)."""

    __tablename__ = "outbox_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(sa.ForeignKey("outbox_mail.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(120))
    content_type: Mapped[str] = mapped_column(sa.String(100))  # e.g. "text/calendar; method=REQUEST"
    content: Mapped[str] = mapped_column(sa.Text)

    def __repr__(self) -> str:
        return f"<OutboxAttachment {self.id} mail={self.mail_id} {self.filename}>"
