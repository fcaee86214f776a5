"""One learner's detail page: their events, quiz attempts (with the answers) and submissions.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from course.content.questions import Verdict
from course.extensions import db
from course.models import (
    CourseModule,
    Enrolment,
    ProgressEvent,
    QuizAttempt,
    Review,
    Submission,
    SubmissionVersion,
)


@dataclass
class LearnerDetail:
    enrolment: Enrolment
    events: list[ProgressEvent]
    attempts: list[QuizAttempt]
    submissions: list[Submission]
    modules: dict[int, CourseModule]


def load_enrolment(public_id: str) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.public_id == public_id))


def learner_detail(enrolment: Enrolment) -> LearnerDetail:
    events = db.session.scalars(
        sa.select(ProgressEvent).where(ProgressEvent.enrolment_id == enrolment.id)
        .order_by(ProgressEvent.created_at.desc(), ProgressEvent.id.desc())
    ).all()
    attempts = db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id)
        .order_by(QuizAttempt.module_id, QuizAttempt.number)
    ).all()
    submissions = db.session.scalars(
        sa.select(Submission).where(Submission.enrolment_id == enrolment.id)
        .options(selectinload(Submission.versions).selectinload(SubmissionVersion.review).selectinload(Review.scores),
                 selectinload(Submission.versions).selectinload(SubmissionVersion.review)
                 .selectinload(Review.reviewer))
    ).all()
    modules = {m.id: m for m in enrolment.course.modules}
    submissions = sorted(submissions, key=lambda s: modules[s.module_id].position if s.module_id in modules else 0)
    return LearnerDetail(enrolment, list(events), list(attempts), list(submissions), modules)


def attempt_answers(attempt: QuizAttempt, module: CourseModule) -> list[dict]:
    """Per question of the attempt: the question, the answer and how it was judged."""
    rows = []
    quiz = module.quiz_spec
    for question in quiz.questions if quiz else []:
        answer = (attempt.answers or {}).get(question.id)
        if answer is None:
            continue
        right = bool((attempt.results or {}).get(question.id))
        verdict = Verdict.CORRECT if right else (
            Verdict.PARTIAL if question.grade(answer).verdict is not Verdict.WRONG else Verdict.WRONG)
        rows.append({
            "question": Markup(question.text_html),  # noqa: S704  trusted course content
            "chosen": [Markup(line) for line in question.answer_html(answer)],  # noqa: S704
            "correct": right, "verdict": verdict,
        })
    return rows
