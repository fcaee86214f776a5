"""E-mail addresses: one rule everywhere; changing the address needs the password and a
link to the new address; registration is rate-limited and reveals nothing."""
import re

import pytest
import sqlalchemy as sa

from course.auth.forms import LoginForm, RegisterForm
from course.emails import valid_email
from course.extensions import db
from course.models import User
from course.org.forms import InviteForm
from tests import factories


def _link(mail, path: str) -> str:
    return re.search(r"http://leerlijn\.test(" + path + r"\S+)", mail.body_text).group(1)


def _change(client, email, password=factories.PASSWORD):
    return client.post("/mijn-account/e-mailadres", data={"email": email, "current_password": password})


def test_changing_the_address_needs_the_current_password(learner_client, learner, outbox):
    response = _change(learner_client, "nieuw@example.org", password="niet mijn wachtwoord")
    assert response.status_code == 200 and "field__error" in response.text
    assert outbox() == []
    db.session.refresh(learner)
    assert learner.email == "learner@example.org"


def test_the_address_changes_only_when_the_link_sent_to_it_is_followed(learner_client, learner, outbox):
    assert _change(learner_client, "Nieuw@Example.org").status_code == 302
    db.session.refresh(learner)
    assert learner.email == "learner@example.org", "nothing changes before the link is followed"
    [mail] = outbox()
    assert mail.to_address == "nieuw@example.org" and mail.kind == "email_change_confirm"
    link = _link(mail, "/e-mailadres-bevestigen/")
    assert learner_client.get(link).status_code == 200
    db.session.refresh(learner)
    assert learner.email == "learner@example.org", "opening the page (a mail scanner) changes nothing"
    assert learner_client.post(link).status_code == 302
    db.session.refresh(learner)
    assert learner.email == "nieuw@example.org"
    notice = outbox()[-1]
    assert notice.to_address == "learner@example.org" and notice.kind == "email_change_notice"
    assert "nieuw@example.org" in notice.body_text
    assert learner_client.post(link).status_code == 400, "the link works once"


def test_an_address_of_another_account_is_not_taken_and_not_revealed(learner_client, learner, trainer, outbox):
    taken = _change(learner_client, trainer.email)
    assert taken.status_code == 302
    [mail] = outbox()
    assert mail.to_address == trainer.email and mail.kind == "email_change_taken"
    assert "/e-mailadres-bevestigen/" not in mail.body_text
    db.session.refresh(learner)
    assert learner.email == "learner@example.org"


def test_an_expired_or_tampered_change_link_is_refused(make_app, learner, outbox):
    app = make_app(EMAIL_CONFIRM_MAX_AGE=-1)
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    _change(client, "nieuw@example.org")
    link = _link(outbox()[-1], "/e-mailadres-bevestigen/")
    assert client.post(link).status_code == 400
    assert client.get(link[:-4] + "abcd").status_code == 400
    db.session.refresh(learner)
    assert learner.email == "learner@example.org"


def test_registration_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, REGISTER_LIMIT="2 per minute")
    client = app.test_client()
    codes = [client.post("/registreren", data={"name": "X", "email": f"x{n}@example.org"}).status_code
             for n in range(3)]
    assert codes == [200, 200, 429]


def test_registration_mails_to_one_address_are_limited_whatever_the_ip(make_app, outbox):
    app = make_app(RATELIMIT_ENABLED=True, RESET_LIMIT_PER_ACCOUNT="2 per minute", REGISTER_LIMIT="100 per minute")
    codes = [app.test_client().post("/registreren", data={"name": "X", "email": "doelwit@example.org"},
                                    environ_base={"REMOTE_ADDR": f"198.51.100.{n}"}).status_code
             for n in range(1, 4)]
    assert codes == [200, 200, 429]


def test_someone_else_following_a_registration_link_after_the_account_exists_gets_nothing(client, outbox):
    client.post("/registreren", data={"name": "Eerste", "email": "dubbel@example.org"})
    client.post("/registreren", data={"name": "Tweede", "email": "dubbel@example.org"})
    first, second = (_link(m, "/registreren/") for m in outbox())
    assert client.post(first, data={"password": "een lange zin", "confirm": "een lange zin"}).status_code == 302
    assert client.get(second).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


ADDRESSES = ["anna@zorg.test", "a.b+c@sub.voorbeeld.nl", "x@localhost", "geen-at.nl", "a@b", "twee@@a.nl",
             "spatie in@a.nl", "lotte@welzijn.amsterdam"]


@pytest.mark.parametrize("address", ADDRESSES)
def test_login_registration_and_invitations_accept_the_same_addresses(app, address):
    with app.test_request_context(method="POST", data={"email": address, "name": "N", "password": "x"}):
        verdicts = {type(form).__name__: form.email.validate(form)
                    for form in (LoginForm(meta={"csrf": False}), RegisterForm(meta={"csrf": False}),
                                 InviteForm(meta={"csrf": False}))}
    assert set(verdicts.values()) == {valid_email(address)}, verdicts


def test_a_dot_test_address_can_register_and_log_in(client, outbox):
    client.post("/registreren", data={"name": "Anna", "email": "anna@zorg.test"})
    link = _link(outbox()[-1], "/registreren/")
    client.post(link, data={"password": "een lange zin", "confirm": "een lange zin"})
    client.post("/uitloggen")
    response = client.post("/inloggen", data={"email": "anna@zorg.test", "password": "een lange zin"})
    assert response.status_code == 302


def test_the_cli_refuses_what_the_forms_refuse(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "--email", "geen-adres", "--name", "X",
                                                "--password", "een lang wachtwoord"])
    assert result.exit_code != 0
    assert db.session.scalar(sa.select(User)) is None


def test_an_older_change_link_is_spent_once_the_address_has_changed(learner_client, learner, outbox):
    _change(learner_client, "eerste@example.org")
    _change(learner_client, "tweede@example.org")
    first, second = (_link(m, "/e-mailadres-bevestigen/") for m in outbox())
    assert learner_client.post(second).status_code == 302
    assert learner_client.post(first).status_code == 400
    db.session.refresh(learner)
    assert learner.email == "tweede@example.org"
