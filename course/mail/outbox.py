"""Queueing mail. Never commits: the caller's unit of work does, so the mail
exists exactly when the action that caused it does."""
import re
from datetime import datetime

from flask import current_app
from flask_babel import force_locale

from course.extensions import db
from course.models import OutboxMail


def queue_mail(to: str, subject: str, template: str, *, kind: str, locale: str = "nl",
               expires_at: datetime | None = None, **context) -> OutboxMail:
    """Render `templates/mail/<template>.txt` (and `.html` when present) in the
    recipient's language and add it to the outbox. `subject` is a lazy or plain
    string; it is rendered in the recipient's language too. Mail with `expires_at`
    (naive UTC) is cancelled instead of sent once that moment has passed."""
    with force_locale(locale or "nl"):
        # Rendered without the page context processors: mail is also sent from CLI commands.
        body_text = current_app.jinja_env.get_template(f"mail/{template}.txt").render(**context)
        # A header is one line: a CR/LF from a typed name (organisation, course) would make
        # the mail unbuildable (or, with a laxer library, inject headers).
        subject_text = _one_line(str(subject))
    mail = OutboxMail(to_address=to, subject=subject_text, body_text=body_text, kind=kind, expires_at=expires_at)
    db.session.add(mail)
    return mail


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())
