"""The read side of the follow-up: a learner's answers (the workbook chapter), the
trainer's per-course overview of their own learners, and the organisation admin's
counts per group (numbers only). Fixed numbers of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from course import permissions
from course.extensions import db
from course.models import (
    CheckinStage,
    Cohort,
    Course,
    Enrolment,
    FollowupCheckin,
    FollowupOptOut,
    Organisation,
    User,
)


def find_checkin(public_id: str) -> FollowupCheckin | None:
    return db.session.scalar(sa.select(FollowupCheckin).where(FollowupCheckin.public_id == str(public_id)[:64])
                             .options(joinedload(FollowupCheckin.enrolment).joinedload(Enrolment.course)))


def opted_out(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(FollowupOptOut, user.id) is not None


def answered_checkins(enrolment: Enrolment, viewer) -> list[FollowupCheckin]:
    """The learner's answered check-ins, in order: the workbook's "Na de cursus" chapter,
    empty for a `viewer` who may not see the answers (permissions.can_view_followup_answers).
    Check-ins come only after completing the course: no query before that."""
    if enrolment.completed_at is None or not permissions.can_view_followup_answers(viewer, enrolment):
        return []
    return list(db.session.scalars(
        sa.select(FollowupCheckin).where(FollowupCheckin.enrolment_id == enrolment.id,
                                         FollowupCheckin.answered_at.is_not(None))
        .order_by(FollowupCheckin.sent_at, FollowupCheckin.id)))


def open_checkins(user) -> list[FollowupCheckin]:
    """Check-ins sent to the user and not answered yet."""
    return list(db.session.scalars(
        sa.select(FollowupCheckin).join(Enrolment, Enrolment.id == FollowupCheckin.enrolment_id)
        .where(Enrolment.user_id == user.id, FollowupCheckin.answered_at.is_(None))
        .options(joinedload(FollowupCheckin.enrolment).joinedload(Enrolment.course))
        .order_by(FollowupCheckin.sent_at)))


@dataclass
class Counts:
    completed: int = 0
    sent: dict = field(default_factory=dict)  # {stage: n}
    answered: dict = field(default_factory=dict)

    def sent_for(self, stage) -> int:
        return self.sent.get(stage, 0)

    def answered_for(self, stage) -> int:
        return self.answered.get(stage, 0)

    @property
    def followed_through(self) -> int:
        """Learners who answered at least one check-in (filled in by the query)."""
        return self.answered.get("any", 0)


def _counts(group_column, where) -> dict:
    """{group key: Counts} for the enrolments matching `where`, in two queries."""
    result: dict = {}
    for key, completed in db.session.execute(
            sa.select(group_column, sa.func.count(Enrolment.id)).select_from(Enrolment)
            .where(where, Enrolment.completed_at.is_not(None)).group_by(group_column)):
        result.setdefault(key, Counts()).completed = completed
    rows = db.session.execute(
        sa.select(group_column, FollowupCheckin.stage, sa.func.count(FollowupCheckin.id),
                  sa.func.count(FollowupCheckin.answered_at))
        .select_from(FollowupCheckin).join(Enrolment, Enrolment.id == FollowupCheckin.enrolment_id)
        .where(where).group_by(group_column, FollowupCheckin.stage))
    for key, stage, sent, answered in rows:
        counts = result.setdefault(key, Counts())
        counts.sent[CheckinStage(stage)] = sent
        counts.answered[CheckinStage(stage)] = answered
    for key, learners in db.session.execute(
            sa.select(group_column, sa.func.count(sa.distinct(Enrolment.id))).select_from(FollowupCheckin)
            .join(Enrolment, Enrolment.id == FollowupCheckin.enrolment_id)
            .where(where, FollowupCheckin.answered_at.is_not(None)).group_by(group_column)):
        result.setdefault(key, Counts()).answered["any"] = learners
    return result


def trainer_courses(user) -> list[tuple[Course, Counts]]:
    """The courses where this trainer has learners, with their learners' follow-up counts."""
    where = permissions.enrolments_visible_to_trainer(user)
    counts = _counts(Enrolment.course_id, where)
    courses = db.session.scalars(sa.select(Course).where(Course.id.in_(list(counts) or [-1]))
                                 .order_by(Course.title)).all()
    return [(course, counts[course.id]) for course in courses]


def find_course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == str(slug)[:200]))


@dataclass
class LearnerRow:
    enrolment: Enrolment
    checkins: list[FollowupCheckin]


def course_overview(user, course: Course) -> tuple[Counts, list[LearnerRow]]:
    """Counts and the learners with a check-in, of this trainer's own learners. Four queries."""
    where = sa.and_(permissions.enrolments_visible_to_trainer(user), Enrolment.course_id == course.id)
    counts = _counts(Enrolment.course_id, where).get(course.id, Counts())
    checkins = db.session.scalars(
        sa.select(FollowupCheckin).join(Enrolment, Enrolment.id == FollowupCheckin.enrolment_id)
        .join(User, User.id == Enrolment.user_id).where(where)
        .options(joinedload(FollowupCheckin.enrolment).joinedload(Enrolment.user),
                 joinedload(FollowupCheckin.enrolment).joinedload(Enrolment.cohort))
        .order_by(User.name, Enrolment.id, FollowupCheckin.sent_at).limit(2000)).all()
    rows: dict[int, LearnerRow] = {}
    for checkin in checkins:
        rows.setdefault(checkin.enrolment_id, LearnerRow(checkin.enrolment, [])).checkins.append(checkin)
    return counts, list(rows.values())


def organisation_counts(user) -> list[tuple[Cohort, Counts]]:
    """Per group the admin manages: how many completed, were asked and answered. Numbers only."""
    where = Enrolment.cohort_id.in_(sa.select(Cohort.id).where(permissions.cohorts_managed_by(user)))
    counts = _counts(Enrolment.cohort_id, where)
    cohorts = db.session.scalars(
        sa.select(Cohort).where(permissions.cohorts_managed_by(user))
        .join(Organisation, Organisation.id == Cohort.organisation_id)
        .options(joinedload(Cohort.organisation), joinedload(Cohort.course))
        .order_by(Organisation.name, Cohort.name).limit(500)).all()
    return [(cohort, counts.get(cohort.id, Counts())) for cohort in cohorts]


def export_for(user, enrolment_ids: list[int]) -> dict:
    """The data export: whether follow-up mail is off, and every check-in with its answers."""
    checkins = db.session.scalars(
        sa.select(FollowupCheckin).where(FollowupCheckin.enrolment_id.in_(enrolment_ids))
        .options(joinedload(FollowupCheckin.enrolment).joinedload(Enrolment.course))
        .order_by(FollowupCheckin.sent_at, FollowupCheckin.id)).all()
    return {"opted_out": opted_out(user), "checkins": [
        {"course": c.enrolment.course.title, "stage": c.stage.value, "sent_at": c.sent_at.isoformat(),
         "answered_at": c.answered_at.isoformat() if c.answered_at else None,
         "what_did_you_do_with_your_plan": c.plan_md, "goal_reached": c.goal_md, "success": c.success_md,
         "what_got_in_the_way": c.obstacles_md} for c in checkins]}
