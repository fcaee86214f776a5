"""Retention terms (config RETENTION_*): what is deleted when, by `purge`.

`purge(now)` is what `flask privacy purge`, the worker's nightly job and cron call.
It is idempotent: a second run at the same moment deletes nothing more and sends no
second warning. A term of 0 switches that rule off.

- sent (and given-up) mail: deleted RETENTION_SENT_MAIL_DAYS after sending (30);
- enrolment upload batches: RETENTION_UPLOAD_BATCH_DAYS after confirming, or after
  uploading when never confirmed (30);
- kept forms ("form stash"): after RETENTION_FORM_STASH_HOURS (24);
- inactive accounts (no login and no learning for RETENTION_INACTIVE_MONTHS, 24): a
  warning mail, then erasure RETENTION_INACTIVE_GRACE_DAYS later (30) unless the
  person came back. Platform admins are never erased automatically.
"""
import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from course import permissions
from course.audit.services import record_event
from course.extensions import db
from course.models import (
    AuditAction,
    Enrolment,
    FormStash,
    MailStatus,
    OutboxMail,
    ScheduledRun,
    UploadBatch,
    User,
    utcnow,
)

from . import erasure


@dataclass
class PurgeReport:
    mails: int = 0
    upload_batches: int = 0
    kept_forms: int = 0
    warned: int = 0
    erased: int = 0
    came_back: int = 0

    def __str__(self) -> str:
        return (f"Deleted {self.mails} sent mails, {self.upload_batches} upload batches, "
                f"{self.kept_forms} kept forms. Inactive accounts: {self.warned} warned, "
                f"{self.erased} erased, {self.came_back} active again.")


def purge(now: datetime | None = None) -> PurgeReport:
    """Apply every retention term as of `now` (naive UTC; default: the current time)."""
    now = now or utcnow()
    report = PurgeReport()
    report.mails = purge_sent_mail(now)
    report.upload_batches = purge_upload_batches(now)
    report.kept_forms = purge_kept_forms(now)
    purge_scheduled_runs(now)
    report.came_back, report.erased, report.warned = handle_inactive_accounts(now)
    return report


def _setting(name: str) -> int:
    return max(int(current_app.config[name]), 0)


def purge_sent_mail(now: datetime) -> int:
    days = _setting("RETENTION_SENT_MAIL_DAYS")
    if not days:
        return 0
    cutoff = now - timedelta(days=days)
    result = db.session.execute(sa.delete(OutboxMail).where(sa.or_(
        sa.and_(OutboxMail.status == MailStatus.SENT, OutboxMail.sent_at < cutoff),
        sa.and_(OutboxMail.status.in_((MailStatus.FAILED, MailStatus.CANCELLED)), OutboxMail.created_at < cutoff),
    )))
    db.session.commit()
    return result.rowcount


def purge_upload_batches(now: datetime) -> int:
    days = _setting("RETENTION_UPLOAD_BATCH_DAYS")
    if not days:
        return 0
    cutoff = now - timedelta(days=days)
    result = db.session.execute(sa.delete(UploadBatch).where(
        sa.func.coalesce(UploadBatch.confirmed_at, UploadBatch.created_at) < cutoff))
    db.session.commit()
    return result.rowcount


def purge_kept_forms(now: datetime) -> int:
    hours = _setting("RETENTION_FORM_STASH_HOURS")
    if not hours:
        return 0
    result = db.session.execute(sa.delete(FormStash).where(FormStash.created_at < now - timedelta(hours=hours)))
    db.session.commit()
    return result.rowcount


def purge_scheduled_runs(now: datetime) -> int:
    """The worker's once-per-period claims hold no personal data; a quarter's worth is plenty."""
    result = db.session.execute(sa.delete(ScheduledRun).where(ScheduledRun.started_at < now - timedelta(days=90)))
    db.session.commit()
    return result.rowcount


# ---- inactive accounts -----------------------------------------------------------


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    years, month_index = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + years, month_index + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _last_activity(users: list[User]) -> dict[int, datetime]:
    """Per user the latest of: account created, last login, last learning activity. Two queries."""
    ids = [u.id for u in users] or [-1]
    learning = dict(db.session.execute(
        sa.select(Enrolment.user_id, sa.func.max(Enrolment.last_activity_at))
        .where(Enrolment.user_id.in_(ids)).group_by(Enrolment.user_id)).all())
    return {u.id: max(t for t in (u.created_at, u.last_login_at, learning.get(u.id)) if t) for u in users}


def _candidates(before: datetime) -> list[User]:
    """Accounts (not erased, not platform admins) whose last login or creation is before `before`."""
    return list(db.session.scalars(
        sa.select(User).where(permissions.erasable_for_inactivity(),
                              sa.func.coalesce(User.last_login_at, User.created_at) < before)
        .order_by(User.id)))


def handle_inactive_accounts(now: datetime) -> tuple[int, int, int]:
    """Returns (came back, erased, warned)."""
    months = _setting("RETENTION_INACTIVE_MONTHS")
    if not months:
        return 0, 0, 0
    grace = timedelta(days=_setting("RETENTION_INACTIVE_GRACE_DAYS"))
    warned_users = list(db.session.scalars(
        sa.select(User).where(User.erased_at.is_(None), User.inactivity_warned_at.is_not(None))))
    activity = _last_activity(warned_users)
    came_back = erased = 0
    for user in warned_users:
        if activity[user.id] > user.inactivity_warned_at:
            user.inactivity_warned_at = None  # active again: a later silence starts over
            came_back += 1
        elif user.inactivity_warned_at <= now - grace:
            # Recorded by id only, with the system as actor, like every erasure.
            record_event(AuditAction.ACCOUNT_ERASED, actor=None, subject=user)
            erasure.erase_user(user)
            erased += 1
        db.session.commit()
    warned = _warn_inactive(now, months, grace)
    return came_back, erased, warned


def _warn_inactive(now: datetime, months: int, grace: timedelta) -> int:
    cutoff = months_before(now, months)
    users = [u for u in _candidates(cutoff) if u.inactivity_warned_at is None]
    activity = _last_activity(users)
    warned = 0
    for user in users:
        if activity[user.id] >= cutoff:
            continue
        _queue_warning(user, months, (now + grace).date())
        user.inactivity_warned_at = now
        db.session.commit()  # one unit of work per account: the mail exists exactly when the mark does
        warned += 1
    return warned


def _queue_warning(user: User, months: int, erase_on) -> None:
    from course.mail import queue_mail
    from course.urls import external_url

    queue_mail(user.email, _l("Your Leerlijn account will be deleted"), "privacy_inactivity_warning",
               kind="inactivity_warning", locale=user.locale, user=user, months=months,
               erase_on=erase_on.strftime("%d-%m-%Y"), link=external_url("auth.login"))
