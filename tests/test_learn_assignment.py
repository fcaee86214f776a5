"""The assignment: structured fields, drafts (Save button and autosave), preview,
submit and lock, and never losing what the learner typed."""
from datetime import date

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.learn import completion
from course.models import (
    EventKind,
    ProgressEvent,
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
)
from tests import factories
from tests.factories_learn import field_form, filled_fields

URL = "/mijn-leren/{course}/module-1/opdracht"


@pytest.fixture
def setup(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False)
    enrolment = factories.make_enrolment(learner, course)
    return login_as(learner), course, enrolment, course.modules[0], URL.format(course=course.slug)


def _submission():
    return db.session.scalar(sa.select(Submission))


def test_the_page_has_a_labelled_text_area_with_a_counter_per_field(setup):
    client, _course, _enrolment, _module, url = setup
    page = client.get(url).text
    assert page.count("<textarea") == 2
    assert '<label class="field__label" for="field-doelgroep">Doelgroep</label>' in page
    assert "Maximaal 2000 tekens" in page and 'data-max-length="2000"' in page
    assert 'aria-live="polite"' in page
    assert "js/assignment.js" in page


def test_the_save_button_keeps_a_draft_without_javascript(setup):
    client, _course, _enrolment, module, url = setup
    response = client.post(url, data={"action": "save", **field_form(module, "Eerste versie")})
    assert response.status_code == 302
    submission = _submission()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.draft_fields["doelgroep"].startswith("Eerste versie")
    assert "Eerste versie (Doelgroep)" in client.get(url).text


def test_autosave_stores_the_draft_as_json(setup):
    client, _course, _enrolment, _module, url = setup
    response = client.post(url + "/autosave", json={"fields": {"doelgroep": "Jongeren in de wijk"}})
    assert response.status_code == 200 and response.json["saved_at"].endswith("Z")
    assert _submission().draft_fields == {"doelgroep": "Jongeren in de wijk", "boodschap": ""}
    client.post(url + "/autosave", json={"fields": {"boodschap": "Kom langs!"}})
    assert _submission().draft_fields == {"doelgroep": "Jongeren in de wijk", "boodschap": "Kom langs!"}


def test_autosave_refuses_malformed_json(setup):
    client, _course, _enrolment, _module, url = setup
    assert client.post(url + "/autosave", json={"fields": {"doelgroep": 3}}).status_code == 400
    assert client.post(url + "/autosave", data="niet json").status_code == 400
    assert _submission() is None


