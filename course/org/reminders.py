"""Weekly reminders for cohort learners who went quiet."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from course.extensions import db
from course.mail import queue_mail
from course.models import (
    Cohort,
    Enrolment,
    EventKind,
    ProgressEvent,
    User,
    utcnow,
)
from course.urls import external_url

from .queries.team import DEFAULT_INACTIVE_DAYS, waiting_clause

REMINDER_INTERVAL = timedelta(days=7)


def inactive_days_setting() -> int:
    return int(current_app.config.get("REMINDER_INACTIVE_DAYS", DEFAULT_INACTIVE_DAYS))


def reminder_candidates(cohort: Cohort | None = None, inactive_days: int | None = None,
                        now: datetime | None = None):
    """Cohort learners inactive for more than N days, not completed, not waiting on
    their trainer, and not reminded in the past week."""
    now = now or utcnow()
    days = inactive_days_setting() if inactive_days is None else inactive_days
    activity = sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at)
    query = (sa.select(Enrolment).join(User, Enrolment.user_id == User.id)
             .where(Enrolment.cohort_id.is_not(None), Enrolment.completed_at.is_(None),
                    activity < now - timedelta(days=days),
                    sa.or_(Enrolment.last_reminded_at.is_(None), Enrolment.last_reminded_at <= now - REMINDER_INTERVAL),
                    ~waiting_clause(), User.is_active_account.is_(True), User.erased_at.is_(None))
             .options(sa.orm.joinedload(Enrolment.user), sa.orm.joinedload(Enrolment.course),
                      sa.orm.joinedload(Enrolment.cohort).joinedload(Cohort.organisation))
             .order_by(Enrolment.id))
    if cohort is not None:
        query = query.where(Enrolment.cohort_id == cohort.id)
    return query


def send_reminders(cohort: Cohort | None = None, actor: User | None = None, inactive_days: int | None = None,
                   now: datetime | None = None) -> int:
    """Queue a reminder for every candidate. The week rule is a conditional UPDATE,
    so the button and the cron job together still send one per week. One unit of work."""
    now = now or utcnow()
    sent = 0
    for enrolment in db.session.scalars(reminder_candidates(cohort, inactive_days, now)).unique().all():
        claimed = db.session.execute(
            sa.update(Enrolment)
            .where(Enrolment.id == enrolment.id,
                   sa.or_(Enrolment.last_reminded_at.is_(None), Enrolment.last_reminded_at <= now - REMINDER_INTERVAL))
            .values(last_reminded_at=now).execution_options(synchronize_session=False)
        )
        if claimed.rowcount != 1:
            continue
        user = enrolment.user
        link = external_url("learn.my_learning")
        queue_mail(user.email, _l("Continue with %(course)s", course=enrolment.course.title), "org_reminder",
                   kind="org_reminder", locale=user.locale, user=user, course=enrolment.course,
                   organisation=enrolment.cohort.organisation, link=link)
        db.session.add(ProgressEvent(enrolment_id=enrolment.id, kind=EventKind.REMINDER_SENT,
                                     actor_id=actor.id if actor else None, data={}))
        sent += 1
    db.session.commit()
    return sent
