"""New passwords: not one of the most common ones, not built from the person's name or
address; a strength hint while typing (the server decides)."""
import re
from pathlib import Path

import pytest

from course.auth import services
from course.auth.password_policy import common_passwords, password_problem
from course.extensions import db
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def test_the_bundled_lists_hold_thousands_of_common_passwords_dutch_ones_included():
    listed = common_passwords()
    assert len(listed) >= 10_000
    assert {"welkom01", "wachtwoord", "123456789", "qwertyuiop", "feyenoord"} <= listed


@pytest.mark.parametrize("password", ["wachtwoord", "Welkom01", "qwertyuiop", "1234567890", "welkom2026!",
                                      "Wachtwoord123", "iloveyou12"])
def test_common_passwords_are_refused(password):
    assert password_problem(password, "anna@example.org", "Anna Jansen") is not None


@pytest.mark.parametrize("password", ["annajansen1", "mijn naam is anna", "anna.jansen@example.org",
                                      "jansen is mijn achternaam", "AnnaJansen!!"])
def test_passwords_with_the_name_or_address_are_refused(password):
    assert password_problem(password, "anna.jansen@example.org", "Anna Jansen") is not None


@pytest.mark.parametrize("password", ["een lange zin", "correct horse battery", "paars fietspad onder water"])
def test_ordinary_sentences_are_fine(password):
    assert password_problem(password, "anna.jansen@example.org", "Anna Jansen") is None


def _reg_link(mail) -> str:
    return re.search(r"http://leerlijn\.test(/registreren/\S+)", mail.body_text).group(1)


@pytest.mark.parametrize("password, message", [
    ("wachtwoord", "meest gebruikte wachtwoorden"),
    ("fatima-de-boer-2026", "naam"),
])
def test_completing_a_registration_refuses_a_weak_password_in_dutch(client, outbox, password, message):
    client.post("/registreren", data={"name": "Fatima de Boer", "email": "f.boer@example.org"})
    response = client.post(_reg_link(outbox()[-1]), data={"password": password, "confirm": password})
    assert response.status_code == 200 and message in response.text
    assert services.find_user_by_email("f.boer@example.org") is None


def test_changing_the_password_refuses_a_common_one_and_keeps_the_old(learner_client, learner):
    response = learner_client.post("/mijn-account/wachtwoord", data={
        "current_password": factories.PASSWORD, "password": "welkom12345", "confirm": "welkom12345"})
    assert response.status_code == 200 and "field__error" in response.text
    assert services.authenticate(learner.email, factories.PASSWORD) is not None


def test_a_reset_refuses_the_own_address(client, learner, outbox):
    client.post("/wachtwoord-vergeten", data={"email": learner.email})
    link = re.search(r"http://leerlijn\.test(/wachtwoord-herstellen/\S+)", outbox()[-1].body_text).group(1)
    response = client.post(link, data={"password": "learner@example.org", "confirm": "learner@example.org"})
    assert response.status_code == 200 and "e-mailadres" in response.text
    db.session.refresh(learner)
    assert services.authenticate(learner.email, factories.PASSWORD) is not None


def test_new_password_fields_carry_the_typing_hint_for_the_local_script(learner_client):
    html = learner_client.get("/mijn-account/wachtwoord").text
    field = re.search(r'<input[^>]*id="password"[^>]*>', html).group(0)
    assert 'data-strength-short="Te kort' in field and "data-strength-strong" in field
    assert "/static/js/password.js" in html
    script = (ROOT / "static/js/password.js").read_text()
    assert 'setAttribute("aria-live", "polite")' in script and "aria-describedby" in script


def test_accepting_an_invitation_refuses_a_common_password(client, organisation):
    from course.org.tokens import invitation_token
    from tests import factories_org

    invitation = factories_org.make_invitation(organisation, email="nieuw@example.org", as_org_admin=True)
    response = client.post("/uitnodiging/" + invitation_token(invitation),
                           data={"name": "Nieuw", "password": "wachtwoord1", "confirm": "wachtwoord1"})
    assert response.status_code == 200 and "meest gebruikte" in response.text
    assert services.find_user_by_email("nieuw@example.org") is None
