""""Nieuw voor jou" on Mijn leren: feedback, badges, sessions and replies that are new."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from course import permissions
from course.extensions import db
from course.models import (
    Course,
    CourseModule,
    Enrolment,
    SubmissionStatus,
    utcnow,
)
from course.statements import built_once

from .progress import CourseState

# ---- "Nieuw voor jou" on Mijn leren ---------------------------------------------

NEWS_DAYS = 14  # how long an approval, a badge or a reply counts as new; a session: how soon it starts


@dataclass
class NewsItem:
    """One line of "Nieuw voor jou". kind: 'revision', 'approved', 'completed', 'badge', 'session', 'reply'."""

    kind: str
    when: datetime
    title: str                      # the module, badge, session or thread
    course: Course | None = None
    module: CourseModule | None = None
    public_id: str = ""             # the badge assertion, live session or thread


def news_for(user, states: list[CourseState], sessions=()) -> list[NewsItem]:
    """What happened for the learner lately, newest first: the trainer's feedback (from
    the states, no query), a badge earned and a reply in a followed thread (together one
    query), and a live session starting soon (from the sessions the page already has).
    A revision request stays until the learner resubmits; the rest counts for NEWS_DAYS."""
    now = utcnow()
    since = now - timedelta(days=NEWS_DAYS)
    items = []
    for state in states:
        if state.completed and state.enrolment.completed_at >= since:
            items.append(NewsItem("completed", state.enrolment.completed_at, state.course.title, state.course))
        for ms in state.modules:
            if ms.submission_status == SubmissionStatus.REVISION_REQUESTED:
                items.append(NewsItem("revision", ms.decided_at or now, ms.module.title, state.course, ms.module))
            elif ms.submission_status == SubmissionStatus.APPROVED and ms.decided_at and ms.decided_at >= since:
                items.append(NewsItem("approved", ms.decided_at, ms.module.title, state.course, ms.module))
    items += _recent_badges_and_replies(user, states, since)[:20]
    for row in sessions:
        starts = row.parts[0].starts_at if row.parts else None
        if starts is not None and not row.session.is_cancelled and now <= starts <= now + timedelta(days=NEWS_DAYS):
            items.append(NewsItem("session", starts, row.session.title, public_id=row.session.public_id))
    # feedback to act on first, then the rest newest first
    return sorted(items, key=lambda i: (i.kind != "revision", -i.when.timestamp()))


def _recent_badges_and_replies(user, states: list[CourseState], since: datetime) -> list[NewsItem]:
    """Badges issued since `since` and followed threads (in the learner's own groups) with
    posts after what they read: one UNION query. States loaded without reviewers
    (learner_courses(reviewers=False)) get theirs from the same query, so Mijn leren
    stays within its budget when work waits and a course requires attendance."""
    waiting = {s.enrolment.public_id: s for s in states
               if not s.reviewers and any(m.waiting_for_trainer for m in s.modules)}
    # the groups as bound parameters: first those without a cohort, then those with one
    open_groups = [s.course.id for s in states if s.enrolment.cohort_id is None]
    cohort_groups = [(s.course.id, s.enrolment.cohort_id) for s in states if s.enrolment.cohort_id is not None]
    parameters = {"user_id": user.id, "since": since}
    for number, course_id in enumerate(open_groups):
        parameters[f"open_course_{number}"] = course_id
    for number, (course_id, cohort_id) in enumerate(cohort_groups):
        parameters[f"cohort_course_{number}"] = course_id
        parameters[f"cohort_{number}"] = cohort_id
    if waiting:
        parameters["waiting"] = list(waiting)
    statement = _news_statement(len(open_groups), len(cohort_groups), bool(waiting))
    items, reviewers = [], defaultdict(list)
    for kind, at, title, pid in db.session.execute(statement, parameters):
        if kind == "reviewer":
            reviewers[pid].append(title)
        else:
            items.append(NewsItem(kind, at, title, public_id=pid))
    for pid, state in waiting.items():
        state.reviewers = sorted(reviewers.get(pid, []))
    return items


# Primed for the shapes of a learner with one course, on their own or in a cohort,
# with or without work waiting, and of one without a course.
@built_once((0, 0, False), (1, 0, False), (1, 0, True), (0, 1, False), (0, 1, True), maxsize=64)
def _news_statement(open_groups: int, cohort_groups: int, waiting: bool):
    """_recent_badges_and_replies' UNION, built once per process and shape (how many
    groups without and with a cohort, whether work waits) with every value a bound
    parameter: building it and its SQL cache key cost more CPU than the query (issue 16)."""
    from sqlalchemy.orm import aliased

    from course.models import BadgeAssertion, BadgeClass, DiscussionFollow, DiscussionRead, DiscussionThread, User

    user_id, since = sa.bindparam("user_id"), sa.bindparam("since")
    badges = (sa.select(sa.literal("badge").label("kind"), BadgeAssertion.issued_at.label("happened_at"),
                        BadgeClass.name.label("title"), BadgeAssertion.public_id.label("pid"))
              .join(BadgeClass, BadgeClass.id == BadgeAssertion.badge_class_id)
              .where(BadgeAssertion.user_id == user_id, BadgeAssertion.revoked_at.is_(None),
                     BadgeAssertion.issued_at >= since))
    groups = [sa.and_(DiscussionThread.course_id == sa.bindparam(f"open_course_{number}"),
                      DiscussionThread.cohort_id.is_(None)) for number in range(open_groups)]
    groups += [sa.and_(DiscussionThread.course_id == sa.bindparam(f"cohort_course_{number}"),
                       DiscussionThread.cohort_id == sa.bindparam(f"cohort_{number}"))
               for number in range(cohort_groups)]
    selects = [badges]
    if groups:
        selects.append(
            sa.select(sa.literal("reply").label("kind"), DiscussionThread.last_post_at.label("happened_at"),
                      DiscussionThread.title.label("title"), DiscussionThread.public_id.label("pid"))
            .join(DiscussionFollow, sa.and_(DiscussionFollow.thread_id == DiscussionThread.id,
                                            DiscussionFollow.user_id == user_id))
            .outerjoin(DiscussionRead, sa.and_(DiscussionRead.thread_id == DiscussionThread.id,
                                               DiscussionRead.user_id == user_id))
            .where(sa.or_(*groups), DiscussionThread.last_post_at >= since,
                   sa.or_(DiscussionRead.read_until.is_(None),
                          DiscussionThread.last_post_at > DiscussionRead.read_until)))
    if waiting:
        trainer = aliased(User)
        selects.append(
            sa.select(sa.literal("reviewer").label("kind"), sa.cast(sa.null(), sa.DateTime).label("happened_at"),
                      trainer.name.label("title"), Enrolment.public_id.label("pid"))
            .select_from(Enrolment).join(trainer, permissions.trainer_reviews_enrolment(trainer))
            .where(Enrolment.public_id.in_(sa.bindparam("waiting", expanding=True))))
    statement = sa.union_all(*selects) if len(selects) > 1 else selects[0]
    return statement.order_by(sa.text("happened_at DESC"))
