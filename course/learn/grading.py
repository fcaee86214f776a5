"""Quizzes without a request or a database: shuffling, reading the form, grading.

`quiz` is the loaded JSON of a module's quiz:
{"pass_mark": int|None, "questions": [{id, type, text_html, options: [{id, text_html, correct, feedback_html}]}]}
"""
import hashlib
import random
from dataclasses import dataclass, field

ANSWER_PREFIX = "q-"
ALLOWED_EXTRA = {"csrf_token", "attempt"}


class QuizFormTampered(Exception):
    """The form does not match the quiz: an unknown option or field, or several
    answers to a one-answer question. Answered with 400."""


@dataclass
class Unanswered(Exception):
    """The learner left questions open (their ids, in quiz order)."""

    question_ids: list[str]


@dataclass
class QuestionResult:
    id: str
    correct: bool
    chosen: list[str]
    # option id -> feedback html, for the options the learner chose
    feedback: dict[str, str] = field(default_factory=dict)


@dataclass
class QuizResult:
    score: int
    max_score: int
    passed: bool
    pass_mark: int
    questions: list[QuestionResult]

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max_score) if self.max_score else 0

    def results_map(self) -> dict[str, bool]:
        return {q.id: q.correct for q in self.questions}


def shuffle_seed(enrolment_public_id: str, module_slug: str, attempt_number: int) -> int:
    """Deterministic per attempt: the same page reloads in the same order."""
    digest = hashlib.sha256(f"{enrolment_public_id}:{module_slug}:{attempt_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def questions_for_display(quiz: dict, seed: int) -> list[dict]:
    """The questions with their options shuffled, and without any answer or feedback."""
    rng = random.Random(seed)  # noqa: S311 - an order, not a secret
    shown = []
    for question in quiz["questions"]:
        options = [{"id": o["id"], "text_html": o["text_html"]} for o in question["options"]]
        if question["type"] != "truefalse":
            rng.shuffle(options)
        shown.append({"id": question["id"], "type": question["type"], "text_html": question["text_html"],
                      "options": options})
    return shown


def parse_answers(quiz: dict, form) -> dict[str, list[str]]:
    """Read `q-<question id>` fields from a MultiDict-like form.
    Raises QuizFormTampered for anything that could not come from our form,
    and Unanswered when questions were left open."""
    questions = {q["id"]: q for q in quiz["questions"]}
    for key in form:
        if key in ALLOWED_EXTRA:
            continue
        if not key.startswith(ANSWER_PREFIX) or key[len(ANSWER_PREFIX):] not in questions:
            raise QuizFormTampered(f"unexpected field '{key}'")
    answers: dict[str, list[str]] = {}
    missing = []
    for qid, question in questions.items():
        values = [v for v in form.getlist(ANSWER_PREFIX + qid) if v != ""]
        option_ids = {o["id"] for o in question["options"]}
        unknown = [v for v in values if v not in option_ids]
        if unknown:
            raise QuizFormTampered(f"unknown option '{unknown[0]}' for question '{qid}'")
        if len(set(values)) != len(values):
            raise QuizFormTampered(f"an option was sent twice for question '{qid}'")
        if question["type"] != "multiple" and len(values) > 1:
            raise QuizFormTampered(f"several answers for one-answer question '{qid}'")
        if not values:
            missing.append(qid)
        answers[qid] = values
    if missing:
        raise Unanswered(missing)
    return answers


def grade_quiz(quiz: dict, answers: dict[str, list[str]], pass_mark: int = 70) -> QuizResult:
    """One point per question answered exactly right (for multiple choice: exactly the
    correct set). Passed when the score reaches `pass_mark` percent."""
    results = []
    for question in quiz["questions"]:
        chosen = list(answers.get(question["id"], []))
        correct_ids = {o["id"] for o in question["options"] if o["correct"]}
        feedback = {o["id"]: o["feedback_html"] for o in question["options"] if o["id"] in chosen}
        results.append(QuestionResult(question["id"], set(chosen) == correct_ids, chosen, feedback))
    score = sum(1 for r in results if r.correct)
    max_score = len(results)
    passed = max_score > 0 and score * 100 >= pass_mark * max_score
    return QuizResult(score, max_score, passed, pass_mark, results)