def test_autosave_needs_the_csrf_header(csrf_app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    url = URL.format(course=course.slug)
    page = client.get(url).text
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    refused = client.post(url + "/autosave", json={"fields": {"doelgroep": "x"}},
                          headers={"Accept": "application/json"})
    accepted = client.post(url + "/autosave", json={"fields": {"doelgroep": "x"}}, headers={"X-CSRFToken": token})
    assert refused.status_code == 400 and accepted.status_code == 200


def test_an_over_long_field_gets_a_clear_message_and_the_text_stays(setup):
    client, _course, _enrolment, module, url = setup
    long_text = "woord " * 400  # 2400 characters, the limit is 2000
    response = client.post(url, data={"action": "save", "field-doelgroep": long_text, "field-boodschap": "kort"})
    assert response.status_code == 200
    assert "Doelgroep is 2400 tekens lang; de grens is 2000" in response.text
    assert long_text.strip() in response.text
    assert 'aria-invalid="true"' in response.text and 'id="form-errors"' in response.text
    assert _submission() is None
    autosave = client.post(url + "/autosave", json={"fields": {"doelgroep": long_text}})
    assert autosave.status_code == 400 and "2400" in autosave.json["error"]


def test_the_default_limit_is_twenty_thousand_characters(app):
    from course.learn.services import AssignmentInvalid, check_fields

    course = factories.make_course(modules=1)
    module = course.modules[0]
    module.assignment = dict(module.assignment, fields=[{"id": "tekst", "label": "Tekst", "help": "",
                                                         "max_length": 20_000}])
    check_fields(module, {"tekst": "x" * 20_000})
    with pytest.raises(AssignmentInvalid):
        check_fields(module, {"tekst": "x" * 20_001})


def test_preview_without_javascript_renders_sanitised_markdown_and_keeps_the_text(setup):
    client, _course, _enrolment, _module, url = setup
    text = "**Vet** <script>alert(1)</script>"
    response = client.post(url, data={"action": "preview", "field-doelgroep": text, "field-boodschap": ""})
    assert response.status_code == 200
    assert "<strong>Vet</strong>" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text   # still in the text area, escaped
    assert _submission() is None


def test_the_preview_endpoint_returns_sanitised_html(setup):
    client, *_ = setup
    response = client.post("/mijn-leren/voorbeeld", json={"text": "# Kop\n\n[link](javascript:alert(1)) *schuin*"})
    assert response.status_code == 200
    assert "<em>schuin</em>" in response.json["html"]
    assert "javascript:" not in response.json["html"]


def test_the_preview_takes_no_more_than_the_longest_field_can_hold(setup):
    """A field holds at most MAX_MAX_LENGTH characters; the preview took 200,000, and
    Markdown's cost grows faster than the text (100,000 escapes took 9 seconds)."""
    from course.content.module_files import MAX_MAX_LENGTH

    client, *_ = setup
    assert client.post("/mijn-leren/voorbeeld", json={"text": "a" * MAX_MAX_LENGTH}).status_code == 200
    response = client.post("/mijn-leren/voorbeeld", json={"text": "a" * (MAX_MAX_LENGTH + 1)})
    assert response.status_code == 400 and response.json["error"] == "De tekst kon niet worden gelezen."


def test_submitting_freezes_a_version_locks_the_text_and_sets_the_feedback_date(setup):
    client, _course, enrolment, module, url = setup
    response = client.post(url, data={"action": "submit", **field_form(module, "Definitief")})
    assert response.status_code == 302
    submission = _submission()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.submitted_at is not None
    assert submission.feedback_due_on == completion.add_working_days(submission.submitted_at.date(), 5)
    assert [(v.number, v.content_version) for v in submission.versions] == [(1, "v1")]
    assert submission.versions[0].fields["doelgroep"].startswith("Definitief")
    event = db.session.scalar(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.ASSIGNMENT_SUBMITTED))
    assert event.data == {"version": 1}
    page = client.get(url).text
    assert "Feedback verwacht vóór" in page and "<textarea" not in page and "Ingediend" in page
    changed = client.post(url, data={"action": "save", **field_form(module, "Stiekem anders")})
    assert changed.status_code == 302
    assert client.post(url + "/autosave", json={"fields": {"doelgroep": "anders"}}).status_code == 409
    assert _submission().draft_fields["doelgroep"].startswith("Definitief")


def test_a_double_submit_counts_once(setup):
    client, _course, _enrolment, module, url = setup
    data = {"action": "submit", **field_form(module)}
    assert client.post(url, data=data).status_code == 302
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SubmissionVersion)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgressEvent)) == 1


def test_submitting_with_an_empty_field_is_refused_and_keeps_the_text(setup):
    client, _course, _enrolment, _module, url = setup
    response = client.post(url, data={"action": "submit", "field-doelgroep": "Alleen dit", "field-boodschap": " "})
    assert response.status_code == 200
    assert "Kernboodschap is nog leeg." in response.text and "Alleen dit" in response.text
    assert _submission() is None


def test_an_expired_session_while_writing_loses_nothing(app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    url = URL.format(course=course.slug)
    client = app.test_client()                      # the session has expired: nobody is logged in
    response = client.post(url, data={"action": "save", "field-doelgroep": "Mijn lange tekst",
                                      "field-boodschap": "en meer"}, headers={"Referer": "http://localhost" + url})
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]
    login = client.post("/inloggen?next=" + url, data={"email": learner.email, "password": factories.PASSWORD})
    assert login.headers["Location"].endswith(url)
    page = client.get(url).text
    assert "Mijn lange tekst" in page and "en meer" in page
    assert "We hebben de tekst die je verstuurde teruggezet" in page
    assert "Mijn lange tekst" not in client.get(url).text        # given back once, then the draft rules


