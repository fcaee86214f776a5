"""The question-type registry: every type's checks (file:line), grading with partial
credit, item analysis, the editor hooks and the round trip through the files."""
import random
import shutil
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from course.content import files as canonical
from course.content.questions import (
    QUESTION_TYPES,
    AnswerIncomplete,
    Mark,
    QuizFormTampered,
    Verdict,
    question_from_json,
)
from course.content.spec import read_content
from course.review.queries.quiz_analysis import question_stats
from tests.factories_learn import DEFAULT_CONTENT, SECOND_COURSE

ROOT = Path(__file__).resolve().parent.parent
QUIZ_MODULE = "goed-luisteren"  # the module of the second course whose quiz the tests replace

ORDERING = {"id": "volgorde", "type": "ordering", "text": "Zet in volgorde.",
            "items": [{"id": "passief", "text": "Meelezen"}, {"id": "reactief", "text": "Reageren"},
                      {"id": "actief", "text": "Zelf *starten*"}],
            "feedback": "Eerst kijken, dan reageren, dan zelf beginnen."}
MATCHING = {"id": "koppel", "type": "matching", "text": "Koppel.",
            "pairs": [{"id": "service", "text": "Service", "match": "Vragen beantwoorden"},
                      {"id": "profileren", "text": "Profileren", "match": "Laten zien wat je weet"},
                      {"id": "werving", "text": "Werving", "match": "Vrijwilligers vinden"}],
            "feedback": "Elke toepassing vraagt iets anders."}
MULTIPLE = {"id": "meer", "type": "multiple", "text": "Welke?", "options": [
    {"id": "a", "text": "Ja 1", "correct": True, "feedback": "Hoort erbij."},
    {"id": "b", "text": "Ja 2", "correct": True, "feedback": "Ook."},
    {"id": "c", "text": "Nee", "correct": False, "feedback": "Nee."}]}


def _course_with_quiz(tmp_path, questions) -> Path:
    """A copy of the second course whose first quiz holds `questions` (written as YAML)."""
    course = tmp_path / "feedback-geven"
    shutil.copytree(SECOND_COURSE, course)
    (course / QUIZ_MODULE / "quiz.yml").write_text(canonical.dump_yaml({"questions": questions}))
    return course


def _read(tmp_path, questions):
    course = _course_with_quiz(tmp_path, questions)
    report = read_content(course)
    return report, [p.display(course) for p in report.problems], Path(QUIZ_MODULE) / "quiz.yml"


def _question(tmp_path, data):
    report, problems, _path = _read(tmp_path, [data])
    assert problems == []
    return report.courses[0].module(QUIZ_MODULE).quiz.questions[0]


# ---- the registry ------------------------------------------------------------------


def test_every_type_is_registered_with_its_template_and_label():
    assert list(QUESTION_TYPES) == ["single", "multiple", "truefalse", "matching", "ordering"]
    for name, cls in QUESTION_TYPES.items():
        assert (ROOT / "templates" / "learn" / "questions" / f"{name}.html").is_file(), name
        assert cls.LABEL and cls.EDITOR.fields[0].name == "id"


# ---- schema and checks ----------------------------------------------------------------


