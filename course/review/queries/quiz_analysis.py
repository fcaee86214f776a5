"""Quiz item analysis: per question, how often it was answered right, partly right,
and the wrong part chosen most.
"""
from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup

from course.content.questions import Verdict
from course.extensions import db
from course.models import (
    CourseModule,
    Enrolment,
    QuizAttempt,
)

from .scope import Scope

FLAG_BELOW = 60  # percent answered correctly under which the quiz analysis flags a question


@dataclass
class QuestionStats:
    question_id: str
    text_html: Markup
    attempts: int
    correct: int
    wrong_option: Markup | None       # the wrong part chosen most (an option, a misplaced item, a wrong match)
    wrong_option_count: int
    partly: int = 0                   # answers that were partly right

    @property
    def share_correct(self) -> int | None:
        return round(100 * self.correct / self.attempts) if self.attempts else None

    @property
    def flagged(self) -> bool:
        """Answered correctly by fewer than FLAG_BELOW percent: worth a look at the question."""
        return self.share_correct is not None and self.share_correct < FLAG_BELOW


def question_stats(question, answers: list[tuple[list[str], bool]]) -> QuestionStats:
    """One question over many answers ((answer, stored as fully right)). What counts as
    a wrong part is the question type's own business (`wrong_parts`)."""
    correct = sum(1 for _answer, right in answers if right)
    partly = sum(1 for answer, right in answers
                 if not right and question.grade(answer).verdict is Verdict.PARTIAL)
    wrong = Counter(part for answer, _right in answers for part in question.wrong_parts(answer))
    top = wrong.most_common(1)
    return QuestionStats(
        question.id, Markup(question.text_html), len(answers), correct,  # noqa: S704  trusted course content
        Markup(top[0][0]) if top else None, top[0][1] if top else 0, partly,  # noqa: S704
    )


def quiz_analysis(user, scope: Scope) -> list[tuple[CourseModule, int, list[QuestionStats]]]:
    """Per module and question: attempts, share answered correctly, how many partly,
    the most-chosen wrong part. Counts every attempt of the trainer's learners. One query."""
    attempts = db.session.execute(
        sa.select(QuizAttempt.module_id, QuizAttempt.answers, QuizAttempt.results)
        .join(Enrolment, QuizAttempt.enrolment_id == Enrolment.id).where(scope.enrolment_filter(user))
    ).all()
    by_module: dict[int, list] = {}
    for attempt in attempts:
        by_module.setdefault(attempt.module_id, []).append(attempt)
    result = []
    for module in scope.modules:
        quiz = module.quiz_spec
        if not quiz or not quiz.questions:
            continue
        module_attempts = by_module.get(module.id, [])
        stats = []
        for question in quiz.questions:
            answers = [(a.answers[question.id], bool((a.results or {}).get(question.id)))
                       for a in module_attempts if question.id in (a.answers or {})]
            stats.append(question_stats(question, answers))
        result.append((module, len(module_attempts), stats))
    return result
