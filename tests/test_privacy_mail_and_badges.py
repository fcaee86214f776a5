"""Mail to an erased person is never sent; an erased person's badges answer "revoked"
without a hashed address that would confirm a guess."""
import sqlalchemy as sa

from course.auth import services as auth_services
from course.badges import services as badge_services
from course.extensions import db
from course.mail import queue_mail
from course.models import BadgeAssertion, MailStatus, OutboxMail
from course.privacy import erasure
from tests import factories, factories_badges


def _delivered(tmp_path) -> list:
    return list((tmp_path / "mail").glob("*.eml"))


def test_mail_queued_before_erasure_is_never_delivered(app, tmp_path, learner):
    with app.test_request_context():
        auth_services.request_password_reset(learner.email)
    [queued] = db.session.scalars(sa.select(OutboxMail)).all()
    assert queued.recipient_id == learner.id and queued.status == MailStatus.QUEUED
    auth_services.erase_account(learner)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Sent 0" in result.output
    assert _delivered(tmp_path) == []
    assert db.session.scalars(sa.select(OutboxMail)).all() == []


def test_the_sender_drops_mail_queued_for_an_account_erased_meanwhile(app, tmp_path, learner):
    """A transaction that read the learner before the erasure commits its mail after it:
    the sender checks the recipient at delivery and deletes the mail instead."""
    address = learner.email
    auth_services.erase_account(learner)
    db.session.add(OutboxMail(to_address=address, recipient_id=learner.id, subject="Feedback",
                              body_text="Je schreef: geheime tekst", kind="review_decided"))
    db.session.add(OutboxMail(to_address=learner.email, subject="x", body_text="y", kind="test"))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0 and "Sent 0" in result.output
    assert _delivered(tmp_path) == []
    assert db.session.scalars(sa.select(OutboxMail)).all() == []


def test_mail_to_others_is_still_delivered(app, tmp_path, learner):
    other = factories.make_user(email="ander@example.org")
    queue_mail(other.email, "Hallo", "org_admin_appointed", kind="test", user=other,
               organisation=type("O", (), {"name": "Org"})(), link="http://leerlijn.test/")
    db.session.commit()
    auth_services.erase_account(learner)
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Sent 1" in result.output and len(_delivered(tmp_path)) == 1


def test_queued_mail_knows_its_recipient_account(app, learner):
    by_context = queue_mail(learner.email, "x", "org_admin_appointed", kind="t", user=learner,
                            organisation=type("O", (), {"name": "Org"})(), link="l")
    by_address = queue_mail("LEARNER@example.org", "x", "org_admin_appointed", kind="t", user=None,
                            organisation=type("O", (), {"name": "Org"})(), link="l")
    stranger = queue_mail("nobody@example.org", "x", "org_admin_appointed", kind="t", user=None,
                          organisation=type("O", (), {"name": "Org"})(), link="l")
    db.session.commit()
    former = queue_mail("oud@example.org", "x", "org_admin_appointed", kind="t", user=learner, recipient=learner,
                        organisation=type("O", (), {"name": "Org"})(), link="l")
    db.session.commit()
    assert (by_context.recipient_id, by_address.recipient_id, stranger.recipient_id) == (learner.id, learner.id, None)
    assert former.recipient_id == learner.id


def test_an_erased_persons_badge_json_no_longer_confirms_an_address(app, client, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    assertion = factories_badges.award_module_badge(enrolment, course.modules[0])
    salt, identity = assertion.recipient_salt, assertion.recipient_hash
    assert identity == badge_services.hash_identity("learner@example.org", salt)
    url = f"/ob/assertions/{assertion.public_id}.json"
    live = client.get(url)
    assert live.status_code == 200 and live.get_json(force=True)["recipient"]["identity"] == identity

    auth_services.erase_account(learner)

    answer = client.get(url)
    assert answer.status_code == 410
    document = answer.get_json(force=True)
    assert document["revoked"] is True and "recipient" not in document
    body = answer.get_data(as_text=True)
    assert identity not in body and salt not in body
    row = db.session.get(BadgeAssertion, assertion.id)
    assert (row.recipient_salt, row.recipient_hash) == ("", ""), "no stored hash can confirm a guessed address"
    page = client.get(f"/badges/{assertion.public_id}").get_data(as_text=True)
    assert identity not in page and "learner@example.org" not in page


def test_an_admin_revocation_reason_is_replaced_at_erasure(app, client, learner):
    course = factories.make_course()
    enrolment = factories.make_enrolment(learner, course)
    assertion = factories_badges.award_module_badge(enrolment, course.modules[0])
    badge_services.revoke(assertion, f"Fraude door {learner.name}")
    auth_services.erase_account(learner)
    document = client.get(f"/ob/assertions/{assertion.public_id}.json").get_json(force=True)
    assert document["revoked"] is True and document["revocationReason"] == erasure.REASON_ERASED
