"""Trainer overrides on the learner page: extra quiz attempts, a lifted cooling-off,
a reopened approved assignment and a moved target date; each on the timeline with
who, when and why, and each withdrawn again ("Intrekken")."""
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import ModuleProgress, Override, OverrideKind, QuizAttempt, SubmissionStatus, utcnow
from tests import factories
from tests.factories_learn import correct_answers, field_form, wrong_answers
from tests.factories_review import add_review, make_submission


@pytest.fixture
def world(app, trainer, learner, organisation):
    def build(**course_fields):
        course = factories.make_course(modules=1, sequential=False, title="Welzijn 2.0", **course_fields)
        cohort = factories.make_cohort(organisation, course, trainers=[trainer])
        enrolment = factories.make_enrolment(learner, course, cohort=cohort)
        return course, enrolment, course.modules[0]
    return build


def _quiz_url(course):
    return f"/mijn-leren/{course.slug}/module-1/quiz"


def _learner_page(enrolment):
    return f"/voortgang/deelnemer/{enrolment.public_id}"


def _grant_url(enrolment, kind):
    return f"{_learner_page(enrolment)}/uitzondering/{kind}"


def _revoke_url(enrolment, override):
    return f"{_learner_page(enrolment)}/uitzondering/{override.public_id}/intrekken"


def _overrides():
    return db.session.scalars(sa.select(Override).order_by(Override.id)).all()


def _attempt_count():
    return db.session.scalar(sa.select(sa.func.count(QuizAttempt.id)))


def _fail_quiz(client, course, module, number=1):
    response = client.post(_quiz_url(course), data={"attempt": str(number), **wrong_answers(module)})
    assert response.status_code == 302


# ---- extra attempts -------------------------------------------------------------


def test_a_learner_without_attempts_is_told_to_ask_the_trainer_not_sent_to_the_quiz(world, login_as, learner):
    course, _enrolment, module = world(quiz_max_attempts=1)
    client = login_as(learner)
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    client.post(f"/mijn-leren/{course.slug}/module-1/opdracht", data={"action": "submit", **field_form(module)})
    _fail_quiz(client, course, module)
    html = client.get("/mijn-leren").get_data(as_text=True)
    assert "Vraag je trainer om een extra poging" in html
    assert f'href="{_quiz_url(course)}"' not in html
    overview = client.get(f"/mijn-leren/{course.slug}").get_data(as_text=True)
    assert "Vraag je trainer om een extra poging" in overview


def test_a_stuck_quiz_does_not_hide_an_assignment_that_can_still_be_done(world, login_as, learner):
    course, _enrolment, module = world(quiz_max_attempts=1)
    client = login_as(learner)
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    _fail_quiz(client, course, module)
    html = client.get("/mijn-leren").get_data(as_text=True)
    assert f'href="/mijn-leren/{course.slug}/module-1/opdracht"' in html


def test_the_trainer_grants_an_extra_attempt_and_the_learner_can_retry(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_max_attempts=1)
    learner_client = login_as(learner)
    _fail_quiz(learner_client, course, module)
    assert learner_client.post(_quiz_url(course), data={"attempt": "2", **correct_answers(module)}).status_code == 302
    assert _attempt_count() == 1

    response = login_as(trainer).post(_grant_url(enrolment, "extra-pogingen"), data={
        "extra-module": "module-1", "extra-amount": "1", "extra-reason": "Ziek tijdens de eerste poging."})
    assert response.status_code == 302
    [override] = _overrides()
    assert (override.kind, override.amount, override.actor_id) == (OverrideKind.EXTRA_ATTEMPTS, 1, trainer.id)

    assert 'name="q-m1q1"' in learner_client.get(_quiz_url(course)).get_data(as_text=True)
    learner_client.post(_quiz_url(course), data={"attempt": "2", **correct_answers(module)})
    assert _attempt_count() == 2
    page = login_as(trainer).get(_learner_page(enrolment)).get_data(as_text=True)
    timeline = page.split('id="timeline-heading"', 1)[1]
    assert trainer.name in timeline and "1 extra poging" in timeline
    assert "Ziek tijdens de eerste poging." in timeline


