"""Taking a quiz with ordering and matching questions, and partial credit, through the
test client on the default course: what the learner sees before and after submitting."""
import re

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import QuizAttempt
from tests import factories
from tests.factories_learn import correct_answers, load_default_course, wrong_answers

MODULE = "waar-en-hoe-begin-je"     # has a matching, an ordering and two multiple-choice questions


@pytest.fixture
def quiz(app, login_as, learner):
    course = load_default_course()
    course.sequential = False
    db.session.commit()
    factories.make_enrolment(learner, course)
    module = next(m for m in course.modules if m.slug == MODULE)
    return login_as(learner), module, f"/mijn-leren/{course.slug}/{MODULE}/quiz"


def _attempt():
    return db.session.scalars(sa.select(QuizAttempt).order_by(QuizAttempt.id.desc())).first()


def test_the_quiz_page_asks_ordering_and_matching_with_labelled_select_boxes_and_no_answers(quiz):
    client, module, url = quiz
    page = client.get(url).text
    # matching: a select per application, labelled with the application
    assert re.search(r'<label for="q-toepassingen-koppelen-service"[^>]*>Service</label>', page)
    assert '<select id="q-toepassingen-koppelen-service" name="q-toepassingen-koppelen-service"' in page
    assert "Kies bij elk onderdeel wat erbij hoort." in page
    # ordering: a select of places per item
    assert '<select id="q-passief-reactief-actief-actief" name="q-passief-reactief-actief-actief">' in page
    assert '<option value="3">Plaats 3</option>' in page and "Kies een plaats" in page
    # neither the pairing nor the explanation is sent before submitting
    question = module.quiz_spec.question("toepassingen-koppelen")
    assert question.feedback not in page
    service = re.search(r'<select id="q-toepassingen-koppelen-service".*?</select>', page, re.S).group(0)
    assert service.count("<option") == 6             # "Kies" and the five matches, in a shuffled order


def test_an_incomplete_ordering_or_matching_answer_is_sent_back_with_what_was_chosen(quiz):
    client, module, url = quiz
    answers = correct_answers(module)
    answers["q-passief-reactief-actief-actief"] = answers["q-passief-reactief-actief-passief"]   # a place twice
    del answers["q-toepassingen-koppelen-service"]
    response = client.post(url, data={"attempt": "1", **answers})
    assert response.status_code == 400
    assert "Geef elk onderdeel een andere plaats." in response.text
    number = [q.id for q in module.quiz_spec.questions].index("passief-reactief-actief") + 1
    assert f'<a href="#question-passief-reactief-actief">Vraag {number}: Geef elk onderdeel een andere plaats.</a>' \
        in response.text
    assert "Kies voor elk onderdeel wat erbij hoort." in response.text
    assert re.search(r'name="q-toepassingen-koppelen-profileren".*?<option value="profileren" selected>',
                     response.text, re.S)
    assert _attempt() is None


def test_a_tampered_place_or_match_is_refused(quiz):
    client, module, url = quiz
    for key, value in (("q-passief-reactief-actief-actief", "9"), ("q-toepassingen-koppelen-service", "bestaat-niet"),
                       ("q-toepassingen-koppelen-niets", "service")):
        response = client.post(url, data={"attempt": "1", **correct_answers(module), key: value})
        assert response.status_code == 400, key
    assert _attempt() is None


def test_all_right_scores_every_point_and_shows_the_explanations(quiz):
    client, module, url = quiz
    response = client.post(url, data={"attempt": "1", **correct_answers(module)})
    page = client.get(response.headers["Location"]).text
    attempt = _attempt()
    assert attempt.score == attempt.max_score and attempt.passed
    assert attempt.answers["passief-reactief-actief"] == ["passief", "reactief", "actief"]
    assert "service=service" in attempt.answers["toepassingen-koppelen"]
    assert "Jouw koppelingen:" in page and "Jouw volgorde:" in page
    assert module.quiz_spec.question("toepassingen-koppelen").feedback in page
    assert "Niet goed" not in page and "Gedeeltelijk goed" not in page


def test_partly_right_answers_are_graded_and_explained_as_partly_right(quiz):
    client, module, url = quiz
    answers = correct_answers(module)
    # matching: service and profileren swapped (3 of 5); ordering: first two swapped (1 of 3)
    answers["q-toepassingen-koppelen-service"] = ["profileren"]
    answers["q-toepassingen-koppelen-profileren"] = ["service"]
    answers["q-passief-reactief-actief-passief"] = ["2"]
    answers["q-passief-reactief-actief-reactief"] = ["1"]
    # multiple choice: two of the three right options
    answers["q-toepassingen-herkennen"] = ["a", "b"]
    client.post(url, data={"attempt": "1", **answers})
    attempt = _attempt()
    assert attempt.max_score - attempt.score == 2 + 2 + 1
    assert not any(attempt.results[q] for q in ("toepassingen-koppelen", "passief-reactief-actief",
                                                  "toepassingen-herkennen"))
    page = client.get(f"{url}/poging-1").text
    assert page.count("Gedeeltelijk goed") == 3
    assert "3 van 5 punten" in page and "1 van 3 punten" in page and "2 van 3 punten" in page
    assert "hoort op plaats 1" in page                                   # where a misplaced item belongs
    assert "hoort bij: Laten zien wie je bent en waar je verstand van hebt" in page
    assert "Dit goede antwoord koos je niet:" in page                     # the right option that was missed


def test_wrong_answers_score_nothing_and_say_not_correct(quiz):
    client, module, url = quiz
    client.post(url, data={"attempt": "1", **wrong_answers(module)})
    attempt = _attempt()
    assert attempt.score == 0 and not attempt.passed
    page = client.get(f"{url}/poging-1").text
    assert page.count("Niet goed") == len(module.quiz_spec.questions)
    assert "Gedeeltelijk goed" not in page


def test_the_trainer_analysis_counts_partly_right_and_the_wrong_match(quiz, login_as):
    client, module, url = quiz
    answers = correct_answers(module)
    answers["q-toepassingen-koppelen-service"] = ["profileren"]
    answers["q-toepassingen-koppelen-profileren"] = ["service"]
    client.post(url, data={"attempt": "1", **answers})
    admin = factories.make_user(role="admin")
    page = login_as(admin).get(f"/voortgang/cursus/{module.course.slug}/quizanalyse").text
    assert "Service → Laten zien wie je bent en waar je verstand van hebt (1 keer)" in page


def test_the_learners_data_export_reads_ordering_and_matching_answers_as_text(quiz, learner):
    from course.privacy.export import collect

    client, module, url = quiz
    answers = correct_answers(module)
    answers["q-toepassingen-koppelen-service"] = ["profileren"]
    client.post(url, data={"attempt": "1", **answers})
    exported = collect(learner)
    attempt = next(a for e in exported["enrolments"] for a in e["quiz_attempts"])
    by_id = {a["question_id"]: a for a in attempt["answers"]}
    assert [c["text"] for c in by_id["passief-reactief-actief"]["chosen"]][0].startswith("1. Meelezen en rondkijken")
    assert by_id["toepassingen-koppelen"]["chosen"][2] == {
        "id": "service=profileren", "text": "Service → Laten zien wie je bent en waar je verstand van hebt"}
    assert by_id["toepassingen-koppelen"]["correct"] is False
