"""Accounts: register, log in and out, reset and change the password, profile."""
import re

import pytest
import sqlalchemy as sa

from course.auth import services
from course.extensions import db
from course.models import User
from tests import factories

GENERIC_LOGIN_ERROR = "The e-mail address or password is not correct."


def _reset_link(mail) -> str:
    return re.search(r"http://leerlijn\.test(/wachtwoord-herstellen/\S+)", mail.body_text).group(1)


def _link_in(mail, path: str) -> str:
    return re.search(r"http://leerlijn\.test(" + path + r"\S+)", mail.body_text).group(1)


def test_register_mails_a_link_through_which_the_password_is_chosen(client, outbox):
    response = client.post("/registreren", data={"name": "Fatima", "email": "Fatima@Example.org"})
    assert response.status_code == 200 and "fatima@example.org" in response.text
    assert db.session.scalar(sa.select(User)) is None, "no account before the link is followed"
    [mail] = outbox()
    assert mail.to_address == "fatima@example.org" and mail.kind == "register_confirm"
    link = _link_in(mail, "/registreren/")
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "een lange zin", "confirm": "een lange zin"})
    assert done.status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "fatima@example.org"))
    assert user is not None and user.name == "Fatima"
    assert user.password_hash.startswith("$argon2id$")
    assert client.get("/mijn-account").status_code == 200
    assert client.get(link).status_code == 400, "the link works once"


def test_register_looks_the_same_for_a_known_address_and_tells_the_owner(client, learner, outbox):
    new = client.post("/registreren", data={"name": "X", "email": "nieuw@example.org"})
    known = client.post("/registreren", data={"name": "X", "email": learner.email})
    assert known.status_code == new.status_code == 200
    assert known.text.replace(learner.email, "ADDRESS") == new.text.replace("nieuw@example.org", "ADDRESS")
    mails = {m.to_address: m for m in outbox()}
    assert mails[learner.email].kind == "register_existing"
    assert "/wachtwoord-vergeten" in mails[learner.email].body_text
    assert "/registreren/" not in mails[learner.email].body_text, "no way to make a second account"


def test_register_is_closed_when_open_registration_is_off(make_app):
    client = make_app(OPEN_REGISTRATION=False).test_client()
    assert client.get("/registreren").status_code == 403
    assert client.post("/registreren", data={"name": "x"}).status_code == 403


@pytest.mark.parametrize("email", ["niet-een-adres", "a" * 300 + "@example.org", "x@", ""])
def test_malformed_or_overlong_email_is_a_form_error(client, email):
    response = client.post("/registreren", data={"name": "X", "email": email})
    assert response.status_code == 200
    assert b"field__error" in response.data


def test_overlong_name_is_a_form_error(client):
    response = client.post("/registreren", data={"name": "n" * 500, "email": "n@example.org"})
    assert response.status_code == 200
    assert b"field__error" in response.data


def test_wrong_password_and_unknown_email_get_the_same_message(client, learner):
    wrong = client.post("/inloggen", data={"email": learner.email, "password": "not the password"})
    unknown = client.post("/inloggen", data={"email": "nobody@example.org", "password": "not the password"})
    assert wrong.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(rb'name="csrf_token" value="[^"]*"|value="[^"]*"', b"", html)  # noqa: E731
    assert strip(wrong.data) == strip(unknown.data)


def test_login_lands_on_the_page_fitting_the_role(client, make_app, learner, trainer, platform_admin, org_admin):
    expected = {learner: "/mijn-leren", trainer: "/beoordelen", platform_admin: "/beheer", org_admin: "/organisatie"}
    for user, landing in expected.items():
        c = make_app().test_client()
        response = c.post("/inloggen", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 302
        assert response.headers["Location"] == landing


def test_login_follows_a_local_next_but_not_an_external_one(client, learner):
    ok = client.post("/inloggen?next=/mijn-account", data={"email": learner.email, "password": factories.PASSWORD})
    assert ok.headers["Location"] == "/mijn-account"
    client.post("/uitloggen")
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post("/inloggen", query_string={"next": evil},
                               data={"email": learner.email, "password": factories.PASSWORD})
        assert response.headers["Location"] == "/mijn-leren"
        client.post("/uitloggen")


def test_logout_needs_a_post(learner_client):
    assert learner_client.get("/uitloggen").status_code == 405
    assert learner_client.post("/uitloggen").status_code == 302
    assert learner_client.get("/mijn-account").status_code == 302


def test_login_is_rate_limited_per_account_and_ip(make_app, learner):
    client = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT_AND_IP="3 per minute",
                      LOGIN_LIMIT_PER_IP="100 per minute").test_client()
    codes = [client.post("/inloggen", data={"email": learner.email, "password": "wrong!"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = client.post("/inloggen", data={"email": "someone-else@example.org", "password": "wrong!"})
    assert other.status_code == 200, "another account from the same IP is not blocked by the account limit"


def test_login_is_rate_limited_per_ip(make_app):
    client = make_app(RATELIMIT_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="100 per minute",
                      LOGIN_LIMIT_PER_IP="3 per minute").test_client()
    codes = [client.post("/inloggen", data={"email": f"user{i}@example.org", "password": "x"}).status_code
             for i in range(4)]
    assert codes == [200, 200, 200, 429]


def test_password_reset_mails_a_link_that_works_once(client, learner, outbox):
    response = client.post("/wachtwoord-vergeten", data={"email": learner.email})
    assert response.status_code == 302
    [mail] = outbox()
    assert mail.kind == "password_reset" and mail.to_address == learner.email
    link = _reset_link(mail)
    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "een nieuw wachtwoord", "confirm": "een nieuw wachtwoord"})
    assert done.status_code == 302
    assert services.authenticate(learner.email, "een nieuw wachtwoord") is not None
    again = client.get(link)
    assert again.status_code == 400
    assert b"already been used" in again.data or b"al gebruikt" in again.data
    assert b"/wachtwoord-vergeten" in again.data, "offers a button for a new link"


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client, outbox):
    response = client.post("/wachtwoord-vergeten", data={"email": "nobody@example.org"}, follow_redirects=True)
    assert response.status_code == 200
    assert outbox() == []