def test_withdrawing_extra_attempts_lowers_the_maximum_again(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_max_attempts=1)
    learner_client = login_as(learner)
    _fail_quiz(learner_client, course, module)
    trainer_client = login_as(trainer)
    trainer_client.post(_grant_url(enrolment, "extra-pogingen"), data={
        "extra-module": "module-1", "extra-amount": "2", "extra-reason": "Nog een kans."})
    [override] = _overrides()
    assert trainer_client.post(_revoke_url(enrolment, override)).status_code == 302
    db.session.refresh(override)
    assert override.revoked_at is not None and override.revoked_by_id == trainer.id
    assert "Vraag je trainer om een extra poging" in learner_client.get(_quiz_url(course)).get_data(as_text=True)
    learner_client.post(_quiz_url(course), data={"attempt": "2", **correct_answers(module)})
    assert _attempt_count() == 1
    page = trainer_client.get(_learner_page(enrolment)).get_data(as_text=True)
    assert "Ingetrokken door" in page and "trok de uitzondering" in page


def test_an_override_needs_a_reason_and_keeps_the_input(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_max_attempts=1)
    response = login_as(trainer).post(_grant_url(enrolment, "extra-pogingen"), data={
        "extra-module": "module-1", "extra-amount": "3", "extra-reason": "  "})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Geef een reden" in html and 'value="3"' in html
    assert _overrides() == []


def test_extra_attempts_are_refused_when_the_course_has_no_limit(world, login_as, trainer):
    _course, enrolment, _module = world(quiz_max_attempts=0, quiz_cooldown_minutes=5)
    response = login_as(trainer).post(_grant_url(enrolment, "extra-pogingen"), data={
        "extra-module": "module-1", "extra-amount": "1", "extra-reason": "Waarom niet."})
    assert response.status_code == 400
    assert "beperkt het aantal pogingen niet" in response.get_data(as_text=True)
    assert _overrides() == []


# ---- cooling-off ------------------------------------------------------------------


def test_a_cooling_off_learner_is_told_when_and_the_trainer_can_lift_it(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_cooldown_minutes=60)
    learner_client = login_as(learner)
    learner_client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    learner_client.post(f"/mijn-leren/{course.slug}/module-1/opdracht",
                        data={"action": "submit", **field_form(module)})
    _fail_quiz(learner_client, course, module)
    html = learner_client.get("/mijn-leren").get_data(as_text=True)
    assert "Je kunt het opnieuw proberen vanaf" in html

    trainer_client = login_as(trainer)
    assert trainer_client.post(_grant_url(enrolment, "afkoelen-opheffen"), data={
        "lift-module": "module-1", "lift-reason": "Uitleg gehad in de les."}).status_code == 302
    assert "Je kunt het opnieuw proberen vanaf" not in learner_client.get("/mijn-leren").get_data(as_text=True)
    learner_client.post(_quiz_url(course), data={"attempt": "2", **wrong_answers(module)})
    assert _attempt_count() == 2
    # the lift was for the attempt before: the new failed attempt cools off again
    assert "Je kunt het opnieuw proberen vanaf" in learner_client.get("/mijn-leren").get_data(as_text=True)


def test_withdrawing_a_lifted_cooling_off_makes_the_learner_wait_again(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_cooldown_minutes=60)
    learner_client = login_as(learner)
    _fail_quiz(learner_client, course, module)
    trainer_client = login_as(trainer)
    trainer_client.post(_grant_url(enrolment, "afkoelen-opheffen"), data={
        "lift-module": "module-1", "lift-reason": "Uitleg gehad."})
    [override] = _overrides()
    trainer_client.post(_revoke_url(enrolment, override))
    response = learner_client.post(_quiz_url(course), data={"attempt": "2", **correct_answers(module)})
    assert response.status_code == 302 and _attempt_count() == 1


def test_lifting_is_refused_when_the_learner_is_not_cooling_off(world, login_as, trainer):
    _course, enrolment, _module = world(quiz_cooldown_minutes=60)
    response = login_as(trainer).post(_grant_url(enrolment, "afkoelen-opheffen"), data={
        "lift-module": "module-1", "lift-reason": "Voor de zekerheid."})
    assert response.status_code == 400
    assert "koelt niet af" in response.get_data(as_text=True)
    assert _overrides() == []


