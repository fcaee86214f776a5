"""Mail given up: `flask mail retry`, the admin's failed-mail page, and reset links
that are never sent once expired."""
import re
from datetime import timedelta

import sqlalchemy as sa

from course.extensions import db
from course.mail.sender import send_queued
from course.models import MailStatus, OutboxMail, utcnow
from tests import factories
from tests.querycount import count_queries
from tests.test_mail import _queue


def _fail(mail: OutboxMail, attempts: int = 8) -> OutboxMail:
    mail.status = MailStatus.FAILED
    mail.attempts = attempts
    mail.last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
    db.session.commit()
    return mail


def _mail_files(tmp_path) -> list:
    return sorted((tmp_path / "mail").glob("*.eml"))


def test_a_reset_mail_knows_when_its_link_expires(app, client, outbox):
    factories.make_user(email="lotte@example.org")
    client.post("/wachtwoord-vergeten", data={"email": "lotte@example.org"})
    [mail] = outbox()
    expected = utcnow() + timedelta(seconds=app.config["PASSWORD_RESET_MAX_AGE"])
    assert abs((mail.expires_at - expected).total_seconds()) < 60


def test_an_expired_reset_link_is_cancelled_not_sent(app, client, outbox, tmp_path):
    factories.make_user(email="lotte@example.org")
    client.post("/wachtwoord-vergeten", data={"email": "lotte@example.org"})
    [mail] = outbox()
    mail.expires_at = utcnow() - timedelta(seconds=1)  # the server was down for an hour
    db.session.commit()
    assert send_queued() == (0, 1)
    db.session.refresh(mail)
    assert mail.status == MailStatus.CANCELLED and "expired" in mail.last_error
    assert mail.attempts == 0 and mail.sent_at is None
    assert _mail_files(tmp_path) == []


def test_a_reset_link_still_valid_is_sent(app, client, outbox, tmp_path):
    factories.make_user(email="lotte@example.org")
    client.post("/wachtwoord-vergeten", data={"email": "lotte@example.org"})
    assert send_queued() == (1, 0)
    assert len(_mail_files(tmp_path)) == 1


def test_mail_retry_requeues_failed_mail_with_fresh_attempts(app, tmp_path):
    failed = _fail(_queue(to="a@example.org"))
    other = _fail(_queue(to="b@example.org"))
    result = app.test_cli_runner().invoke(args=["mail", "retry", "--id", str(failed.id)])
    assert result.exit_code == 0, result.output
    assert "Re-queued 1" in result.output
    db.session.refresh(failed)
    db.session.refresh(other)
    assert failed.status == MailStatus.QUEUED and failed.attempts == 0
    assert other.status == MailStatus.FAILED
    assert send_queued() == (1, 0)
    assert len(_mail_files(tmp_path)) == 1
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert "Re-queued 1" in result.output
    assert send_queued() == (1, 0)


def test_mail_retry_cancels_a_failed_reset_whose_link_expired(app, tmp_path):
    mail = _queue(to="a@example.org", kind="password_reset")
    mail.expires_at = utcnow() - timedelta(minutes=5)
    _fail(mail)
    result = app.test_cli_runner().invoke(args=["mail", "retry"])
    assert "Re-queued 0" in result.output and "cancelled 1" in result.output
    db.session.refresh(mail)
    assert mail.status == MailStatus.CANCELLED
    assert send_queued() == (0, 0) and _mail_files(tmp_path) == []


def test_mail_retry_of_a_mail_that_has_not_failed_says_so(app):
    mail = _queue()
    result = app.test_cli_runner().invoke(args=["mail", "retry", "--id", str(mail.id)])
    assert result.exit_code != 0 and "has not failed" in result.output
    result = app.test_cli_runner().invoke(args=["mail", "retry", "--id", "999999"])
    assert result.exit_code != 0


def test_the_admin_sees_failed_mail_in_dutch_and_retries_it(app, admin_client, tmp_path):
    mail = _fail(_queue(to="onbereikbaar@example.org"))
    dashboard = admin_client.get("/beheer").get_data(as_text=True)
    assert "Mislukte mail" in dashboard
    assert re.search(r"<dt>Mail die niet verstuurd kon worden</dt>\s*<dd><a [^>]*>1</a>", dashboard)
    page = admin_client.get("/beheer/mail")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "onbereikbaar@example.org" in html and "SMTPServerDisconnected" in html
    assert "Opnieuw proberen" in html
    response = admin_client.post(f"/beheer/mail/{mail.id}/opnieuw", follow_redirects=True)
    assert "1 mail staat weer in de wachtrij." in response.get_data(as_text=True)
    db.session.refresh(mail)
    assert mail.status == MailStatus.QUEUED
    assert "Geen mislukte mail" in admin_client.get("/beheer/mail").get_data(as_text=True)


def test_the_admin_retries_all_failed_mail_at_once(app, admin_client):
    for n in range(3):
        _fail(_queue(to=f"x{n}@example.org"))
    response = admin_client.post("/beheer/mail/opnieuw", follow_redirects=True)
    assert "3 mails staan weer in de wachtrij." in response.get_data(as_text=True)
    statuses = db.session.scalars(sa.select(OutboxMail.status)).all()
    assert statuses == [MailStatus.QUEUED] * 3


def test_a_second_retry_of_the_same_mail_changes_nothing(app, admin_client):
    mail = _fail(_queue())
    admin_client.post(f"/beheer/mail/{mail.id}/opnieuw")
    response = admin_client.post(f"/beheer/mail/{mail.id}/opnieuw", follow_redirects=True)
    assert "Niets om opnieuw te proberen" in response.get_data(as_text=True)


def test_retry_needs_the_csrf_token(make_app, platform_admin):
    mail = _fail(_queue())
    csrf_app = make_app(WTF_CSRF_ENABLED=True, _fresh=True)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = platform_admin.get_id()
    assert client.post(f"/beheer/mail/{mail.id}/opnieuw").status_code == 400
    assert client.post("/beheer/mail/opnieuw").status_code == 400
    page = client.get("/beheer/mail").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post(f"/beheer/mail/{mail.id}/opnieuw", data={"csrf_token": token}).status_code == 302
    db.session.refresh(mail)
    assert mail.status == MailStatus.QUEUED


def test_the_failed_mail_page_uses_a_fixed_number_of_queries(app, admin_client):
    _fail(_queue())
    admin_client.get("/beheer/mail")
    with count_queries() as small:
        admin_client.get("/beheer/mail")
    for n in range(10):
        _fail(_queue(to=f"x{n}@example.org"))
    with count_queries() as large:
        admin_client.get("/beheer/mail")
    assert large.count == small.count
