"""Regressions found by attacking the running app (security review): each test
fails without its fix."""
import sqlalchemy as sa

from course.extensions import db
from course.mail import queue_mail
from course.mail.sender import build_message, send_queued
from course.models import MailStatus, OutboxMail
from tests import factories
from tests.test_access_matrix import _client, build_world

LINE_BREAKS = "Stichting\r\nBcc: kwaadwillend@example.com"


def test_a_line_break_typed_into_a_name_never_reaches_a_mail_header(app, client):
    """Anonymous visitors name the organisation in the in-company form; the platform
    admins' subject carries it. A CR/LF there made the mail unbuildable and crashed
    `flask mail send` for every mail behind it."""
    factories.make_user(role="admin")
    factories.make_course(slug="welzijn-2-0")
    response = client.post("/cursussen/welzijn-2-0/in-company", data={
        "organisation": LINE_BREAKS, "contact_name": "Kwaad", "email": "kwaad@example.org", "team_size": "3"})
    assert response.status_code == 302
    mail = db.session.scalar(sa.select(OutboxMail).where(OutboxMail.kind == "org_request_received"))
    assert "\r" not in mail.subject and "\n" not in mail.subject
    message = build_message(mail)
    assert message["Bcc"] is None
    assert "Stichting Bcc: kwaadwillend@example.com" in message["Subject"]


def test_an_unbuildable_mail_fails_alone_and_the_rest_is_delivered(app):
    bad = queue_mail("fout@example.org\r\nBcc: x@example.com", "Hallo", "password_reset", kind="test",
                     user=factories.make_user(), link="http://x", minutes=5)
    good = queue_mail("goed@example.org", "Hallo", "password_reset", kind="test",
                      user=factories.make_user(), link="http://x", minutes=5)
    db.session.commit()
    sent, failed = send_queued()
    assert (sent, failed) == (1, 1)
    assert db.session.get(OutboxMail, bad.id).status == MailStatus.FAILED
    assert db.session.get(OutboxMail, good.id).status == MailStatus.SENT


def test_a_line_break_in_a_group_name_does_not_break_its_csv_export(app):
    world = build_world()
    client = _client(app, world, "org_admin")
    response = client.post(f"/organisatie/groepen/{world.cohort.public_id}/bewerken",
                           data={"name": "Team\r\nX-Kwaad: 1"})
    assert response.status_code == 302
    response = client.get(f"/organisatie/groepen/{world.cohort.public_id}/voortgang.csv")
    assert response.status_code == 200
    assert "X-Kwaad" not in response.headers
    assert "\n" not in response.headers["Content-Disposition"]