# ---- reopening an approved assignment --------------------------------------------


def _approved(enrolment, module, trainer):
    submission = make_submission(enrolment, module)
    add_review(submission, trainer, "approved", level="goed", feedback="Mooi plan.")
    now = utcnow()
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=now,
                                  quiz_passed_at=now, assignment_approved_at=now, completed_at=now))
    db.session.commit()
    return submission


def test_a_reopened_assignment_takes_a_new_version_and_the_module_stays_complete(world, login_as, learner,
                                                                                 trainer):
    course, enrolment, module = world()
    submission = _approved(enrolment, module, trainer)
    response = login_as(trainer).post(_grant_url(enrolment, "heropenen"), data={
        "reopen-module": "module-1", "reopen-reason": "Ze wil het plan bijwerken."})
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.REVISION_REQUESTED
    url = f"/mijn-leren/{course.slug}/module-1/opdracht"
    posted = login_as(learner).post(url, data={"action": "submit", **field_form(module, "Versie twee.")})
    assert posted.status_code == 302
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.SUBMITTED and len(submission.versions) == 2
    progress = db.session.scalar(sa.select(ModuleProgress))
    assert progress.completed_at is not None
    # the new version is waiting: withdrawing cannot bring the old approval back
    [override] = _overrides()
    response = login_as(trainer).post(_revoke_url(enrolment, override))
    assert response.status_code == 409 and "al een nieuwe versie ingediend" in response.get_data(as_text=True)
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.SUBMITTED


def test_withdrawing_an_untouched_reopen_restores_the_approval(world, login_as, trainer):
    _course, enrolment, module = world()
    submission = _approved(enrolment, module, trainer)
    client = login_as(trainer)
    client.post(_grant_url(enrolment, "heropenen"), data={"reopen-module": "module-1", "reopen-reason": "Bijwerken."})
    [override] = _overrides()
    assert client.post(_revoke_url(enrolment, override)).status_code == 302
    db.session.refresh(submission)
    assert submission.status == SubmissionStatus.APPROVED


def test_withdrawing_a_reopen_is_refused_once_the_learner_wrote_a_new_draft(world, login_as, learner, trainer):
    course, enrolment, module = world()
    submission = _approved(enrolment, module, trainer)
    client = login_as(trainer)
    client.post(_grant_url(enrolment, "heropenen"), data={"reopen-module": "module-1", "reopen-reason": "Bijwerken."})
    login_as(learner).post(f"/mijn-leren/{course.slug}/module-1/opdracht",
                           data={"action": "save", **field_form(module, "Nieuwe tekst.")})
    [override] = _overrides()
    page = client.get(_learner_page(enrolment)).get_data(as_text=True)
    assert "al aan een nieuwe versie begonnen" in page
    assert _revoke_url(enrolment, override) not in page
    response = client.post(_revoke_url(enrolment, override))
    assert response.status_code == 409
    assert "al aan een nieuwe versie begonnen" in response.get_data(as_text=True)
    db.session.refresh(submission)
    db.session.refresh(override)
    assert submission.status == SubmissionStatus.REVISION_REQUESTED and override.revoked_at is None
    assert "Nieuwe tekst." in submission.draft_fields["doelgroep"]


def test_only_an_approved_assignment_can_be_reopened(world, login_as, trainer):
    _course, enrolment, module = world()
    make_submission(enrolment, module)
    response = login_as(trainer).post(_grant_url(enrolment, "heropenen"), data={
        "reopen-module": "module-1", "reopen-reason": "Probeer."})
    assert response.status_code == 400 and _overrides() == []


# ---- moving a target date ---------------------------------------------------------