def test_a_failed_csrf_check_while_writing_loses_nothing(csrf_app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    url = URL.format(course=course.slug)
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = learner.get_id()
    response = client.post(url, data={"action": "save", "field-doelgroep": "Tekst die niet weg mag",
                                      "csrf_token": "verlopen"}, headers={"Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 400
    assert "Tekst die niet weg mag" in response.text
    assert "Tekst die niet weg mag" in client.get(url).text


def _review(submission, decision, trainer, feedback="Goed begin."):
    submission.status = (SubmissionStatus.APPROVED if decision == ReviewDecision.APPROVED
                         else SubmissionStatus.REVISION_REQUESTED)
    review = Review(version_id=submission.versions[-1].id, reviewer_id=trainer.id, decision=decision,
                    feedback_md=feedback)
    review.scores.append(ReviewScore(criterion_id="helderheid", level_id="goed", points=2, comment="Helder."))
    db.session.add(review)
    if decision == ReviewDecision.APPROVED:
        completion.on_assignment_approved(submission, trainer)
    else:
        completion.on_revision_requested(submission, trainer)
    db.session.commit()


def test_after_a_revision_request_the_learner_sees_the_feedback_edits_and_resubmits(setup, trainer):
    client, course, _enrolment, module, url = setup
    client.post(url, data={"action": "submit", **field_form(module, "Versie een")})
    _review(_submission(), ReviewDecision.REVISION_REQUESTED, trainer,
            feedback="Maak de doelgroep **concreter**. <script>x()</script>")
    module_page = client.get(f"/mijn-leren/{course.slug}/module-1").text
    assert "Aanpassen gevraagd" in module_page
    assert "<strong>concreter</strong>" in module_page and "<script>x()" not in module_page
    assert "Helderheid" in module_page and "Goed" in module_page
    page = client.get(url).text
    assert "<textarea" in page and "Versie een" in page
    client.post(url, data={"action": "submit", **field_form(module, "Versie twee")})
    submission = _submission()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert [v.number for v in submission.versions] == [1, 2]
    kinds = db.session.scalars(sa.select(ProgressEvent.kind).order_by(ProgressEvent.id)).all()
    assert kinds == [EventKind.ASSIGNMENT_SUBMITTED, EventKind.REVISION_REQUESTED, EventKind.ASSIGNMENT_SUBMITTED]


def test_a_module_without_an_assignment_has_no_assignment_page(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False)
    course.modules[0].assignment = None
    db.session.commit()
    factories.make_enrolment(learner, course)
    assert login_as(learner).get(URL.format(course=course.slug)).status_code == 404


def test_submitting_in_a_locked_module_is_refused(app, login_as, learner):
    course = factories.make_course(modules=2, sequential=True)
    factories.make_enrolment(learner, course)
    module = course.modules[1]
    response = login_as(learner).post(f"/mijn-leren/{course.slug}/module-2/opdracht",
                                      data={"action": "submit", **field_form(module)})
    assert response.status_code == 302
    assert _submission() is None


def test_feedback_due_date_counts_working_days():
    assert completion.add_working_days(date(2026, 11, 27), 5) == date(2026, 12, 4)   # Friday → Friday
    assert completion.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # Saturday → Monday
    assert completion.add_working_days(date(2026, 11, 30), 0) == date(2026, 11, 30)


def test_filled_fields_helper_matches_the_assignment(app):
    module = factories.make_course(modules=1).modules[0]
    assert set(filled_fields(module)) == {"doelgroep", "boodschap"}


@pytest.mark.parametrize("body", ["[1, 2]", '"tekst"', "null", "3"])
def test_autosave_and_preview_answer_json_that_is_not_an_object_with_400(setup, body):
    client, _course, _enrolment, _module, url = setup
    headers = {"Content-Type": "application/json"}
    autosave = client.post(url + "/autosave", data=body, headers=headers)
    assert autosave.status_code == 400 and autosave.json["error"] == "Het concept kon niet worden gelezen."
    preview = client.post("/mijn-leren/voorbeeld", data=body, headers=headers)
    assert preview.status_code == 200 and preview.json == {"html": ""}
    assert _submission() is None


def test_nul_characters_are_left_out_of_the_stored_text(setup):
    client, _course, _enrolment, _module, url = setup
    response = client.post(url + "/autosave", json={"fields": {"doelgroep": "Jon\x00geren"}})
    assert response.status_code == 200
    assert _submission().draft_fields["doelgroep"] == "Jongeren"


def test_the_feedback_on_the_assignment_page_follows_the_page_heading_order(setup, trainer):
    client, _course, _enrolment, module, url = setup
    client.post(url, data={"action": "submit", **field_form(module, "Versie een")})
    _review(_submission(), ReviewDecision.REVISION_REQUESTED, trainer)
    page = client.get(url).text
    assert '<h2 id="feedback-title">Feedback van je trainer</h2>' in page
    assert '<h3 class="feedback__heading">' in page
    module_page = client.get(url.removesuffix("/opdracht")).text
    assert '<h3 id="feedback-title">Feedback van je trainer</h3>' in module_page   # inside the h2 part there
