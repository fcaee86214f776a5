"""grade_quiz and friends: pure functions, no request, no database."""
import pytest
from werkzeug.datastructures import MultiDict

from course.content.model import Quiz
from course.content.questions import Mark, Verdict
from course.learn.grading import (
    QuizFormTampered,
    Unanswered,
    grade_quiz,
    parse_answers,
    questions_for_display,
    shuffle_seed,
)
from tests.factories import quiz_json as quiz_data


def quiz_json(prefix: str = "q") -> Quiz:
    return Quiz.from_json(quiz_data(prefix))


ALL_RIGHT = {"q1": ["a"], "q2": ["a", "b"], "q3": ["waar"]}


def test_all_right_scores_full_marks_and_passes():
    result = grade_quiz(quiz_json(), ALL_RIGHT)
    # single 1 point, multiple 1 per right option (2), true/false 1
    assert (result.score, result.max_score, result.passed, result.percent) == (4, 4, True, 100)
    assert all(q.verdict is Verdict.CORRECT for q in result.questions)


def test_multiple_choice_counts_as_fully_right_only_with_the_exact_set_of_correct_options():
    partial = grade_quiz(quiz_json(), {**ALL_RIGHT, "q2": ["a"]})
    extra = grade_quiz(quiz_json(), {**ALL_RIGHT, "q2": ["a", "b", "c"]})
    assert partial.results_map()["q2"] is False and extra.results_map()["q2"] is False


@pytest.mark.parametrize(("answer", "points", "verdict"), [
    (["a", "b"], 2, Verdict.CORRECT),
    (["a"], 1, Verdict.PARTIAL),           # one of the two right options
    (["a", "b", "c"], 1, Verdict.PARTIAL),  # both right, one wrong
    (["a", "c"], 0, Verdict.PARTIAL),      # one right, one wrong: no point, but partly right
    (["c"], 0, Verdict.WRONG),
])
def test_multiple_choice_gives_partial_credit(answer, points, verdict):
    q2 = next(q for q in grade_quiz(quiz_json(), {**ALL_RIGHT, "q2": answer}).questions if q.id == "q2")
    assert (q2.grade.points, q2.grade.max_points, q2.verdict) == (points, 2, verdict)


@pytest.mark.parametrize(("wrong", "pass_mark", "passed"), [
    (0, 70, True), (1, 70, True), (1, 76, False), (2, 25, True), (2, 26, False), (3, 0, True), (3, 1, False),
])
def test_the_pass_mark_is_a_percentage_of_the_points(wrong, pass_mark, passed):
    """1 wrong: the single question (3 of 4 points); 2 wrong: also the multiple one (1 of 4)."""
    answers = dict(ALL_RIGHT)
    for qid in list(answers)[:wrong]:
        answers[qid] = ["c"] if qid != "q3" else ["niet-waar"]
    assert grade_quiz(quiz_json(), answers, pass_mark).passed is passed


def test_feedback_is_given_for_each_chosen_option_and_a_missed_right_one_is_named():
    result = grade_quiz(quiz_json(), {**ALL_RIGHT, "q2": ["a", "c"]})
    q2 = next(q for q in result.questions if q.id == "q2")
    assert [(line.label_html, line.mark, line.feedback_html) for line in q2.grade.lines] == [
        ("Ja 1", Mark.RIGHT, "Klopt."), ("Nee", Mark.WRONG, "Nee."), ("Ja 2", Mark.MISSED, "Klopt.")]


def test_shuffling_is_deterministic_per_attempt_and_differs_between_attempts():
    data = quiz_data()
    data["questions"][0]["options"] += [
        {"id": c, "text_html": c, "correct": False, "feedback_html": ""} for c in "defgh"]
    quiz = Quiz.from_json(data)
    first = questions_for_display(quiz, shuffle_seed("enr", "mod", 1))
    again = questions_for_display(quiz, shuffle_seed("enr", "mod", 1))
    orders = {tuple(o["id"] for o in questions_for_display(quiz, shuffle_seed("enr", "mod", n))[0]["options"])
              for n in range(1, 6)}
    assert first == again
    assert len(orders) > 1


def test_the_displayed_quiz_carries_no_answers_or_feedback():
    shown = questions_for_display(quiz_json(), 42)
    for question in shown:
        assert set(question) == {"id", "type", "template", "text_html", "options"}
        for option in question["options"]:
            assert set(option) == {"id", "text_html"}


def test_true_false_options_keep_their_order():
    shown = questions_for_display(quiz_json(), 7)
    assert [o["id"] for o in shown[2]["options"]] == ["waar", "niet-waar"]


def _form(**answers):
    data = MultiDict({"csrf_token": "x", "attempt": "1"})
    for qid, values in answers.items():
        for value in values:
            data.add(f"q-{qid}", value)
    return data


def test_parse_answers_reads_every_question():
    assert parse_answers(quiz_json(), _form(**ALL_RIGHT)) == ALL_RIGHT


@pytest.mark.parametrize("form", [
    _form(q1=["zzz"], q2=["a"], q3=["waar"]),                  # unknown option id
    _form(q1=["a", "b"], q2=["a"], q3=["waar"]),               # two answers to a single-answer question
    _form(q1=["a"], q2=["a", "a"], q3=["waar"]),               # the same option twice
    _form(q1=["a"], q2=["a"], q3=["waar"], q9=["a"]),          # a question that is not in the quiz
])
def test_a_tampered_form_is_refused(form):
    with pytest.raises(QuizFormTampered):
        parse_answers(quiz_json(), form)


def test_an_extra_field_is_refused():
    form = _form(**ALL_RIGHT)
    form.add("score", "100")
    with pytest.raises(QuizFormTampered):
        parse_answers(quiz_json(), form)


def test_a_missing_question_is_reported_by_id():
    with pytest.raises(Unanswered) as error:
        parse_answers(quiz_json(), _form(q1=["a"]))
    assert error.value.question_ids == ["q2", "q3"]
