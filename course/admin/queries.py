"""The platform admin's read side: the figures on the dashboard. A fixed number of
queries whatever the size of the platform."""
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from course.extensions import db
from course.mail.retry import failed_count
from course.models import Enrolment, Organisation, SeatLicence, Submission, SubmissionStatus, User, utcnow

from .services import new_request_count

ACTIVE_DAYS = 7
TOP_ORGANISATIONS = 10


@dataclass
class SeatFigure:
    organisation: Organisation
    seats: int
    used: int

    @property
    def share(self) -> int:
        """Used seats in percent, for the bar."""
        return round(100 * self.used / self.seats) if self.seats else 0


@dataclass
class PlatformFigures:
    active_learners: int
    waiting: int
    overdue: int
    open_requests: int
    failed_mail: int
    seats: list[SeatFigure]
    organisations: int


def platform_figures(today: date | None = None) -> PlatformFigures:
    today = today or utcnow().date()
    since = utcnow() - timedelta(days=ACTIVE_DAYS)
    active = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Enrolment.user_id))).join(User, Enrolment.user_id == User.id)
        .where(Enrolment.last_activity_at >= since, User.erased_at.is_(None))) or 0
    waiting, overdue = db.session.execute(
        sa.select(sa.func.count(Submission.id),
                  sa.func.count(Submission.id).filter(Submission.feedback_due_on < today))
        .where(Submission.status == SubmissionStatus.SUBMITTED)).one()
    seats = db.session.execute(
        sa.select(Organisation, sa.func.sum(SeatLicence.seats), sa.func.sum(SeatLicence.seats_used))
        .join(SeatLicence, SeatLicence.organisation_id == Organisation.id)
        .group_by(Organisation.id).order_by(sa.func.sum(SeatLicence.seats_used).desc(), Organisation.name)
        .limit(TOP_ORGANISATIONS)).all()
    organisations = db.session.scalar(sa.select(sa.func.count(Organisation.id))) or 0
    return PlatformFigures(
        active_learners=active, waiting=waiting or 0, overdue=overdue or 0, open_requests=new_request_count(),
        failed_mail=failed_count(), seats=[SeatFigure(o, int(s or 0), int(u or 0)) for o, s, u in seats],
        organisations=organisations)
