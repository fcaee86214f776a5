"""Privacy hints on the assignment: the warning before submitting (with and without
JavaScript), "Send anyway", and the JSON check that stores and logs nothing."""
import logging

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Submission, SubmissionStatus, SubmissionVersion
from tests import factories

URL = "/mijn-leren/{course}/module-1/opdracht"
PHONE_TEXT = "Ik bel mevrouw eerst op 06-12345678 voor een afspraak."


@pytest.fixture
def setup(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    return login_as(learner), URL.format(course=course.slug)


def _form(action, doelgroep=PHONE_TEXT, boodschap="Kom langs in het buurthuis!"):
    return {"action": action, "field-doelgroep": doelgroep, "field-boodschap": boodschap}


def _submission():
    return db.session.scalar(sa.select(Submission))


def test_a_submit_with_a_phone_number_shows_the_warning_and_keeps_the_text(setup):
    client, url = setup
    response = client.post(url, data=_form("submit"))
    assert response.status_code == 200
    page = response.text
    assert 'role="alert"' in page and "Controleer op persoonsgegevens voordat je verstuurt" in page
    assert "In ‘Doelgroep’: een telefoonnummer (06-…)" in page
    assert "Laat telefoonnummers weg" in page and "Er is nog niets verstuurd." in page
    assert 'value="submit-anyway"' in page and "Toch versturen" in page and "Aanpassen" in page
    assert PHONE_TEXT in page                       # the text is still in the form
    assert db.session.scalar(sa.select(sa.func.count(SubmissionVersion.id))) == 0
    submission = _submission()
    assert submission is None or submission.status == SubmissionStatus.DRAFT


def test_send_anyway_submits_the_text_as_written(setup):
    client, url = setup
    client.post(url, data=_form("submit"))
    response = client.post(url, data=_form("submit-anyway"))
    assert response.status_code == 302
    submission = _submission()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.versions[-1].fields["doelgroep"] == PHONE_TEXT


def test_a_text_without_personal_data_is_submitted_at_once(setup):
    client, url = setup
    response = client.post(url, data=_form("submit", doelgroep="Jongeren in de wijk, 16 tot 23 jaar."))
    assert response.status_code == 302 and _submission().status == SubmissionStatus.SUBMITTED


def test_the_warning_names_every_field_and_kind(setup):
    client, url = setup
    page = client.post(url, data=_form("submit", doelgroep="Bewoner Kees, geb. 03-03-1956.",
                                       boodschap="Mail naar kees@example.nl")).text
    for line in ("In ‘Doelgroep’: een naam (Kees)", "In ‘Doelgroep’: een geboortedatum (03-…)",
                 "In ‘Kernboodschap’: een e-mailadres (kee…)"):
        assert line in page
    assert "‘mevrouw J.’ of ‘een bewoner’" in page


def test_saving_a_draft_is_not_held_back(setup):
    client, url = setup
    assert client.post(url, data=_form("save")).status_code == 302
    assert _submission().draft_fields["doelgroep"] == PHONE_TEXT


def test_the_warning_speaks_english_too(app, setup, learner):
    client, url = setup
    learner.locale = "en"
    db.session.commit()
    page = client.post(url, data=_form("submit")).text
    assert "In “Doelgroep”: a phone number (06-…)" in page and "Send anyway" in page


def test_the_json_check_answers_findings_and_the_same_warning(setup, caplog):
    client, url = setup
    caplog.set_level(logging.DEBUG)
    response = client.post(url + "/privacy", json={"fields": {"doelgroep": PHONE_TEXT, "onbekend": "06-12345678"}})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    [finding] = response.json["findings"]
    assert finding == {"field": "doelgroep", "label": "Doelgroep", "kind": "phone",
                       "kind_label": "een telefoonnummer", "excerpt": "06-…", "start": 24, "end": 35}
    assert "In ‘Doelgroep’: een telefoonnummer (06-…)" in response.json["html"]
    assert _submission() is None                      # nothing stored
    assert "12345678" not in caplog.text              # nothing logged


def test_the_json_check_of_a_clean_text_finds_nothing(setup):
    client, url = setup
    response = client.post(url + "/privacy", json={"fields": {"doelgroep": "Jongeren in de wijk"}})
    assert response.json == {"findings": [], "html": ""}


def test_the_json_check_refuses_malformed_input(setup):
    client, url = setup
    assert client.post(url + "/privacy", json={"fields": {"doelgroep": 3}}).status_code == 400
    assert client.post(url + "/privacy", json=["x"]).status_code == 400
    assert client.post(url + "/privacy", data="niet json").status_code == 400
    assert client.post(url + "/privacy", json={"fields": {"doelgroep": "x" * 200_001}}).status_code == 400


def test_the_json_check_needs_the_csrf_header(csrf_app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    url = URL.format(course=course.slug)
    page = client.get(url).text
    assert "js/privacy-hints.js" in page and 'data-privacy-url="' + url + '/privacy"' in page
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    body = {"fields": {"doelgroep": PHONE_TEXT}}
    refused = client.post(url + "/privacy", json=body, headers={"Accept": "application/json"})
    accepted = client.post(url + "/privacy", json=body, headers={"X-CSRFToken": token})
    assert refused.status_code == 400 and accepted.status_code == 200


def test_someone_not_enrolled_gets_404(setup, login_as):
    _client, url = setup
    stranger = login_as(factories.make_user(email="stranger@example.org"))
    assert stranger.post(url + "/privacy", json={"fields": {"doelgroep": PHONE_TEXT}}).status_code == 404
