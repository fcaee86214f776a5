"""Queueing mail. Never commits: the caller's unit of work does, so the mail
exists exactly when the action that caused it does."""
from flask import current_app
from flask_babel import force_locale

from course.extensions import db
from course.models import OutboxMail


def queue_mail(to: str, subject: str, template: str, *, kind: str, locale: str = "nl", **context) -> OutboxMail:
    """Render `templates/mail/<template>.txt` (and `.html` when present) in the
    recipient's language and add it to the outbox. `subject` is a lazy or plain
    string; it is rendered in the recipient's language too."""
    with force_locale(locale or "nl"):
        # Rendered without the page context processors: mail is also sent from CLI commands.
        body_text = current_app.jinja_env.get_template(f"mail/{template}.txt").render(**context)
        subject_text = str(subject)
    mail = OutboxMail(to_address=to, subject=subject_text, body_text=body_text, kind=kind)
    db.session.add(mail)
    return mail
