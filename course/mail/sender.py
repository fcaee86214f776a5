"""Delivering the outbox: SMTP with retries and back-off, or files in instance/mail/."""
import logging
import re
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from course.extensions import db
from course.models import MailStatus, OutboxMail, utcnow
from course.privacy.erasure import cancel_if_erased

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120
LINK = re.compile(r"https?://\S+")
EXPIRED_NOTE = "expired: not sent, its link had expired"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def build_message(mail: OutboxMail) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = mail.to_address
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain="leerlijn.local")
    msg.set_content(mail.body_text)
    if mail.body_html:
        msg.add_alternative(mail.body_html, subtype="html")
    _attach(mail, msg)
    return msg


def _attach(mail: OutboxMail, msg: EmailMessage) -> None:
    """Files queued with the mail (course/models/mail.py OutboxAttachment), e.g. an .ics."""
    from course.models import OutboxAttachment

    attachments = db.session.scalars(sa.select(OutboxAttachment).where(OutboxAttachment.mail_id == mail.id)
                                     .order_by(OutboxAttachment.id)).all() if mail.id is not None else []
    for attachment in attachments:
        main, _, rest = attachment.content_type.partition("/")
        subtype, *params = [p.strip() for p in rest.split(";")]
        extra = dict(p.split("=", 1) for p in params if "=" in p and not p.startswith("charset"))
        msg.add_attachment(attachment.content.encode(), maintype=main, subtype=subtype,
                           filename=attachment.filename, params=extra)


def _deliver_smtp(msg: EmailMessage) -> None:
    cfg = current_app.config
    if cfg.get("MAIL_USE_SSL"):
        client = smtplib.SMTP_SSL(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
    with client:
        if cfg.get("MAIL_USE_TLS"):
            client.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            client.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        client.send_message(msg)


def _deliver_file(mail: OutboxMail, msg: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{mail.id:06d}-{mail.kind or 'mail'}.eml"
    path.write_bytes(bytes(msg))
    for link in LINK.findall(mail.body_text):
        log.info("Mail %s to %s: %s", mail.id, mail.to_address, link)
    log.info("Mail %s written to %s", mail.id, path)


def _claimable(now):
    """Queued, due, and not held by a live claim. Part of the claiming UPDATE too:
    a row another worker has sent meanwhile (status 'sent', claim cleared) is never taken."""
    return sa.and_(OutboxMail.status == MailStatus.QUEUED, OutboxMail.next_attempt_at <= now,
                   sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))


def _claim_next(skip: set[int]) -> int | None:
    """Claim one due row, committed, so parallel workers never send the same mail twice.
    One at a time: a claim is only held for the seconds its own delivery takes."""
    now = utcnow()
    candidates = db.session.scalars(
        sa.select(OutboxMail.id).where(_claimable(now), OutboxMail.id.not_in(skip) if skip else sa.true())
        .order_by(OutboxMail.id).limit(20)
    ).all()
    for mail_id in candidates:
        result = db.session.execute(
            sa.update(OutboxMail).where(OutboxMail.id == mail_id, _claimable(now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if result.rowcount == 1:
            return mail_id
    return None


def _expired(mail: OutboxMail) -> bool:
    """A reset link past its expiry is useless, and sending it only confuses: cancel it."""
    if mail.expires_at is None or mail.expires_at > utcnow():
        return False
    mail.status = MailStatus.CANCELLED
    mail.last_error = EXPIRED_NOTE
    mail.claimed_until = None
    log.info("Mail %s not sent: expired at %s", mail.id, mail.expires_at)
    return True


def send_one(mail: OutboxMail) -> bool:
    if _expired(mail):
        return False
    mail.attempts += 1
    try:
        msg = build_message(mail)
    except (ValueError, TypeError) as error:  # a header no retry can fix: fail it, keep the worker going
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        mail.status = MailStatus.FAILED
        mail.claimed_until = None
        log.error("Mail %s cannot be built: %s", mail.id, error)
        return False
    try:
        if current_app.config.get("MAIL_SERVER"):
            _deliver_smtp(msg)
        else:
            _deliver_file(mail, msg)
    except (OSError, smtplib.SMTPException) as error:
        mail.last_error = f"{type(error).__name__}: {error}"[:2000]
        if mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            mail.status = MailStatus.FAILED
        mail.next_attempt_at = utcnow() + backoff(mail.attempts)
        mail.claimed_until = None
        log.warning("Mail %s not delivered (attempt %s): %s", mail.id, mail.attempts, error)
        return False
    mail.status = MailStatus.SENT
    mail.sent_at = utcnow()
    mail.claimed_until = None
    mail.last_error = None
    return True


def send_queued(limit: int = 100) -> tuple[int, int]:
    """Deliver due mail. Each mail is its own unit of work. Returns (sent, not sent)."""
    sent = failed = 0
    seen: set[int] = set()
    while len(seen) < limit:
        mail_id = _claim_next(seen)
        if mail_id is None:
            break
        seen.add(mail_id)
        mail = db.session.get(OutboxMail, mail_id)
        if mail is None or cancel_if_erased(mail):
            db.session.commit()
            continue
        if send_one(mail):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed
