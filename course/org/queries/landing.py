"""The landing page: every group with its status bar, seats, next live session and the
team plan's readiness, in a fixed number of queries. Counts and names only."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from course.extensions import db
from course.models import (
    Cohort,
    CourseModule,
    Enrolment,
    Organisation,
    SeatLicence,
    User,
    utcnow,
)

from .team import BAR_ORDER, DEFAULT_INACTIVE_DAYS, LearnerState, StatusCounts, inactive_cutoff, state_clause


@dataclass
class PlanReadiness:
    """How far a group's team plan is: chapters chosen of all chapters. Counts only."""

    chosen: int
    chapters: int
    published: bool
    exists: bool = True
    owners: list[tuple[str, str]] = field(default_factory=list)  # (chapter, colleague), course order: names only


@dataclass
class NextSession:
    title: str
    starts_at: datetime


@dataclass
class GroupOverview:
    """One group on the organisation's landing page: counts and dates, never texts."""

    cohort: Cohort
    learners: int
    status: StatusCounts
    licence: SeatLicence | None
    next_session: NextSession | None
    plan: PlanReadiness


@dataclass
class OrganisationSummary:
    organisation: Organisation
    licences: list[SeatLicence]
    cohorts: list[tuple[Cohort, int]]  # (cohort, learner count)
    groups: list[GroupOverview]


def _group_states(cohort_ids, cutoff) -> dict[int, StatusCounts]:
    """Per cohort, the learners per state: counted by the database in one query, with
    `learner_state`'s rule written in SQL (issue 16: the page used to read and decode every
    learner's progress summary to count five numbers per group)."""
    counted: dict[int, dict[LearnerState, int]] = {}
    state = state_clause(cutoff).label("state")
    for cohort_id, value, number in db.session.execute(
            sa.select(Enrolment.cohort_id, state, sa.func.count(Enrolment.id))
            .where(Enrolment.cohort_id.in_(cohort_ids)).group_by(Enrolment.cohort_id, state)):
        counted.setdefault(cohort_id, {})[LearnerState(value)] = number
    return {cohort_id: StatusCounts({s: found.get(s, 0) for s in BAR_ORDER}) for cohort_id, found in counted.items()}


def _next_sessions(cohort_ids, now) -> dict[int, NextSession]:
    """The next scheduled in-company live session of each cohort: one query."""
    from course.models import LiveSession, SessionPart, SessionStatus

    first = sa.func.min(SessionPart.starts_at).label("first_start")
    rows = db.session.execute(
        sa.select(LiveSession.cohort_id, LiveSession.title, first)
        .join(SessionPart, SessionPart.session_id == LiveSession.id)
        .where(LiveSession.cohort_id.in_(cohort_ids), LiveSession.status == SessionStatus.SCHEDULED)
        .group_by(LiveSession.id, LiveSession.cohort_id, LiveSession.title)
        .having(first > now).order_by(first, LiveSession.id)).all()
    found: dict[int, NextSession] = {}
    for cohort_id, title, starts_at in rows:
        found.setdefault(cohort_id, NextSession(title, starts_at))
    return found


def _chapter_counts(course_ids) -> tuple[dict[int, int], dict[int, int], dict[tuple[int, str], tuple[int, str]]]:
    """Per course: its active modules, and its team plan chapters (one per field of each
    assignment, as course/teamplan compiles them); per (module id, field id) the chapter's
    place in course order and its title (the field's label). One query."""
    from course.content.model import Assignment

    modules: dict[int, int] = {}
    chapters: dict[int, int] = {}
    titles: dict[tuple[int, str], tuple[int, str]] = {}
    for module_id, course_id, assignment in db.session.execute(
            sa.select(CourseModule.id, CourseModule.course_id, CourseModule.assignment)
            .where(CourseModule.course_id.in_(course_ids), CourseModule.is_active.is_(True))
            .order_by(CourseModule.course_id, CourseModule.position, CourseModule.id)):
        modules[course_id] = modules.get(course_id, 0) + 1
        spec = Assignment.from_json(assignment)
        for spec_field in spec.fields if spec and spec.fields else []:
            titles[(module_id, spec_field.id)] = (len(titles), spec_field.label)
        chapters[course_id] = chapters.get(course_id, 0) + (len(spec.fields) if spec and spec.fields else 0)
    return modules, chapters, titles


