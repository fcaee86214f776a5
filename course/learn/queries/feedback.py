"""A module's feedback as the learner reads it: the trainer's reviews, the latest
decision, quiz verdicts, and the images of a module and the course's cover. Read-only."""
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from course.content.questions import Grade, Verdict
from course.content.spec import IMAGE_TYPES, SLUG
from course.extensions import db
from course.models import (
    Review,
    Submission,
    SubmissionVersion,
)
from course.statements import built_once


def media_folder(course, module_slug: str, filename: str) -> Path | None:
    """The module folder holding `filename`, if it is an image that may be served."""
    if not SLUG.match(module_slug) or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    if Path(filename).suffix.lower() not in IMAGE_TYPES or not course.source_path:
        return None
    folder = Path(course.source_path) / module_slug
    target = folder / filename
    # a symbolic link may not lead out of the module folder (the content check refuses it too)
    if not target.is_file() or target.resolve().parent != folder.resolve():
        return None
    return folder


def cover_folder(course, filename: str) -> Path | None:
    """The course folder, if `filename` is the course's cover (course.yml `cover:`) and is there."""
    if not course.cover or filename != course.cover or not course.source_path:
        return None
    folder = Path(course.source_path)
    target = folder / filename
    if not target.is_file() or target.resolve().parent != folder.resolve():
        return None
    return folder


def published_cover(course) -> bytes | None:
    """The cover of a course published from the browser editor (no folder on disk): the
    file beside course.yml in the published version the course has now. One query."""
    from course.content.published import published_file

    if not course.cover or "/" in course.cover or not course.content_version:
        return None
    return published_file(course, course.cover)


def submission_with_reviews(enrolment, module) -> Submission | None:
    """The submission with its versions, reviews, reviewers and scores: one query."""
    return db.session.execute(_submission_statement(),
                              {"enrolment_id": enrolment.id, "module_id": module.id}).unique().scalar()


@built_once()
def _submission_statement() -> sa.Select:
    """Built once per process with bound parameters: a statement used again keeps its
    SQL cache key (issue 16)."""
    review = joinedload(Submission.versions).joinedload(SubmissionVersion.review)
    return (sa.select(Submission).where(Submission.enrolment_id == sa.bindparam("enrolment_id"),
                                        Submission.module_id == sa.bindparam("module_id"))
            .options(review.joinedload(Review.scores), review.joinedload(Review.reviewer)))


def feedback_history(submission: Submission | None, module) -> list[dict]:
    """The trainer's reviews, newest first, with rubric titles resolved."""
    if submission is None:
        return []
    assignment = module.assignment_spec
    history = []
    for version in reversed(submission.versions):
        review = version.review
        if review is None:
            continue
        scores = []
        for score in review.scores:
            criterion = assignment.criterion(score.criterion_id) if assignment else None
            level = criterion.level(score.level_id) if criterion else None
            scores.append({"criterion_id": score.criterion_id,
                           "criterion": criterion.title if criterion else score.criterion_id,
                           "level": level.title if level else score.level_id, "points": score.points,
                           "max": criterion.max_points if criterion and criterion.levels else score.points,
                           "comment": score.comment})
        history.append({"version": version, "review": review, "scores": scores})
    return history


@dataclass
class LatestFeedback:
    """The assignment page's top: the latest decision, its rubric comments beside the
    field they concern (the criterion's `field:`, or a criterion whose id is a field id),
    the rest under the decision."""

    item: dict                                   # one entry of feedback_history
    by_field: dict[str, list[dict]]              # {field_id: [score]}
    general: list[dict]                          # the scores that concern no one field
    earlier: list[dict]                          # older decisions, newest first


def latest_feedback(feedback: list[dict], module) -> LatestFeedback | None:
    """None before the first decision."""
    if not feedback:
        return None
    assignment = module.assignment_spec
    fields = {f.id for f in assignment.fields} if assignment else set()
    by_field: dict[str, list[dict]] = defaultdict(list)
    general = []
    concerns = {c.id: c.field or c.id for c in assignment.rubric} if assignment else {}
    for score in feedback[0]["scores"]:
        field_id = concerns.get(score["criterion_id"], score["criterion_id"])
        if field_id in fields:
            by_field[field_id].append(score)
        else:
            general.append(score)
    return LatestFeedback(feedback[0], dict(by_field), general, feedback[1:])


def attempt_verdict(attempt, question_id: str, grade: Grade) -> Verdict:
    """Right as it was graded when submitted (stored); otherwise partly right or wrong,
    as the answer reads against the quiz as it is now."""
    if (attempt.results or {}).get(question_id):
        return Verdict.CORRECT
    return Verdict.PARTIAL if grade.verdict is not Verdict.WRONG else Verdict.WRONG
