"""The organisation area's read side: landing page, invitation and link lists and
team progress (progress only: never texts or answers)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.extensions import db
from course.models import (
    BadgeAssertion,
    BadgeClass,
    Cohort,
    CourseModule,
    Enrolment,
    Invitation,
    InviteLink,
    ModuleProgress,
    Organisation,
    ProgressSummary,
    SeatLicence,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from course.pagination import Page
from course.review import summary
from course.states import LabelledEnum

DEFAULT_INACTIVE_DAYS = 14


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
    """Per cohort, the learners per state, from the maintained progress summary: one
    query (three more to compute any summary that is missing)."""
    rows = db.session.execute(
        sa.select(Enrolment.id, Enrolment.cohort_id, Enrolment.completed_at, Enrolment.started_at,
                  Enrolment.last_activity_at, Enrolment.enrolled_at, ProgressSummary.enrolment_id,
                  ProgressSummary.cells)
        .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
        .where(Enrolment.cohort_id.in_(cohort_ids))).all()
    missing = [r[0] for r in rows if r[6] is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    states: dict[int, list[LearnerState]] = {}
    for eid, cohort_id, completed_at, started_at, last_activity_at, enrolled_at, has_summary, cells in rows:
        cells = cells if has_summary is not None else computed[eid]["cells"]
        states.setdefault(cohort_id, []).append(learner_state(
            completed_at=completed_at, started_at=started_at, last_activity_at=last_activity_at,
            enrolled_at=enrolled_at, waiting="waiting" in _statuses(cells), cutoff=cutoff))
    return {cohort_id: StatusCounts.of(found) for cohort_id, found in states.items()}


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


def cohort_links(cohort: Cohort) -> list[InviteLink]:
    return list(db.session.scalars(
        sa.select(InviteLink).where(InviteLink.cohort_id == cohort.id).order_by(InviteLink.created_at.desc())
    ))


INVITATIONS_PER_PAGE = 50


def cohort_invitations(cohort: Cohort, page: int = 1, per_page: int = INVITATIONS_PER_PAGE) -> Page:
    """One page of the cohort's invitations that were neither accepted nor withdrawn
    (open or expired), newest first. One query: the total rides along as a window
    count (a second one only for a page past the end)."""
    page = max(page or 1, 1)
    where = (Invitation.cohort_id == cohort.id, Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
    rows = db.session.execute(
        sa.select(Invitation, sa.func.count().over().label("total")).where(*where)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        total = rows[0].total
    elif page == 1:
        total = 0
    else:
        total = db.session.scalar(sa.select(sa.func.count(Invitation.id)).where(*where)) or 0
    return Page(items=[row[0] for row in rows], page=page, per_page=per_page, total=total)


class LearnerState(LabelledEnum):
    """Where a learner of a team stands, as the organisation sees it (and filters on).
    Each learner is in exactly one state (`learner_state`), so the counts of a group's
    status bar add up to the group and a filter shows exactly the people its count says."""

    NOT_STARTED = "not_started", _l("Not started"), "todo"
    IN_PROGRESS = "in_progress", _l("In progress"), "todo"
    COMPLETED = "completed", _l("Completed"), "done"
    INACTIVE = "inactive", _l("Inactive"), "problem"
    WAITING = "waiting", _l("Waiting for the trainer"), "waiting"


PROGRESS_FILTERS = ("", *LearnerState)
# The order of the segments of a group's status bar (and of its legend).
BAR_ORDER = (LearnerState.COMPLETED, LearnerState.IN_PROGRESS, LearnerState.NOT_STARTED, LearnerState.INACTIVE,
             LearnerState.WAITING)


def learner_state(*, completed_at, started_at, last_activity_at, enrolled_at, waiting: bool,
                  cutoff: datetime) -> LearnerState:
    """One state per learner: completed, else waiting for the trainer (their turn is
    over), else inactive (no activity since the cutoff, the same rule as the
    reminders), else in progress or not started."""
    if completed_at:
        return LearnerState.COMPLETED
    if waiting:
        return LearnerState.WAITING
    if (last_activity_at or enrolled_at) < cutoff:
        return LearnerState.INACTIVE
    return LearnerState.IN_PROGRESS if started_at else LearnerState.NOT_STARTED


def inactive_cutoff(inactive_days: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=max(inactive_days, 0))


@dataclass
class StatusCounts:
    """A group's status bar: how many learners are in each state (counts, no names)."""

    counts: dict[LearnerState, int]

    @classmethod
    def of(cls, states) -> StatusCounts:
        counts = dict.fromkeys(BAR_ORDER, 0)
        for state in states:
            counts[state] += 1
        return cls(counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def segments(self) -> list[tuple[LearnerState, int, float]]:
        """(state, count, percentage of the group) for the states that have anyone."""
        total = self.total or 1
        return [(state, n, round(100 * n / total, 2)) for state, n in self.counts.items() if n]

    def __getitem__(self, state: LearnerState) -> int:
        return self.counts[state]


@dataclass
class LearnerRow:
    enrolment: Enrolment
    user: User
    modules_completed: int
    badges: int
    waiting_on_trainer: bool
    # Live sessions attended (issue 13): dates and hours only, never course work.
    attendance: object | None = None  # course.attendance.queries.AttendanceSummary
    inactive_cutoff: datetime | None = None  # None: the default number of days from now

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None

    @property
    def state(self) -> LearnerState:
        e = self.enrolment
        return learner_state(completed_at=e.completed_at, started_at=e.started_at,
                             last_activity_at=e.last_activity_at, enrolled_at=e.enrolled_at,
                             waiting=self.waiting_on_trainer,
                             cutoff=self.inactive_cutoff or inactive_cutoff(DEFAULT_INACTIVE_DAYS))

    def percent(self, total_modules: int) -> int:
        return round(100 * self.modules_completed / total_modules) if total_modules else 0


def module_count(course_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CourseModule.id)).where(CourseModule.course_id == course_id,
                                                         CourseModule.is_active.is_(True))
    ) or 0


