"""The public in-company request form: stored, mailed to every platform admin,
Dutch form errors, a honeypot and a rate limit."""
import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import InCompanyRequest, OutboxMail
from tests import factories

GOOD = {"organisation": "Stichting Buurtkracht", "contact_name": "Fenna Fokkema", "email": "Fenna@Buurtkracht.nl",
        "team_size": "12", "wishes": "Graag in het voorjaar."}


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn-2-0", title="Welzijn 2.0")


def test_the_form_is_public_and_accessible(client, course):
    response = client.get("/cursussen/welzijn-2-0/in-company")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'for="website"' in text and "Laat dit veld leeg" in text
    assert 'class="hp-field"' in text and "style=" not in text


def test_a_request_is_stored_and_mailed_to_every_platform_admin(client, course, outbox):
    admins = [factories.make_user(role="admin"), factories.make_user(role="admin")]
    factories.make_user(role="trainer")
    response = client.post("/cursussen/welzijn-2-0/in-company", data=GOOD, follow_redirects=True)
    assert response.status_code == 200 and "Bedankt voor je aanvraag" in response.get_data(as_text=True)
    request = db.session.scalar(sa.select(InCompanyRequest))
    assert (request.organisation_name, request.email, request.team_size, request.course_id) == (
        "Stichting Buurtkracht", "fenna@buurtkracht.nl", 12, course.id)
    mails = outbox()
    assert sorted(m.to_address for m in mails) == sorted(a.email for a in admins)
    assert all(m.kind == "org_request_received" and "Stichting Buurtkracht" in m.body_text for m in mails)
    assert f"/beheer/aanvragen/{request.public_id}" in mails[0].body_text


def test_invalid_input_gets_dutch_form_errors_and_stores_nothing(client, course):
    response = client.post("/cursussen/welzijn-2-0/in-company", data={
        "organisation": "", "contact_name": "X", "email": "geen-adres", "team_size": "0", "wishes": "x" * 6000})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    for dutch in ("Vul dit veld in.", "Vul een geldig e-mailadres in", "Vul een getal van 1 tot en met 5.000 in.",
                  "Gebruik hoogstens 5000 tekens."):
        assert dutch in text
    assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 0


def test_a_filled_honeypot_is_answered_politely_but_stores_and_mails_nothing(client, course, outbox):
    factories.make_user(role="admin")
    response = client.post("/cursussen/welzijn-2-0/in-company", data={**GOOD, "website": "http://spam.example"},
                           follow_redirects=True)
    assert response.status_code == 200 and "Bedankt voor je aanvraag" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 0
    assert outbox() == []


def test_an_unknown_course_is_404(client, course):
    assert client.get("/cursussen/bestaat-niet/in-company").status_code == 404


def test_the_form_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, PUBLIC_FORM_LIMIT="3 per hour")
    with app.app_context():
        factories.make_course(slug="welzijn-2-0")
        client = app.test_client()
        codes = [client.post("/cursussen/welzijn-2-0/in-company", data=GOOD).status_code for _ in range(5)]
        assert codes == [302, 302, 302, 429, 429]
        assert client.get("/cursussen/welzijn-2-0/in-company").status_code == 200  # reading stays possible
        assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 3
        assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id))) == 0  # no admins in this test


def test_the_form_checks_csrf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        factories.make_course(slug="welzijn-2-0")
        response = app.test_client().post("/cursussen/welzijn-2-0/in-company", data=GOOD)
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 0


def test_reloading_the_thank_you_page_sends_nothing_again(client, course, outbox):
    factories.make_user(role="admin")
    response = client.post("/cursussen/welzijn-2-0/in-company", data=GOOD)
    assert response.status_code == 302, "redirect after POST"
    for _ in range(2):
        assert "Bedankt voor je aanvraag" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 1
    assert len(outbox()) == 1