def test_the_trainer_moves_a_target_date_and_withdrawing_restores_it(world, login_as, trainer):
    _course, enrolment, module = world()
    submission = make_submission(enrolment, module, feedback_due_on=date.today() + timedelta(days=2))
    client = login_as(trainer)
    new = date.today() + timedelta(days=10)
    response = client.post(_grant_url(enrolment, "streefdatum"), data={
        "due-module": "module-1", "due-new_date": new.isoformat(), "due-reason": "Trainer op vakantie."})
    assert response.status_code == 302
    db.session.refresh(submission)
    assert submission.feedback_due_on == new
    queue = client.get("/beoordelen").get_data(as_text=True)
    assert "Trainer op vakantie." not in queue  # the reason is on the learner page, not in the queue
    [override] = _overrides()
    client.post(_revoke_url(enrolment, override))
    db.session.refresh(submission)
    assert submission.feedback_due_on == date.today() + timedelta(days=2)


def test_a_moved_date_cannot_be_withdrawn_after_the_decision(world, login_as, trainer):
    _course, enrolment, module = world()
    submission = make_submission(enrolment, module, feedback_due_on=date.today() + timedelta(days=2))
    client = login_as(trainer)
    client.post(_grant_url(enrolment, "streefdatum"), data={
        "due-module": "module-1", "due-new_date": (date.today() + timedelta(days=9)).isoformat(),
        "due-reason": "Drukke week."})
    add_review(submission, trainer, "approved")
    [override] = _overrides()
    response = client.post(_revoke_url(enrolment, override))
    assert response.status_code == 409 and "geen datum om terug te zetten" in response.get_data(as_text=True)
    db.session.refresh(override)
    assert override.revoked_at is None


def test_a_target_date_in_the_past_is_refused(world, login_as, trainer):
    _course, enrolment, module = world()
    make_submission(enrolment, module)
    response = login_as(trainer).post(_grant_url(enrolment, "streefdatum"), data={
        "due-module": "module-1", "due-new_date": (date.today() - timedelta(days=1)).isoformat(),
        "due-reason": "Te laat."})
    assert response.status_code == 400 and "vanaf vandaag" in response.get_data(as_text=True)


# ---- scope and the approved review page --------------------------------------------


def test_another_trainer_cannot_grant_or_withdraw(world, login_as, learner, trainer):
    course, enrolment, module = world(quiz_max_attempts=1)
    outsider = factories.make_user(role="trainer")
    data = {"extra-module": "module-1", "extra-amount": "1", "extra-reason": "Mag dit?"}
    assert login_as(outsider).post(_grant_url(enrolment, "extra-pogingen"), data=data).status_code == 404
    login_as(trainer).post(_grant_url(enrolment, "extra-pogingen"), data=data)
    [override] = _overrides()
    assert login_as(outsider).post(_revoke_url(enrolment, override)).status_code == 404
    assert login_as(learner).post(_revoke_url(enrolment, override)).status_code == 403
    db.session.refresh(override)
    assert override.revoked_at is None


def test_an_approved_submission_shows_its_decision_not_the_grading_form(world, login_as, trainer, learner):
    course, _enrolment, module = world()
    submission = make_submission(_enrolment, module)
    add_review(submission, trainer, "approved", level="goed", feedback="Een *sterk* plan.")
    # other work waiting in the trainer's queue (the menu's count) must not bring the form back
    other = factories.make_enrolment(factories.make_user(), course, cohort=_enrolment.cohort)
    make_submission(other, module)
    html = login_as(trainer).get(f"/beoordelen/{submission.public_id}").get_data(as_text=True)
    decided = html.split('id="decided-heading"', 1)[1]
    assert "Goedgekeurd" in decided and trainer.name in decided
    assert "<em>sterk</em>" in decided and "Helderheid" in decided and "Goed" in decided
    assert "<fieldset" not in html and "Opslaan en volgende" not in html
    assert "heropenen" in decided.lower()


def test_the_next_step_text_is_english_for_an_english_learner(world, login_as):
    course, _enrolment, module = world(quiz_max_attempts=1)
    english = factories.make_user(locale="en")
    factories.make_enrolment(english, course)
    client = login_as(english)
    client.post(f"/mijn-leren/{course.slug}/module-1/gelezen")
    client.post(f"/mijn-leren/{course.slug}/module-1/opdracht", data={"action": "submit", **field_form(module)})
    _fail_quiz(client, course, module)
    assert "Ask your trainer for an extra attempt" in client.get("/mijn-leren").get_data(as_text=True)