def test_expired_and_tampered_reset_tokens_get_a_clear_message(make_app, learner):
    app = make_app(PASSWORD_RESET_MAX_AGE=-1)
    client = app.test_client()
    with app.test_request_context():
        token = services.make_reset_token(learner)
    expired = client.get(f"/wachtwoord-herstellen/{token}")
    assert expired.status_code == 400 and b"/wachtwoord-vergeten" in expired.data
    tampered = client.get(f"/wachtwoord-herstellen/{token[:-3]}abc")
    assert tampered.status_code == 400 and b"/wachtwoord-vergeten" in tampered.data


def test_change_password_asks_for_the_current_one(learner_client, learner):
    wrong = learner_client.post("/mijn-account/wachtwoord", data={
        "current_password": "not it", "password": "een nieuw wachtwoord", "confirm": "een nieuw wachtwoord"})
    assert wrong.status_code == 200 and b"field__error" in wrong.data
    ok = learner_client.post("/mijn-account/wachtwoord", data={
        "current_password": factories.PASSWORD, "password": "een nieuw wachtwoord",
        "confirm": "een nieuw wachtwoord"})
    assert ok.status_code == 302
    assert learner_client.get("/mijn-account").status_code == 200, "this session stays logged in"


def test_changing_the_password_logs_out_other_sessions(login_as, learner):
    other_device = login_as(learner)
    this_device = login_as(learner)
    this_device.post("/mijn-account/wachtwoord", data={
        "current_password": factories.PASSWORD, "password": "een nieuw wachtwoord",
        "confirm": "een nieuw wachtwoord"})
    assert other_device.get("/mijn-account").status_code == 302


def test_profile_saves_name_language_and_registration_number(learner_client, learner):
    response = learner_client.post("/mijn-account", data={
        "name": "Lotte de Vries", "email": "lotte@example.org", "locale": "en", "registration_number": "123456789"})
    assert response.status_code == 302
    db.session.refresh(learner)
    assert (learner.name, learner.locale, learner.registration_number) == ("Lotte de Vries", "en", "123456789")
    assert learner.email == "learner@example.org", "the address changes only through the confirmation link"


def test_profile_refuses_an_invalid_registration_number(learner_client):
    response = learner_client.post("/mijn-account", data={
        "name": "L", "locale": "nl", "registration_number": "12-AB"})
    assert response.status_code == 200 and b"field__error" in response.data


def test_users_create_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--role", "trainer", "--email", "T@Example.org",
                                 "--name", "Tess", "--password", "een lang wachtwoord"])
    assert result.exit_code == 0, result.output
    user = services.find_user_by_email("t@example.org")
    assert user.role.value == "trainer"
    again = runner.invoke(args=["users", "create", "--email", "t@example.org", "--name", "T",
                                "--password", "een lang wachtwoord"])
    assert again.exit_code != 0 and "bestaat al" in again.output


def _redis_available() -> bool:
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_available(), reason="no Redis on 127.0.0.1:6379")
def test_login_limit_is_shared_by_app_servers_through_redis(make_app, learner):
    """Two app servers behind a load balancer count the same attempts."""
    import secrets

    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
                "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}", "LOGIN_LIMIT_PER_ACCOUNT": "3 per minute"}
    settings["LOGIN_LIMIT_PER_ACCOUNT_AND_IP"] = "3 per minute"
    server_a = make_app(**settings).test_client()
    server_b = make_app(**settings).test_client()
    codes = [c.post("/inloggen", data={"email": learner.email, "password": "wrong!"}).status_code
             for c in (server_a, server_b, server_a, server_b)]
    assert codes == [200, 200, 200, 429]
