"""The grades export: one row per learner and assignment.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from course.extensions import db
from course.models import (
    Cohort,
    CourseModule,
    Enrolment,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
)

from ..services import max_points, rubric_of
from .scope import Scope, format_moment


def status_label(status) -> str:
    return str(SubmissionStatus(status).label)


def grades_table(user, scope: Scope) -> tuple[list[str], list[list[str]]]:
    """One row per learner and assignment: status, version, points of the latest
    decision, who decided and when. Three queries."""
    submissions = db.session.execute(
        sa.select(Submission, User, Cohort, CourseModule)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id).join(User, Enrolment.user_id == User.id)
        .join(CourseModule, Submission.module_id == CourseModule.id)
        .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(scope.enrolment_filter(user), Submission.status != SubmissionStatus.DRAFT)
        .order_by(User.name, CourseModule.position)
    ).all()
    ids = [s.id for s, *_rest in submissions] or [-1]
    latest: dict[int, tuple[int, Review]] = {}
    versions: dict[int, int] = {}
    for number, submission_id, review in db.session.execute(
        sa.select(SubmissionVersion.number, SubmissionVersion.submission_id, Review)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(SubmissionVersion.submission_id.in_(ids))
        .options(selectinload(Review.scores), selectinload(Review.reviewer))
    ).all():
        versions[submission_id] = max(versions.get(submission_id, 0), number)
        if review is not None and number >= latest.get(submission_id, (0, None))[0]:
            latest[submission_id] = (number, review)
    # A resubmission waiting for review has a newer version than the one the points belong to:
    # both are shown, so the points are never read as a score of the new version.
    header = [_("Learner"), _("Group"), _("Module"), _("Status"), _("Version"), _("Reviewed version"), _("Points"),
              _("Maximum"), _("Reviewed by"), _("Reviewed on")]
    rows = []
    for submission, learner, cohort, module in submissions:
        reviewed_number, review = latest.get(submission.id, (0, None))
        rubric = rubric_of(module)
        rows.append([
            learner.name, cohort.name if cohort else _("No group"), module.title, status_label(submission.status),
            str(versions.get(submission.id, 0)), str(reviewed_number) if review else "",
            str(sum(s.points for s in review.scores)) if review else "",
            str(max_points(rubric)) if review else "",
            (review.reviewer.name if review and review.reviewer else ""),
            format_moment(review.created_at) if review else "",
        ])
    return header, rows
