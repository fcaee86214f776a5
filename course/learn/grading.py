"""Quizzes without a request or a database: shuffling, reading the form, grading.

`quiz` is the typed quiz (`CourseModule.quiz_spec`). What differs per question type
(the form it sends, how it is graded) is the type's own business: see
`course/content/questions/`.
"""
import hashlib
import random
from dataclasses import dataclass

from course.content.model import Quiz
from course.content.questions import (  # noqa: F401  (QuizFormTampered and Unanswered are raised from here)
    AnswerIncomplete,
    Grade,
    QuizFormTampered,
    Unanswered,
    Verdict,
)

ALLOWED_EXTRA = {"csrf_token", "attempt"}


@dataclass
class QuestionResult:
    id: str
    chosen: list[str]
    grade: Grade

    @property
    def correct(self) -> bool:
        return self.grade.correct

    @property
    def verdict(self) -> Verdict:
        return self.grade.verdict


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
        """{question id: answered fully right}, as stored in QuizAttempt.results."""
        return {q.id: q.correct for q in self.questions}


def shuffle_seed(enrolment_public_id: str, module_slug: str, attempt_number: int) -> int:
    """Deterministic per attempt: the same page reloads in the same order."""
    digest = hashlib.sha256(f"{enrolment_public_id}:{module_slug}:{attempt_number}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def questions_for_display(quiz: Quiz, seed: int) -> list[dict]:
    """The questions as the quiz page shows them (shuffled where the type shuffles),
    without any answer or feedback."""
    rng = random.Random(seed)  # noqa: S311 - an order, not a secret
    return [question.display(rng) for question in quiz.questions]


def parse_answers(quiz: Quiz, form) -> dict[str, list[str]]:
    """Each question's answer from a MultiDict-like form.
    Raises QuizFormTampered for anything that could not come from our form,
    and Unanswered when questions were left open or incomplete."""
    keys = set(ALLOWED_EXTRA)
    for question in quiz.questions:
        keys |= question.form_keys()
    for key in form:
        if key not in keys:
            raise QuizFormTampered(f"unexpected field '{key}'")
    answers: dict[str, list[str]] = {}
    missing, reasons = [], {}
    for question in quiz.questions:
        try:
            answers[question.id] = question.read_answer(form)
        except AnswerIncomplete as incomplete:
            missing.append(question.id)
            if incomplete.message:
                reasons[question.id] = incomplete.message
    if missing:
        raise Unanswered(missing, reasons)
    return answers


def grade_quiz(quiz: Quiz, answers: dict[str, list[str]], pass_mark: int = 70) -> QuizResult:
    """Each question gives points by its type (a choice question 1, a multiple-choice
    question 1 per right option, with partial credit; ordering and matching 1 per item).
    Passed when the score reaches `pass_mark` percent of all points."""
    results = []
    for question in quiz.questions:
        chosen = list(answers.get(question.id, []))
        results.append(QuestionResult(question.id, chosen, question.grade(chosen)))
    score = sum(r.grade.points for r in results)
    max_score = sum(r.grade.max_points for r in results)
    passed = max_score > 0 and score * 100 >= pass_mark * max_score
    return QuizResult(score, max_score, passed, pass_mark, results)
