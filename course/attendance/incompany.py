"""In-company requests with live sessions (issue 13): the request names preferred
dates; converting it can create the cohort and one session per date in the same unit
of work as the organisation (course/admin/services.convert_request commits).

Times are entered in Europe/Amsterdam and stored as naive UTC, as every session's."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.errors import DomainError
from course.extensions import db
from course.live.forms import LAST_YEAR
from course.live.ics import wall_time_exists
from course.live.services import PartData, SessionData, add_session
from course.models import (
    Cohort,
    CourseTrainer,
    InCompanyRequest,
    Organisation,
    User,
    utcnow,
)

LOCAL = ZoneInfo("Europe/Amsterdam")
MAX_PREFERRED_DATES = 3


class SessionPlanError(DomainError):
    """The group or its sessions cannot be made as planned (the organisation is not made either)."""


def preferred_dates(request: InCompanyRequest) -> list[date]:
    """The request's preferred dates, skipping anything unreadable."""
    found = []
    for value in request.preferred_dates or []:
        try:
            found.append(date.fromisoformat(str(value)))
        except ValueError:
            continue
    return found


def store_preferred_dates(request: InCompanyRequest, dates) -> None:
    request.preferred_dates = sorted({d.isoformat() for d in dates if d is not None})[:MAX_PREFERRED_DATES]


def utc_naive(day: date, moment: time) -> datetime:
    """A wall-clock time in Amsterdam on `day` → naive UTC (DST taken into account)."""
    return datetime.combine(day, moment, tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SessionPlan:
    """What the admin confirms on conversion: the cohort, and a session per date."""

    cohort_name: str
    dates: tuple[date, ...]
    starts: time
    ends: time
    place: str = ""


def create_cohort_with_sessions(request: InCompanyRequest, organisation: Organisation, plan: SessionPlan,
                                capacity: int, actor: User) -> Cohort:
    """The cohort for the request's course and one in-company session per date, each
    open to the cohort's members until it starts. Inside the caller's unit of work:
    flushes, never commits."""
    if not plan.dates:
        raise SessionPlanError(str(_l("Give at least one date for the sessions.")))
    if plan.ends <= plan.starts:
        raise SessionPlanError(str(_l("The end time must be after the start time.")))
    # audit13: a date the clock skips, a date gone by or beyond the planning range is
    # refused with a message (never a database error), and nothing is made.
    for day in plan.dates:
        if not (wall_time_exists(day, plan.starts) and wall_time_exists(day, plan.ends)):
            raise SessionPlanError(str(_l("On %(day)s the clocks go forward from 02:00 to 03:00: choose other times.",
                                          day=day.isoformat())))
        if day.year > LAST_YEAR or utc_naive(day, plan.starts) <= utcnow():
            raise SessionPlanError(str(_l("The session dates must lie in the future (%(day)s does not).",
                                          day=day.isoformat())))
    name = plan.cohort_name.strip() or request.course.title[:120]
    if db.session.scalar(sa.select(Cohort.id).where(Cohort.organisation_id == organisation.id, Cohort.name == name)):
        raise SessionPlanError(str(_l("This organisation already has a group with this name.")))
    cohort = Cohort(organisation_id=organisation.id, course_id=request.course_id, name=name,
                    starts_on=min(plan.dates))
    db.session.add(cohort)
    db.session.flush()
    # The course's own trainers give the workshop, so they can take its attendance; a
    # platform admin changes that on the session page.
    trainer_ids = tuple(db.session.scalars(sa.select(CourseTrainer.user_id)
                                           .where(CourseTrainer.course_id == request.course_id)
                                           .order_by(CourseTrainer.user_id)))
    for number, day in enumerate(sorted(set(plan.dates)), start=1):
        starts_at, ends_at = utc_naive(day, plan.starts), utc_naive(day, plan.ends)
        data = SessionData(title=f"{request.course.title[:170]} – {number}", parts=(PartData(starts_at, ends_at),),
                           place=plan.place.strip(), online_url="", capacity=max(1, min(capacity, 10000)),
                           registration_deadline=starts_at - timedelta(minutes=1), note="", cohort_id=cohort.id,
                           trainer_ids=trainer_ids)
        add_session(actor, request.course, data, from_request=True)
    return cohort
