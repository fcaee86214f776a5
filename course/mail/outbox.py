"""Queueing mail. Never commits: the caller's unit of work does, so the mail
exists exactly when the action that caused it does."""
import re
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale

from course.extensions import db
from course.models import OutboxMail


def queue_mail(to: str, subject: str, template: str, *, kind: str, locale: str = "nl", recipient=None,
               expires_at: datetime | None = None, **context) -> OutboxMail:
    """Render `templates/mail/<template>.txt` (and `.html` when present) in the
    recipient's language and add it to the outbox. `subject` is a lazy or plain
    string; it is rendered in the recipient's language too. `recipient` is the account
    the mail is for when `to` is not (or no longer) its address, e.g. a notice to a
    former address; otherwise it is found from the address. Mail with `expires_at`
    (naive UTC) is cancelled instead of sent once that moment has passed."""
    with force_locale(locale or "nl"):
        # Rendered without the page context processors: mail is also sent from CLI commands.
        body_text = current_app.jinja_env.get_template(f"mail/{template}.txt").render(**context)
        # A header is one line: a CR/LF from a typed name (organisation, course) would make
        # the mail unbuildable (or, with a laxer library, inject headers).
        subject_text = _one_line(str(subject))
    mail = OutboxMail(to_address=to, subject=subject_text, body_text=body_text, kind=kind, expires_at=expires_at,
                      recipient_id=recipient.id if recipient is not None else _recipient_id(to, context))
    db.session.add(mail)
    return mail


def _recipient_id(to: str, context: dict) -> int | None:
    """The account the mail is for: the user passed to the template with this address,
    or else the account that has it. Erasure and the sender rely on it."""
    from course.models import User

    for value in context.values():
        if isinstance(value, User) and value.id is not None and value.email == (to or "").strip().lower():
            return value.id
    return db.session.scalar(sa.select(User.id).where(User.email == (to or "").strip().lower()))


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())