def waiting_clause():
    return sa.exists().where(Submission.enrolment_id == Enrolment.id,
                             Submission.status == SubmissionStatus.SUBMITTED)


def _statuses(cells) -> list[str]:
    """The module statuses of a progress summary's cells ({module id: [status, flags]})."""
    return [entry[0] for entry in (cells or {}).values()]


def team_status(cohort: Cohort, inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[LearnerRow]:
    """One row per learner of the group, in two queries: enrolled on, started, modules
    completed and waiting work (from the maintained progress summary, review/summary.py),
    badges, last activity, its state, and the live sessions attended (dates, hours)."""
    badges = (sa.select(sa.func.count(BadgeAssertion.id))
              .join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
              .where(BadgeAssertion.user_id == Enrolment.user_id, BadgeClass.course_id == Enrolment.course_id,
                     BadgeAssertion.revoked_at.is_(None))
              .correlate(Enrolment).scalar_subquery())
    query = (sa.select(Enrolment, User, badges, ProgressSummary.enrolment_id, ProgressSummary.cells)
             .join(User, Enrolment.user_id == User.id)
             .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
             .where(Enrolment.cohort_id == cohort.id)
             .order_by(User.name, User.id))
    found = db.session.execute(query).all()
    missing = [e.id for e, _u, _b, has_summary, _c in found if has_summary is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    cutoff = inactive_cutoff(inactive_days)
    rows = []
    for enrolment, user, badge_count, has_summary, cells in found:
        statuses = _statuses(cells if has_summary is not None else computed[enrolment.id]["cells"])
        rows.append(LearnerRow(enrolment, user, statuses.count("completed"), badge_count or 0,
                               "waiting" in statuses, inactive_cutoff=cutoff))
    from course.attendance import queries as attendance

    attended = attendance.summaries((r.enrolment.user_id, r.enrolment.course_id) for r in rows)
    for row in rows:
        row.attendance = attended[(row.enrolment.user_id, row.enrolment.course_id)]
    return rows


def filter_rows(rows: list[LearnerRow], status: str = "", search: str = "") -> list[LearnerRow]:
    """The rows in this state (one of LearnerState, "" for all) whose name or e-mail
    address contains the search."""
    if status:
        rows = [r for r in rows if r.state == status]
    needle = search.strip().casefold()
    if needle:
        rows = [r for r in rows
                if needle in (r.user.name or "").casefold() or needle in (r.user.email or "").casefold()]
    return rows


def team_progress(cohort: Cohort, status: str = "", search: str = "",
                  inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[LearnerRow]:
    """The group's rows (`team_status`) filtered on state and a name/e-mail search."""
    return filter_rows(team_status(cohort, inactive_days), status, search)


ATTENTION_SHOWN = 8  # names per kind in "Needs attention"; the filter link shows them all


@dataclass
class Attention:
    """The group's "Needs attention" list: who went quiet, whose work waits for the trainer."""

    inactive: list[LearnerRow]
    waiting: list[LearnerRow]

    @classmethod
    def of(cls, rows: list[LearnerRow]) -> Attention:
        return cls(inactive=[r for r in rows if r.state == LearnerState.INACTIVE],
                   waiting=[r for r in rows if r.state == LearnerState.WAITING])

    def __bool__(self) -> bool:
        return bool(self.inactive or self.waiting)


LEARNERS_PER_PAGE = 200  # team progress rows on one screen (the CSV has them all)


def learner_page(rows: list[LearnerRow], page: int | None, per_page: int | None = None) -> Page:
    """One screen of team progress (`?deelnemers=`; `?page=` pages the invitations),
    clamped to the pages there are."""
    per_page = per_page or LEARNERS_PER_PAGE
    pages = max(1, -(-len(rows) // per_page))
    page = min(max(page or 1, 1), pages)
    return Page(items=rows[(page - 1) * per_page:page * per_page], page=page, per_page=per_page, total=len(rows))


@dataclass
class ModuleStatus:
    module: CourseModule
    read: bool
    quiz_passed: bool
    assignment: SubmissionStatus | None  # None: not started
    completed_at: datetime | None


def learner_progress(enrolment: Enrolment) -> tuple[list[ModuleStatus], list[BadgeAssertion]]:
    """Per module: read, quiz passed, assignment state, completed. Statuses only:
    no quiz answers, no submission texts. Three queries."""
    modules = db.session.scalars(
        sa.select(CourseModule).where(CourseModule.course_id == enrolment.course_id,
                                      CourseModule.is_active.is_(True)).order_by(CourseModule.position)
    ).all()
    progress = {p.module_id: p for p in db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id))}
    states = dict(db.session.execute(
        sa.select(Submission.module_id, Submission.status).where(Submission.enrolment_id == enrolment.id)).all())
    rows = []
    for module in modules:
        p = progress.get(module.id)
        state = states.get(module.id)
        rows.append(ModuleStatus(
            module=module, read=bool(p and p.read_at), quiz_passed=bool(p and p.quiz_passed_at),
            assignment=SubmissionStatus(state) if state else None,
            completed_at=p.completed_at if p else None))
    badges = db.session.scalars(
        sa.select(BadgeAssertion).join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
        .where(BadgeAssertion.user_id == enrolment.user_id, BadgeClass.course_id == enrolment.course_id,
               BadgeAssertion.revoked_at.is_(None))
        .options(sa.orm.joinedload(BadgeAssertion.badge_class)).order_by(BadgeAssertion.issued_at)
    ).all()
    return rows, list(badges)


def progress_export_rows(cohort: Cohort, rows: list[LearnerRow], total_modules: int) -> tuple[list, list]:
    header = [str(_l("Name")), str(_l("E-mail address")), str(_l("Group")), str(_l("Enrolled on")),
              str(_l("Started on")), str(_l("Modules completed")), str(_l("Badges")),
              str(_l("Last activity")), str(_l("Completed on")), str(_l("Waiting for the trainer")),
              str(_l("Live sessions attended")), str(_l("Contact hours"))]
    body = [[r.user.name, r.user.email, cohort.name, r.enrolment.enrolled_at.date(),
             r.enrolment.started_at.date() if r.enrolment.started_at else "",
             f"{r.modules_completed}/{total_modules}", r.badges,
             r.enrolment.last_activity_at.date() if r.enrolment.last_activity_at else "",
             r.enrolment.completed_at.date() if r.enrolment.completed_at else "",
             str(_l("yes")) if r.waiting_on_trainer else str(_l("no")),
             ", ".join(day.isoformat() for day in r.attendance.days) if r.attendance else "",
             r.attendance.hours if r.attendance and r.attendance.attended else ""] for r in rows]
    return header, body

