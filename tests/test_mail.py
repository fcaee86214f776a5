"""The outbox: mail is queued in the action's transaction and delivered by `flask mail send`."""
import socket
from datetime import timedelta
from email import message_from_bytes

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.mail import queue_mail
from course.mail.sender import backoff, send_queued
from course.models import MailStatus, OutboxMail, utcnow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            self.messages.append(envelope)
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, handler
    controller.stop()


def _queue(to="lotte@example.org", kind="test"):
    mail = queue_mail(to, "Onderwerp", "password_reset", kind=kind, user=type("U", (), {"name": "Lotte"})(),
                      link="http://leerlijn.test/x", minutes=60)
    db.session.commit()
    return mail


def test_mail_is_written_in_the_same_transaction_as_the_action(app):
    queue_mail("a@example.org", "x", "password_reset", kind="t", user=type("U", (), {"name": "A"})(),
               link="l", minutes=1)
    db.session.rollback()  # the action failed
    assert db.session.scalars(sa.select(OutboxMail)).all() == []


def test_delivers_through_a_real_smtp_server(make_app, smtp_server):
    controller, handler = smtp_server
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    with app.app_context():
        mail = _queue()
        assert send_queued() == (1, 0)
        db.session.refresh(mail)
        assert mail.status == MailStatus.SENT and mail.sent_at is not None
    [envelope] = handler.messages
    assert envelope.rcpt_tos == ["lotte@example.org"]
    message = message_from_bytes(envelope.content)
    assert message["Subject"] == "Onderwerp"
    assert "http://leerlijn.test/x" in message.get_payload(decode=True).decode()


def test_mail_stays_queued_when_the_smtp_server_is_down(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    with app.app_context():
        mail = _queue()
        assert send_queued() == (0, 1)
        db.session.refresh(mail)
        assert mail.status == MailStatus.QUEUED
        assert mail.attempts == 1 and mail.last_error
        assert mail.next_attempt_at > utcnow(), "retried later, with back-off"
        assert send_queued() == (0, 0), "not retried before its time"


def test_mail_is_delivered_once_the_server_is_back(make_app, smtp_server):
    controller, handler = smtp_server
    down = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    with down.app_context():
        mail = _queue()
        send_queued()
        db.session.execute(sa.update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        mail_id = mail.id
    up = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    with up.app_context():
        assert send_queued() == (1, 0)
        assert db.session.get(OutboxMail, mail_id).status == MailStatus.SENT
    assert len(handler.messages) == 1


def test_gives_up_after_the_maximum_number_of_attempts(make_app):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port(), MAIL_MAX_ATTEMPTS=2)
    with app.app_context():
        mail = _queue()
        for _ in range(2):
            db.session.execute(sa.update(OutboxMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
            db.session.commit()
            send_queued()
        db.session.refresh(mail)
        assert mail.status == MailStatus.FAILED and mail.attempts == 2


def test_backoff_grows_and_is_capped():
    assert [backoff(n).total_seconds() // 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(50) == timedelta(hours=6)


def test_without_smtp_mail_is_written_to_files_and_links_are_logged(app, tmp_path, caplog):
    mail = _queue()
    caplog.set_level("INFO")
    assert send_queued() == (1, 0)
    files = list((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 1
    assert b"http://leerlijn.test/x" in files[0].read_bytes()
    assert "http://leerlijn.test/x" in caplog.text
    db.session.refresh(mail)
    assert mail.status == MailStatus.SENT


def test_a_claimed_mail_is_not_sent_by_a_second_worker(app):
    mail = _queue()
    db.session.execute(sa.update(OutboxMail).values(claimed_until=utcnow() + timedelta(minutes=1)))
    db.session.commit()
    assert send_queued() == (0, 0)
    db.session.refresh(mail)
    assert mail.status == MailStatus.QUEUED


def test_mail_send_command_delivers_and_can_watch(app, tmp_path):
    _queue()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Sent 1" in result.output
    _queue()
    result = runner.invoke(args=["mail", "send", "--watch", "--interval", "0", "--rounds", "2"])
    assert result.exit_code == 0 and "Sent 1" in result.output


def test_mail_is_written_in_the_recipients_language(client, make_app, outbox):
    from tests import factories

    factories.make_user(email="en@example.org", locale="en")
    factories.make_user(email="nl@example.org", locale="nl")
    client.post("/wachtwoord-vergeten", data={"email": "en@example.org"})
    client.post("/wachtwoord-vergeten", data={"email": "nl@example.org"})
    english, dutch = outbox()
    assert english.subject == "Reset your Leerlijn password"
    assert "Hello" in english.body_text
    assert dutch.subject != english.subject and "Hallo" in dutch.body_text
