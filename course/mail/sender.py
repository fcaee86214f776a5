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
    return msg


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


def _claim_due(limit: int) -> list[int]:
    """Claim due rows so parallel workers never send the same mail twice."""
    now = utcnow()
    ids = db.session.scalars(
        sa.select(OutboxMail.id)
        .where(OutboxMail.status == MailStatus.QUEUED, OutboxMail.next_attempt_at <= now,
               sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
        .order_by(OutboxMail.id)
        .limit(limit)
    ).all()
    claimed = []
    for mail_id in ids:
        result = db.session.execute(
            sa.update(OutboxMail)
            .where(OutboxMail.id == mail_id,
                   sa.or_(OutboxMail.claimed_until.is_(None), OutboxMail.claimed_until < now))
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
        )
        if result.rowcount == 1:
            claimed.append(mail_id)
    db.session.commit()
    return claimed


def send_one(mail: OutboxMail) -> bool:
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
    """Deliver due mail. Each mail is its own unit of work. Returns (sent, failed)."""
    sent = failed = 0
    for mail_id in _claim_due(limit):
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
