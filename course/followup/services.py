"""Sending check-ins, answering them and opting out. One commit per unit of work.

`send_due_checkins` is the worker's daily job. A check-in row is unique per
(enrolment, stage) and is inserted in the same transaction as its mail, so a
learner gets each check-in once, whatever runs twice. Nobody who opted out, and no
erased or deactivated account, is ever mailed."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError

from course.extensions import db
from course.mail import queue_mail
from course.models import (
    CheckinStage,
    Enrolment,
    FollowupCheckin,
    FollowupOptOut,
    MailStatus,
    OutboxMail,
    User,
    utcnow,
)
from course.urls import external_url

log = logging.getLogger(__name__)

MAIL_KIND = "followup_checkin"
ANSWER_MAX = 5000
# A check-in is sent from its day until this many days later (a worker that was down
# catches up), and never for a course completed long before the feature existed.
WINDOW_DAYS = 60
_SALT = "followup-opt-out"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def opt_out_token(user: User) -> str:
    return _serializer().dumps({"u": user.public_id})


def user_from_token(token: str) -> User | None:
    try:
        data = _serializer().loads(str(token)[:500])
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), str):
        return None
    return db.session.scalar(sa.select(User).where(User.public_id == data["u"], User.erased_at.is_(None)))


def _not_opted_out():
    return ~sa.exists().where(FollowupOptOut.user_id == Enrolment.user_id)


def _due(stage: CheckinStage, now: datetime, *columns) -> sa.Select:
    done_before = now - timedelta(days=stage.days)
    return (sa.select(*columns).select_from(Enrolment).join(User, User.id == Enrolment.user_id)
            .where(Enrolment.completed_at.is_not(None), Enrolment.completed_at <= done_before,
                   Enrolment.completed_at > done_before - timedelta(days=WINDOW_DAYS),
                   User.erased_at.is_(None), User.is_active_account.is_(True), _not_opted_out(),
                   ~sa.exists().where(FollowupCheckin.enrolment_id == Enrolment.id,
                                      FollowupCheckin.stage == stage))
            .order_by(Enrolment.id))


def due_enrolments(stage: CheckinStage, now: datetime) -> sa.Select:
    """Enrolments whose course was completed `stage.days` (up to WINDOW_DAYS more) ago,
    without this check-in yet, of an active account that did not opt out."""
    return _due(stage, now, Enrolment).options(sa.orm.joinedload(Enrolment.user),
                                               sa.orm.joinedload(Enrolment.course))


def send_due_checkins(now: datetime | None = None) -> int:
    """The worker's daily job: queue every due check-in. Each is its own unit of work
    (the row and its mail); a row that already exists (another run got there) is skipped."""
    now = now or utcnow()
    sent = 0
    for stage in CheckinStage:
        ids = list(db.session.scalars(_due(stage, now, Enrolment.id)))
        for enrolment_id in ids:
            if _send_one(enrolment_id, stage, now):
                sent += 1
    return sent


def _new_checkin(enrolment: Enrolment, stage: CheckinStage, now: datetime) -> FollowupCheckin:
    return FollowupCheckin(enrolment_id=enrolment.id, stage=stage, sent_at=now)


def _send_one(enrolment_id: int, stage: CheckinStage, now: datetime) -> bool:
    enrolment = db.session.scalar(due_enrolments(stage, now).where(Enrolment.id == enrolment_id))
    if enrolment is None:  # opted out, erased or sent meanwhile
        db.session.rollback()
        return False
    checkin = _new_checkin(enrolment, stage, now)
    db.session.add(checkin)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    user = enrolment.user
    queue_mail(user.email, _l("How is it going with your plan? (%(course)s)", course=enrolment.course.title),
               "followup_checkin", kind=MAIL_KIND, locale=user.locale, recipient=user, user=user,
               course=enrolment.course, days=stage.days,
               link=external_url("followup.answer", public_id=checkin.public_id),
               opt_out_link=external_url("followup.opt_out_link", token=opt_out_token(user)))
    try:
        db.session.commit()
    except IntegrityError:  # a concurrent run inserted the same check-in first
        db.session.rollback()
        return False
    return True


def opt_out(user: User) -> None:
    """No more follow-up mail; check-ins already queued are taken out of the outbox."""
    if db.session.get(FollowupOptOut, user.id) is None:
        db.session.add(FollowupOptOut(user_id=user.id))
    db.session.execute(sa.delete(OutboxMail).where(
        OutboxMail.recipient_id == user.id, OutboxMail.kind == MAIL_KIND, OutboxMail.status == MailStatus.QUEUED)
        .execution_options(synchronize_session=False))
    try:
        db.session.commit()
    except IntegrityError:  # a double click
        db.session.rollback()


def opt_in(user: User) -> None:
    db.session.execute(sa.delete(FollowupOptOut).where(FollowupOptOut.user_id == user.id))
    db.session.commit()


def answer(checkin: FollowupCheckin, plan: str, goal: str, success: str, obstacles: str) -> None:
    """Save (or change) the learner's answers; they appear in the workbook at once."""
    checkin.plan_md = (plan or "").strip()[:ANSWER_MAX]
    checkin.goal_md = (goal or "").strip()[:ANSWER_MAX]
    checkin.success_md = (success or "").strip()[:ANSWER_MAX]
    checkin.obstacles_md = (obstacles or "").strip()[:ANSWER_MAX]
    checkin.answered_at = utcnow()
    db.session.commit()
