"""Failed mail (issue 9): platform admins only."""
from course.extensions import db
from course.models import MailStatus, OutboxMail

from . import Row, only


def prepare(w):
    w.failed_mail = OutboxMail(to_address="weg@example.org", subject="x", body_text="x", kind="test",
                               status=MailStatus.FAILED, attempts=8)
    db.session.add(w.failed_mail)
    db.session.commit()


ROWS = [
    Row("admin.failed_mail", lambda w: "/beheer/mail", only("admin")),
    Row("admin.retry_all_mail", lambda w: "/beheer/mail/opnieuw", only("admin", ok=302), method="POST"),
    Row("admin.retry_mail", lambda w: f"/beheer/mail/{w.failed_mail.id}/opnieuw", only("admin", ok=302),
        method="POST"),
]
