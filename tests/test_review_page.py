"""The review page: the structured answer, the diff for a resubmission, earlier
feedback, the rubric form, bad input, conflicts, and "Opslaan en volgende"."""
import re

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Review, SubmissionStatus
from tests import factories
from tests.factories_review import add_review, form_data, make_submission, resubmit


@pytest.fixture
def setup(app, trainer, learner, organisation):
    course = factories.make_course(title="Welzijn 2.0")
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    enrolment = factories.make_enrolment(learner, course, cohort=cohort)
    return course, cohort, enrolment


def test_the_page_shows_the_answer_field_by_field_sanitised(setup, trainer, login_as):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0], fields={
        "doelgroep": "**Mantelzorgers** <script>alert(1)</script>", "boodschap": "[klik](javascript:alert(1))"})
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    assert "<h3>Doelgroep</h3>" in html and "<h3>Kernboodschap</h3>" in html
    assert "<strong>Mantelzorgers</strong>" in html
    assert "<script>alert" not in html and "javascript:" not in html
    assert "<fieldset" in html
    assert '<legend>Helderheid <span class="rubric-criterion__max">(max. 2 punten)</span></legend>' in html
    assert "Opslaan en volgende" in html and "Goedgekeurd" in html and "Aanpassen" in html


def test_a_resubmission_shows_a_diff_per_field_and_the_earlier_feedback(setup, trainer, login_as):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0], fields={
        "doelgroep": "Mantelzorgers in de wijk.", "boodschap": "Wij staan naast je."})
    add_review(submission, trainer, "revision_requested", feedback="Maak de doelgroep *concreter*.")
    resubmit(submission, {"doelgroep": "Mantelzorgers van 50+ in de wijk.", "boodschap": "Wij staan naast je."})
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    assert "Wijzigingen sinds versie 1" in html
    assert re.search(r"<ins><span class=\"visually-hidden\">\[toegevoegd: </span>\s*van 50\+", html)
    assert "ongewijzigd" in html  # the second field did not change
    assert "Eerdere feedback" in html and "<em>concreter</em>" in html


def test_approving_saves_and_returns_to_the_queue(setup, trainer, login_as, outbox):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    response = login_as(trainer).post(f"/beoordelen/{submission.public_id}", data=form_data(submission))
    assert response.status_code == 302 and response.headers["Location"].endswith("/beoordelen")
    assert submission.status == SubmissionStatus.APPROVED
    assert outbox()[-1].kind == "review_decided"


def test_save_and_next_opens_the_next_waiting_submission(setup, trainer, login_as):
    course, cohort, enrolment = setup
    first = make_submission(enrolment, course.modules[0], submitted_days_ago=5)
    other = factories.make_enrolment(factories.make_user(name="Tweede"), course, cohort=cohort)
    second = make_submission(other, course.modules[0], submitted_days_ago=2)
    client = login_as(trainer)
    response = client.post(f"/beoordelen/{first.public_id}", data=form_data(first, save_next="1"))
    assert response.headers["Location"].endswith(f"/beoordelen/{second.public_id}")
    response = client.post(f"/beoordelen/{second.public_id}", data=form_data(second, save_next="1"))
    assert response.headers["Location"].endswith("/beoordelen")


def test_missing_rubric_levels_give_a_form_error(setup, trainer, login_as):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    data = form_data(submission)
    del data["level__samenhang"]
    response = login_as(trainer).post(f"/beoordelen/{submission.public_id}", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kies een niveau voor dit criterium." in html and 'id="form-errors"' in html
    assert submission.status == SubmissionStatus.SUBMITTED


def test_a_revision_request_needs_feedback(setup, trainer, login_as):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    data = form_data(submission, decision="revision_requested", feedback="  ")
    html = login_as(trainer).post(f"/beoordelen/{submission.public_id}", data=data).get_data(as_text=True)
    assert "Leg uit wat de deelnemer moet aanpassen." in html
    assert submission.status == SubmissionStatus.SUBMITTED


@pytest.mark.parametrize("extra", [
    {"level__creativiteit": "goed"},
    {"level__helderheid": "uitmuntend"},
    {"points__helderheid": "99"},
    {"comment__onbekend": "x"},
])
def test_unknown_criteria_levels_or_points_are_refused(setup, trainer, login_as, extra):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    response = login_as(trainer).post(f"/beoordelen/{submission.public_id}", data=form_data(submission, **extra))
    assert response.status_code == 400
    assert "niet bij deze opdracht horen" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == 0


@pytest.mark.parametrize("status", ["approved", "revision_requested", "draft"])
def test_a_submission_that_is_not_waiting_gets_a_clear_message_never_a_500(setup, trainer, login_as, status):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0], status=status)
    client = login_as(trainer)
    page = client.get(f"/beoordelen/{submission.public_id}")
    assert page.status_code == 200 and "wacht niet op beoordeling" in page.get_data(as_text=True)
    assert "Opslaan en volgende" not in page.get_data(as_text=True)
    response = client.post(f"/beoordelen/{submission.public_id}", data=form_data(submission))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'role="alert"' in html
    assert any(text in html for text in ("al goedgekeurd", "al gevraagd", "niet ingediend"))


def test_the_second_trainer_sees_a_conflict_with_the_first_decision(setup, trainer, login_as, platform_admin):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    stale = form_data(submission, decision="revision_requested", feedback="Mijn besluit")
    first = login_as(trainer).post(f"/beoordelen/{submission.public_id}",
                                   data=form_data(submission, feedback="Het eerste besluit"))
    assert first.status_code == 302
    second = login_as(platform_admin).post(f"/beoordelen/{submission.public_id}", data=stale)
    html = second.get_data(as_text=True)
    assert second.status_code == 409
    assert f"{trainer.name} heeft al over deze inzending besloten" in html
    assert "Het eerste besluit" in html and "Goedgekeurd" in html
    assert submission.status == SubmissionStatus.APPROVED
    assert db.session.scalar(sa.select(Review.feedback_md)) == "Het eerste besluit"


def test_out_of_scope_submissions_are_404_and_learners_403(setup, other_trainer, learner, login_as, org_admin):
    course, cohort, enrolment = setup
    submission = make_submission(enrolment, course.modules[0])
    assert login_as(other_trainer).get(f"/beoordelen/{submission.public_id}").status_code == 404
    assert login_as(other_trainer).post(f"/beoordelen/{submission.public_id}",
                                        data=form_data(submission)).status_code == 404
    assert login_as(learner).get(f"/beoordelen/{submission.public_id}").status_code == 403
    assert login_as(org_admin).get(f"/beoordelen/{submission.public_id}").status_code == 403
    assert login_as(other_trainer).get("/beoordelen/bestaat-niet").status_code == 404
    assert submission.status == SubmissionStatus.SUBMITTED


def test_deciding_needs_a_csrf_token(csrf_app, trainer, learner, organisation):
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    submission = make_submission(factories.make_enrolment(learner, course, cohort=cohort), course.modules[0])
    client = csrf_app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = trainer.get_id()
        sess["_fresh"] = True
    response = client.post(f"/beoordelen/{submission.public_id}", data=form_data(submission))
    assert response.status_code == 400
    assert submission.status == SubmissionStatus.SUBMITTED