def _plans(cohort_ids) -> dict[int, tuple[bool, list[tuple[int, str, str]]]]:
    """Per cohort with a team plan: (published, the chapters chosen whose author still agrees
    to share, as (module id, field id, the author's name)). One query; names only, never the
    texts: the entry says whose text was chosen, the text itself is not read."""
    from course.models import TeamPlan, TeamPlanConsent, TeamPlanEntry, TeamPlanStatus

    found: dict[int, tuple[bool, list]] = {}
    rows = db.session.execute(
        sa.select(TeamPlan.cohort_id, TeamPlan.status, TeamPlanEntry.module_id, TeamPlanEntry.field_id, User.name)
        .select_from(TeamPlan)
        .outerjoin(TeamPlanEntry, TeamPlanEntry.plan_id == TeamPlan.id)
        .outerjoin(TeamPlanConsent, TeamPlanConsent.enrolment_id == TeamPlanEntry.enrolment_id)
        .outerjoin(Enrolment, Enrolment.id == TeamPlanConsent.enrolment_id)
        .outerjoin(User, sa.and_(User.id == Enrolment.user_id, User.erased_at.is_(None)))
        .where(TeamPlan.cohort_id.in_(cohort_ids)))
    for cohort_id, status, module_id, field_id, name in rows:
        _published, chosen = found.setdefault(cohort_id, (status == TeamPlanStatus.PUBLISHED, []))
        if name is not None:
            chosen.append((module_id, field_id, name))
    return found


def _owners(chosen, titles) -> list[tuple[str, str]]:
    """(chapter title, colleague) in course order, for the chapters of this course's plan."""
    placed = sorted((titles[(m, f)], name) for m, f, name in chosen if (m, f) in titles)
    return [(title, name) for (_place, title), name in placed]


def organisation_summaries(org_filter, inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[OrganisationSummary]:
    """The organisation landing page in seven queries, however many organisations, groups
    and learners: organisations, licences, groups, learners' states, modules and chapters
    per course, the next live sessions and the team plans."""
    now = utcnow()
    orgs = list(db.session.scalars(sa.select(Organisation).where(org_filter).order_by(Organisation.name)))
    ids = [o.id for o in orgs] or [-1]
    licences = db.session.scalars(
        sa.select(SeatLicence).where(SeatLicence.organisation_id.in_(ids))
        .options(sa.orm.joinedload(SeatLicence.course))
    ).all()
    counts = (sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == Cohort.id)
              .correlate(Cohort).scalar_subquery())
    cohorts = db.session.execute(
        sa.select(Cohort, counts).where(Cohort.organisation_id.in_(ids))
        .options(sa.orm.joinedload(Cohort.course)).order_by(Cohort.name)
    ).all()
    cohort_ids = [c.id for c, _n in cohorts] or [-1]
    states = _group_states(cohort_ids, inactive_cutoff(inactive_days, now))
    _modules, chapters, titles = _chapter_counts({c.course_id for c, _n in cohorts} or {-1})
    sessions = _next_sessions(cohort_ids, now)
    plans = _plans(cohort_ids)
    by_licence = {(lic.organisation_id, lic.course_id): lic for lic in licences}
    result = []
    for org in orgs:
        groups = []
        for cohort, n in cohorts:
            if cohort.organisation_id != org.id:
                continue
            published, chosen = plans.get(cohort.id, (False, []))
            owners = _owners(chosen, titles)
            groups.append(GroupOverview(
                cohort=cohort, learners=n, status=states.get(cohort.id) or StatusCounts.of(()),
                licence=by_licence.get((org.id, cohort.course_id)), next_session=sessions.get(cohort.id),
                plan=PlanReadiness(chosen=len(owners), chapters=chapters.get(cohort.course_id, 0),
                                   published=published, exists=cohort.id in plans, owners=owners)))
        result.append(OrganisationSummary(
            organisation=org,
            licences=[lic for lic in licences if lic.organisation_id == org.id],
            cohorts=[(c, n) for c, n in cohorts if c.organisation_id == org.id],
            groups=groups,
        ))
    return result