BAD_QUIZZES = [
    ("""questions:
- id: volgorde
  type: ordering
  text: Zet in volgorde.
  items:
  - {id: een, text: Eén}
  feedback: Uitleg.
""", ["5: question 1 needs 2 to 10 items; it has 1"]),
    ("""questions:
- id: volgorde
  type: ordering
  text: Zet in volgorde.
  items:
  - {id: een, text: Eén}
  - {id: een, text: Twee}
  - {text: Drie, plaats: 3}
  feedback: Uitleg.
""", ["7: duplicate id 'een' (also on line 6)", "8: unknown field 'plaats' in item 3 of question 1",
      "8: missing field 'id' in item 3 of question 1"]),
    ("""questions:
- id: volgorde
  type: ordering
  text: Zet in volgorde.
  items:
  - {id: een, text: Eén}
  - {id: twee, text: Twee}
""", ["2: missing field 'feedback' in question 1"]),
    ("""questions:
- id: koppel
  type: matching
  text: Koppel.
  pairs:
  - id: a
    text: A
    match: Zelfde
  - id: b
    text: B
    match: zelfde
  - id: c
    text: C
  feedback: Uitleg.
  options: []
""", ["15: unknown field 'options' in question 1",
      "11: the match 'zelfde' is used twice (also on line 8): every match must be different",
      "12: missing field 'match' in pair 3 of question 1"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD_QUIZZES)
def test_the_checks_of_the_new_types_report_file_and_line(tmp_path, text, expected):
    course = _course_with_quiz(tmp_path, [])
    (course / QUIZ_MODULE / "quiz.yml").write_text(text)
    report = read_content(course)
    assert [p.display(course) for p in report.problems] == [f"{QUIZ_MODULE}/quiz.yml:{line}" for line in expected]
    assert not report.ok


def test_the_new_types_messages_are_in_dutch_too(tmp_path):
    report, _problems, _path = _read(tmp_path, [{**ORDERING, "items": [{"id": "een", "text": "Eén"}]}])
    assert report.problems[0].display(tmp_path, "nl").endswith(
        "vraag 1 heeft 2 tot 10 onderdelen nodig; er zijn er 1")


@pytest.mark.parametrize("data", [ORDERING, MATCHING, MULTIPLE], ids=lambda d: d["type"])
def test_a_question_reads_back_from_its_file_form_and_its_stored_form_unchanged(tmp_path, data):
    question = _question(tmp_path, data)
    assert question.to_file() == data
    assert question_from_json(question.to_json()) == question


def test_texts_are_kept_as_markdown_and_as_html(tmp_path):
    stored = _question(tmp_path, ORDERING).to_json()["items"][2]
    assert (stored["text"], stored["text_html"]) == ("Zelf *starten*", "Zelf <em>starten</em>")


# ---- the learner's side: display, answers, grading -----------------------------------------


def test_ordering_is_never_shown_in_the_right_order_and_carries_no_answer(tmp_path):
    question = _question(tmp_path, ORDERING)
    for seed in range(20):
        shown = question.display(random.Random(seed))
        assert [i["id"] for i in shown["items"]] != ["passief", "reactief", "actief"]
        assert shown["places"] == [1, 2, 3]
        assert "feedback" not in str(shown) and "Eerst kijken" not in str(shown)


def test_ordering_reads_places_and_refuses_what_our_form_cannot_send(tmp_path):
    question = _question(tmp_path, ORDERING)
    form = MultiDict({"q-volgorde-passief": "2", "q-volgorde-reactief": "1", "q-volgorde-actief": "3"})
    assert question.read_answer(form) == ["reactief", "passief", "actief"]
    with pytest.raises(AnswerIncomplete, match="Give every item a different place"):
        question.read_answer(MultiDict({**form, "q-volgorde-actief": "1"}))
    with pytest.raises(AnswerIncomplete, match="Give every item a place"):
        question.read_answer(MultiDict({**form, "q-volgorde-actief": ""}))
    for bad in ("4", "0", "-1", "x", "1" * 40, "²", "٣", "9" * 5000):
        with pytest.raises(QuizFormTampered):
            question.read_answer(MultiDict({**form, "q-volgorde-actief": bad}))


@pytest.mark.parametrize(("answer", "points", "verdict"), [
    (["passief", "reactief", "actief"], 3, Verdict.CORRECT),
    (["reactief", "passief", "actief"], 1, Verdict.PARTIAL),
    (["actief", "passief", "reactief"], 0, Verdict.WRONG),
])
def test_ordering_gives_a_point_per_item_in_its_place(tmp_path, answer, points, verdict):
    grade = _question(tmp_path, ORDERING).grade(answer)
    assert (grade.points, grade.max_points, grade.verdict) == (points, 3, verdict)
    assert grade.feedback_html == "Eerst kijken, dan reageren, dan zelf beginnen."


def test_ordering_tells_where_a_misplaced_item_belongs(tmp_path):
    grade = _question(tmp_path, ORDERING).grade(["reactief", "passief", "actief"])
    assert [(line.label_html, line.mark, line.detail_html) for line in grade.lines] == [
        ("Reageren", Mark.WRONG, "belongs in place 2"), ("Meelezen", Mark.WRONG, "belongs in place 1"),
        ("Zelf <em>starten</em>", Mark.RIGHT, "")]


def test_matching_reads_a_match_per_item_and_grades_each(tmp_path):
    question = _question(tmp_path, MATCHING)
    form = MultiDict({"q-koppel-service": "service", "q-koppel-profileren": "werving",
                      "q-koppel-werving": "profileren"})
    answer = question.read_answer(form)
    assert answer == ["service=service", "profileren=werving", "werving=profileren"]
    grade = question.grade(answer)
    assert (grade.points, grade.max_points, grade.verdict) == (1, 3, Verdict.PARTIAL)
    assert grade.lines[1].label_html == "Profileren → Vrijwilligers vinden"
    assert grade.lines[1].detail_html == "belongs with: Laten zien wat je weet"
    with pytest.raises(AnswerIncomplete):
        question.read_answer(MultiDict({**form, "q-koppel-werving": ""}))
    with pytest.raises(QuizFormTampered):
        question.read_answer(MultiDict({**form, "q-koppel-werving": "bestaat-niet"}))


def test_a_matching_question_shows_every_match_once_and_no_pairing(tmp_path):
    shown = _question(tmp_path, MATCHING).display(random.Random(3))
    assert sorted(c["id"] for c in shown["choices"]) == ["profileren", "service", "werving"]
    assert all(set(pair) == {"id", "text_html", "field"} for pair in shown["pairs"])


@pytest.mark.parametrize("data", [ORDERING, MATCHING, MULTIPLE], ids=lambda d: d["type"])
def test_the_example_answers_are_right_and_wrong(tmp_path, data):
    question = _question(tmp_path, data)
    right = question.read_answer(MultiDict([(k, v) for k, vs in question.example_form(True).items() for v in vs]))
    wrong = question.read_answer(MultiDict([(k, v) for k, vs in question.example_form(False).items() for v in vs]))
    assert question.grade(right).verdict is Verdict.CORRECT
    assert question.grade(wrong).points == 0


def test_partly_right_multiple_choice_is_explained_as_partly_right(tmp_path):
    question = _question(tmp_path, MULTIPLE)
    grade = question.grade(["a"])
    assert (grade.points, grade.max_points, grade.verdict) == (1, 2, Verdict.PARTIAL)
    assert grade.verdict.label == "Partly correct"
    assert [(line.label_html, line.mark) for line in grade.lines] == [("Ja 1", Mark.RIGHT), ("Ja 2", Mark.MISSED)]


# ---- item analysis ---------------------------------------------------------------------


def test_item_analysis_counts_right_partly_right_and_the_most_frequent_wrong_part(tmp_path):
    ordering = _question(tmp_path / "o", ORDERING)
    stats = question_stats(ordering, [
        (["passief", "reactief", "actief"], True),
        (["reactief", "passief", "actief"], False),
        (["actief", "reactief", "passief"], False),
    ])
    assert (stats.attempts, stats.correct, stats.partly, stats.share_correct) == (3, 1, 2, 33)
    assert (str(stats.wrong_option), stats.wrong_option_count) == ("Meelezen", 2)
    matching = _question(tmp_path / "m", MATCHING)
    stats = question_stats(matching, [(["service=service", "profileren=werving", "werving=profileren"], False),
                                      (["service=werving", "profileren=werving", "werving=service"], False)])
    assert (str(stats.wrong_option), stats.wrong_option_count) == ("Profileren → Vrijwilligers vinden", 2)
    choice = _question(tmp_path / "c", MULTIPLE)
    stats = question_stats(choice, [(["a"], False), (["a", "c"], False), (["c"], False)])
    assert (stats.partly, str(stats.wrong_option), stats.wrong_option_count) == (2, "Nee", 2)


# ---- the editor hooks --------------------------------------------------------------------


@pytest.mark.parametrize("data", [ORDERING, MATCHING, MULTIPLE], ids=lambda d: d["type"])
def test_the_editor_form_turns_back_into_the_same_quiz_file(tmp_path, data):
    question = _question(tmp_path, data)
    values = question.to_form("q0-")
    rows = question.EDITOR.rows
    assert {f"q0-{f.name}" for f in question.EDITOR.fields} <= set(values)
    assert f"q0-{rows.name}-0-{rows.fields[0].name}" in values
    # an empty row the editor offered for adding is left out
    values.update({f"q0-{rows.name}-9-{f.name}": "" for f in rows.fields})
    values.update({f"q0-{rows.name}-3-{f.name}": "" for f in rows.fields})
    assert type(question).from_form(MultiDict(values), "q0-") == data


def test_an_edited_question_goes_through_the_same_checker(tmp_path):
    form = MultiDict({"id": "nieuw", "text": "Zet in volgorde.", "feedback": "Uitleg.",
                      "items-0-id": "een", "items-0-text": "Eén"})
    data = QUESTION_TYPES["ordering"].from_form(form)
    assert data == {"id": "nieuw", "type": "ordering", "text": "Zet in volgorde.", "feedback": "Uitleg.",
                    "items": [{"id": "een", "text": "Eén"}]}
    _report, problems, path = _read(tmp_path, [data])
    assert problems == [f"{path}:6: question 1 needs 2 to 10 items; it has 1"]


# ---- the default course -------------------------------------------------------------------


def test_the_default_course_uses_ordering_and_matching_and_explains_them():
    course = read_content(DEFAULT_CONTENT).courses[0]
    questions = [q for m in course.modules for q in m.quiz.questions]
    kinds = {q.type for q in questions}
    assert {"ordering", "matching"} <= kinds
    matching = next(q for q in questions if q.type == "matching")
    assert len(matching.pairs) == 5 and matching.feedback


def test_no_feedback_of_a_right_multiple_choice_option_begins_with_yes():
    """The feedback of a right option is also shown when the learner missed it."""
    course = read_content(DEFAULT_CONTENT).courses[0]
    for module in course.modules:
        for question in module.quiz.questions:
            if question.type == "multiple":
                for option in question.options:
                    if option.correct:
                        assert not option.feedback.startswith(("Ja", "Klopt", "Juist")), (question.id, option.id)
