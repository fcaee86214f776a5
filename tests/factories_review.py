"""Factories for the review area: submissions with versions, decided or waiting."""
from datetime import timedelta

from course.extensions import db
from course.models import (
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    utcnow,
)

DEFAULT_FIELDS = {"doelgroep": "Mantelzorgers in de wijk.", "boodschap": "Wij staan naast je."}


def make_submission(enrolment, module, status="submitted", fields=None, submitted_days_ago=0,
                    feedback_due_on=None, **extra) -> Submission:
    """A submission with one submitted version (none for a draft)."""
    fields = dict(fields or DEFAULT_FIELDS)
    submitted_at = utcnow() - timedelta(days=submitted_days_ago)
    submission = Submission(enrolment=enrolment, module=module, status=SubmissionStatus(status),
                            draft_fields=fields, feedback_due_on=feedback_due_on, **extra)
    if status != "draft":
        submission.submitted_at = submitted_at
        submission.versions.append(SubmissionVersion(number=1, fields=fields, content_version="v1",
                                                     submitted_at=submitted_at))
    db.session.add(submission)
    db.session.commit()
    return submission


def add_review(submission, reviewer, decision="revision_requested", level="voldoende", feedback="Graag aanvullen."):
    """Record a decision on the latest version directly (bypassing the service)."""
    version = submission.versions[-1]
    review = Review(version=version, reviewer=reviewer, decision=ReviewDecision(decision), feedback_md=feedback)
    db.session.add(review)
    for criterion in submission.module.assignment["rubric"]:
        points = {lv["id"]: lv["points"] for lv in criterion["levels"]}[level]
        review.scores.append(ReviewScore(criterion_id=criterion["id"], level_id=level, points=points))
    submission.status = (SubmissionStatus.APPROVED if decision == "approved"
                         else SubmissionStatus.REVISION_REQUESTED)
    submission.decided_at = utcnow()
    submission.lock_version += 1
    db.session.commit()
    return review


def resubmit(submission, fields) -> SubmissionVersion:
    """The learner's resubmission: a new version, waiting again."""
    version = SubmissionVersion(number=len(submission.versions) + 1, fields=dict(fields), content_version="v1",
                                submitted_at=utcnow())
    submission.versions.append(version)
    submission.draft_fields = dict(fields)
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = version.submitted_at
    db.session.commit()
    return version


def scores_for(module, level="goed", comment="") -> dict:
    return {c["id"]: {"level": level, "comment": comment} for c in module.assignment["rubric"]}


def form_data(submission, decision="approved", level="goed", feedback="Mooi werk.", **extra) -> dict:
    data = {"lock_version": str(submission.lock_version), "decision": decision, "feedback_md": feedback}
    for criterion in submission.module.assignment["rubric"]:
        data[f"level__{criterion['id']}"] = level
        data[f"comment__{criterion['id']}"] = ""
    data.update(extra)
    return data

