"""The numbers behind the review chart: how many versions waited for review, day by day.
"""
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from course import permissions
from course.extensions import db
from course.models import (
    Enrolment,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    utcnow,
)


def waiting_over_time(user, days: int = 30, now: datetime | None = None) -> list[tuple[date, int]]:
    """For each of the last `days` days: how many submitted versions were waiting for
    review at the end of that day. One query."""
    now = now or utcnow()
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = db.session.execute(
        sa.select(SubmissionVersion.submitted_at, Review.created_at, Submission.status)
        .join(Submission, SubmissionVersion.submission_id == Submission.id)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(permissions.enrolments_visible_to_trainer(user),
               sa.or_(Review.created_at.is_(None), Review.created_at >= start))
    ).all()
    series = []
    for offset in range(days):
        day = (start + timedelta(days=offset)).date()
        end = datetime.combine(day + timedelta(days=1), datetime.min.time())
        waiting = sum(1 for submitted, reviewed, status in rows
                      if submitted < end and (reviewed >= end if reviewed else status == SubmissionStatus.SUBMITTED))
        series.append((day, waiting))
    return series
