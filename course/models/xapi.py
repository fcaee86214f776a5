"""The xAPI outbox: learning records for a Learning Record Store, written in the
same transaction as the learner's action and delivered by the worker."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from course.extensions import db

from .base import created_at_column, enum_column, utcnow


class XapiStatus(enum.StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    FAILED = "failed"  # gave up after XAPI_MAX_ATTEMPTS; last_error says why


class XapiStatement(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # The statement's own id (a UUID), fixed when written: a redelivery PUTs the same
    # id, and the LRS stores it once.
    statement_id: Mapped[str] = mapped_column(sa.String(36), unique=True)
    # Whose record it is: erasure deletes the person's statements that are still here.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # Which LRS: "" for the installation's (XAPI_ENDPOINT), else the organisation's
    # public id (XAPI_ORGANISATIONS). Credentials are read from config when sending.
    target: Mapped[str] = mapped_column(sa.String(32), default="")
    verb: Mapped[str] = mapped_column(sa.String(40))
    statement: Mapped[dict] = mapped_column(sa.JSON)
    status: Mapped[XapiStatus] = mapped_column(enum_column(XapiStatus), default=XapiStatus.QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<XapiStatement {self.id} {self.verb} {self.status}>"
