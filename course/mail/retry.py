"""Mail that was given up: list it, and put it back in the queue.

A retried mail gets the full number of attempts again. A mail whose link has
expired meanwhile (a password reset) is cancelled instead: it would only mislead."""
from dataclasses import dataclass

import sqlalchemy as sa

from course.extensions import db
from course.models import MailStatus, OutboxMail, utcnow

from .sender import EXPIRED_NOTE

LIST_LIMIT = 200


@dataclass(frozen=True)
class RetryResult:
    requeued: int
    cancelled: int


def failed_mail(limit: int = LIST_LIMIT) -> list[OutboxMail]:
    """The newest failed mail, for the admin page (one query)."""
    return list(db.session.scalars(
        sa.select(OutboxMail).where(OutboxMail.status == MailStatus.FAILED)
        .order_by(OutboxMail.id.desc()).limit(limit)))


def failed_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(OutboxMail.status == MailStatus.FAILED))


def retry_failed(mail_id: int | None = None) -> RetryResult:
    """Re-queue failed mail (all of it, or the one with `mail_id`). Conditional
    UPDATEs, so two admins pressing the button at once re-queue each mail once."""
    now = utcnow()
    only = [OutboxMail.id == mail_id] if mail_id is not None else []
    failed = [OutboxMail.status == MailStatus.FAILED, *only]
    cancelled = db.session.execute(
        sa.update(OutboxMail)
        .where(*failed, OutboxMail.expires_at.is_not(None), OutboxMail.expires_at <= now)
        .values(status=MailStatus.CANCELLED, last_error=EXPIRED_NOTE)
        .execution_options(synchronize_session=False)).rowcount
    requeued = db.session.execute(
        sa.update(OutboxMail).where(*failed)
        .values(status=MailStatus.QUEUED, attempts=0, next_attempt_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return RetryResult(requeued=requeued, cancelled=cancelled)
