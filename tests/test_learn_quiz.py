"""The quiz through the browser's eyes: one form, graded on the server, every attempt stored."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import EventKind, ModuleProgress, ProgressEvent, QuizAttempt
from tests import factories
from tests.factories_learn import correct_answers, wrong_answers

QUIZ = "/mijn-leren/{course}/module-1/quiz"


@pytest.fixture
def setup(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False)
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    url = QUIZ.format(course=course.slug)
    return login_as(learner), course, enrolment, module, url


def _attempts():
    return db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.number)).all()


def test_correct_answers_never_reach_the_browser_before_submitting(setup):
    client, _course, _enrolment, module, url = setup
    page = client.get(url)
    assert page.status_code == 200
    for question in module.quiz["questions"]:
        for option in question["options"]:
            assert option["feedback_html"] not in page.text
    assert "correct" not in page.text.lower().replace("correctly", "")
    assert 'name="attempt" type="hidden" value="1"' in page.text


def test_questions_use_fieldsets_with_legends_and_labels(setup):
    client, _course, _enrolment, _module, url = setup
    page = client.get(url).text
    assert page.count("<fieldset") == 3 and page.count("<legend>") == 3
    assert 'type="checkbox"' in page and 'type="radio"' in page
    assert '<label for="q-m1q1-a" lang="nl">' in page       # course text, in the course's language


def test_failing_then_passing_stores_both_attempts_and_when_it_was_passed(setup):
    client, course, enrolment, module, url = setup
    failed = client.post(url, data={"attempt": "1", **wrong_answers(module)})
    assert failed.status_code == 302
    result = client.get(failed.headers["Location"])
    assert "Je haalde 0 van de 4 punten (0%)" in result.text
    assert "Niet goed" in result.text and "Nee." in result.text        # right/wrong and the chosen feedback
    assert "Probeer het opnieuw" in result.text
    passed = client.post(url, data={"attempt": "2", **correct_answers(module)})
    result = client.get(passed.headers["Location"])
    assert "Je haalde 4 van de 4 punten (100%)" in result.text and "Je hebt de quiz gehaald." in result.text
    attempts = _attempts()
    assert [(a.number, a.score, a.passed) for a in attempts] == [(1, 0, False), (2, 4, True)]
    assert attempts[1].content_version == module.content_version == "v1"
    progress = db.session.scalar(sa.select(ModuleProgress))
    assert progress.quiz_passed_attempt_id == attempts[1].id and progress.quiz_passed_at is not None
    passed_event = db.session.scalar(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.QUIZ_PASSED))
    assert passed_event.data["attempt"] == 2


def test_a_double_submit_or_back_button_resubmit_is_stored_once(setup):
    client, _course, _enrolment, module, url = setup
    first = client.post(url, data={"attempt": "1", **wrong_answers(module)})
    again = client.post(url, data={"attempt": "1", **correct_answers(module)})
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert [(a.number, a.passed) for a in _attempts()] == [(1, False)]


def test_a_concurrent_duplicate_insert_returns_the_stored_attempt(setup, monkeypatch):
    """Two requests racing past the first check: the unique constraint decides."""
    from course.learn import services

    client, _course, enrolment, module, url = setup
    client.post(url, data={"attempt": "1", **wrong_answers(module)})
    real = services.attempts_of
    monkeypatch.setattr(services, "attempts_of", lambda e, m: [])  # as if the other insert was not yet visible
    response = client.post(url, data={"attempt": "1", **correct_answers(module)})
    monkeypatch.setattr(services, "attempts_of", real)
    assert response.status_code == 302
    assert len(_attempts()) == 1


@pytest.mark.parametrize("tamper", [
    lambda d: {**d, "q-m1q1": "zzz"},                        # unknown option id
    lambda d: {**d, "q-m1q1": ["a", "b"]},                    # two answers to a single-answer question
    lambda d: {**d, "score": "3"},                            # an extra field
    lambda d: {**d, "q-onbekend": "a"},                       # a question that does not exist
    lambda d: {**d, "attempt": "7"},                          # an attempt number from nowhere
    lambda d: {**d, "attempt": "x"},
])
def test_a_tampered_form_gets_a_400_with_a_message_and_stores_nothing(setup, tamper):
    client, _course, _enrolment, module, url = setup
    response = client.post(url, data=tamper({"attempt": "1", **correct_answers(module)}))
    assert response.status_code == 400
    assert "quiz" in response.text.lower()
    assert _attempts() == []


def test_a_missing_answer_gets_a_400_with_the_form_and_the_answers_kept(setup):
    client, _course, _enrolment, module, url = setup
    data = correct_answers(module)
    del data["q-m1q2"]
    response = client.post(url, data={"attempt": "1", **data})
    assert response.status_code == 400
    assert "Vraag 2 heeft nog geen antwoord." in response.text
    assert 'id="q-m1q1-a" name="q-m1q1" value="a" checked' in response.text
    assert _attempts() == []


def test_max_attempts_from_the_manifest_stops_further_attempts(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False, quiz_max_attempts=1)
    factories.make_enrolment(learner, course)
    module, client = course.modules[0], login_as(learner)
    url = QUIZ.format(course=course.slug)
    client.post(url, data={"attempt": "1", **wrong_answers(module)})
    page = client.get(url)
    assert "Je hebt alle 1 pogingen" in page.text and "<form method=\"post\" action=\"/mijn" not in page.text
    response = client.post(url, data={"attempt": "2", **correct_answers(module)})
    assert response.status_code == 302
    assert len(_attempts()) == 1


def test_a_cooling_off_time_applies_after_a_failed_attempt(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False, quiz_cooldown_minutes=30)
    factories.make_enrolment(learner, course)
    module, client = course.modules[0], login_as(learner)
    url = QUIZ.format(course=course.slug)
    client.post(url, data={"attempt": "1", **wrong_answers(module)})
    assert "over 30 minuten" in client.get(url).text
    client.post(url, data={"attempt": "2", **correct_answers(module)})
    assert len(_attempts()) == 1
    attempt = _attempts()[0]
    attempt.submitted_at -= timedelta(minutes=31)
    db.session.commit()
    client.post(url, data={"attempt": "2", **correct_answers(module)})
    assert len(_attempts()) == 2


def test_the_pass_mark_of_the_quiz_file_overrides_the_course(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False, pass_mark=25)
    factories.make_enrolment(learner, course)
    module, client = course.modules[0], login_as(learner)
    answers = {**wrong_answers(module), **{"q-m1q1": "a"}}             # 1 of 4 points
    client.post(QUIZ.format(course=course.slug), data={"attempt": "1", **answers})
    assert _attempts()[0].passed is True


def test_options_are_shuffled_per_attempt_but_stable_on_reload(app, login_as, learner):
    course = factories.make_course(modules=1, sequential=False)
    module = course.modules[0]
    quiz = dict(module.quiz)
    quiz["questions"] = [dict(quiz["questions"][0], options=[
        {"id": f"o{i}", "text_html": f"Optie {i}", "correct": i == 0, "feedback_html": "."} for i in range(8)])]
    module.quiz = quiz
    db.session.commit()
    factories.make_enrolment(learner, course)
    client = login_as(learner)
    url = QUIZ.format(course=course.slug)

    def order(text):
        return [int(part.split('"')[0]) for part in text.split('value="o')[1:]]

    first, reload = order(client.get(url).text), order(client.get(url).text)
    assert first == reload and sorted(first) == list(range(8))
    orders = {tuple(first)}
    for number in range(1, 5):
        client.post(url, data={"attempt": str(number), "q-m1q1": "o1"})
        orders.add(tuple(order(client.get(url).text)))
    assert len(orders) > 1


def test_the_result_page_of_another_attempt_number_is_404(setup):
    client, course, _enrolment, _module, url = setup
    assert client.get(url + "/poging-1").status_code == 404
