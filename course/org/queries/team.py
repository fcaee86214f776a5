"""Team status and progress of one group: one state per person, the counts behind the
status bar, who needs attention, the progress pages and the CSV rows."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course.extensions import core_rows, db
from course.models import (
    BadgeAssertion,
    BadgeClass,
    Cohort,
    CourseModule,
    Enrolment,
    ModuleProgress,
    ProgressSummary,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from course.pagination import Page
from course.review import summary
from course.statements import built_once
from course.states import LabelledEnum

DEFAULT_INACTIVE_DAYS = 14


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


def waiting_in_summary_clause():
    """SQL on Enrolment: some work waits for the trainer, as the progress summary's cells
    say "waiting" (review/summary.py cell_status): handed in, in a module not completed."""
    completed = sa.exists().where(ModuleProgress.enrolment_id == Submission.enrolment_id,
                                  ModuleProgress.module_id == Submission.module_id,
                                  ModuleProgress.completed_at.is_not(None))
    return sa.exists().where(Submission.enrolment_id == Enrolment.id,
                             Submission.status == SubmissionStatus.SUBMITTED, ~completed)


def state_clause(cutoff: datetime):
    """`learner_state` in SQL on Enrolment (its value), for counting in the database."""
    return sa.case(
        (Enrolment.completed_at.is_not(None), LearnerState.COMPLETED.value),
        (waiting_in_summary_clause(), LearnerState.WAITING.value),
        (sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at) < cutoff, LearnerState.INACTIVE.value),
        (Enrolment.started_at.is_not(None), LearnerState.IN_PROGRESS.value),
        else_=LearnerState.NOT_STARTED.value)


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


class TeamEnrolment(NamedTuple):
    """The enrolment columns team progress shows (plain values, no ORM object per
    learner: a group of 500 cost more to load as objects than to query, issue 16)."""
    id: int
    public_id: str
    user_id: int
    course_id: int
    enrolled_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    last_activity_at: datetime | None

    @classmethod
    def columns(cls) -> list:
        return [getattr(Enrolment, name) for name in cls._fields]


class TeamUser(NamedTuple):
    id: int
    name: str
    email: str

    @classmethod
    def columns(cls) -> list:
        return [getattr(User, name) for name in cls._fields]


@dataclass
class LearnerRow:
    enrolment: TeamEnrolment
    user: TeamUser
    modules_completed: int
    badges: int
    waiting_on_trainer: bool
    # Live sessions attended (issue 13): dates and hours only, never course work.
    attendance: object | None = None  # course.attendance.queries.AttendanceSummary
    inactive_cutoff: datetime | None = None  # None: the default number of days from now

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None

    @functools.cached_property
    def state(self) -> LearnerState:  # the page asks three times per learner (counts, attention, row)
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


def cell_statuses(cells) -> list[str]:
    """The module statuses of a progress summary's cells ({module id: [status, flags]})."""
    return [entry[0] for entry in (cells or {}).values()]


def _completed_and_waiting(cells) -> tuple[int, bool]:
    statuses = cell_statuses(cells)
    return statuses.count("completed"), "waiting" in statuses


_IN_COHORT = Enrolment.cohort_id == sa.bindparam("cohort_id")


@built_once()
def _team_statement() -> sa.Select:
    """team_status's query, built once per process (the group is a bound parameter)."""
    badges = (sa.select(sa.func.count(BadgeAssertion.id))
              .join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
              .where(BadgeAssertion.user_id == Enrolment.user_id, BadgeClass.course_id == Enrolment.course_id,
                     BadgeAssertion.revoked_at.is_(None))
              .correlate(Enrolment).scalar_subquery())
    return (sa.select(*TeamEnrolment.columns(), *TeamUser.columns(), badges, ProgressSummary.enrolment_id,
                      summary.cells_text())
            .join(User, Enrolment.user_id == User.id)
            .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
            .where(_IN_COHORT)
            .order_by(User.name, User.id))


def team_status(cohort: Cohort, inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[LearnerRow]:
    """One row per learner of the group, in two queries: enrolled on, started, modules
    completed and waiting work (from the maintained progress summary, review/summary.py),
    badges, last activity, its state, and the live sessions attended (dates, hours)."""
    enrolment_width, user_width = len(TeamEnrolment._fields), len(TeamUser._fields)
    found = [(TeamEnrolment._make(r[:enrolment_width]),
              TeamUser._make(r[enrolment_width:enrolment_width + user_width]), *r[enrolment_width + user_width:])
             for r in core_rows(_team_statement(), {"cohort_id": cohort.id})]
    missing = [e.id for e, _u, _b, has_summary, _c in found if has_summary is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    cutoff = inactive_cutoff(inactive_days)
    patterns = summary.Patterns(_completed_and_waiting)
    rows = []
    for enrolment, user, badge_count, has_summary, cells_text in found:
        completed, waiting = patterns[cells_text] if has_summary is not None \
            else _completed_and_waiting(computed[enrolment.id]["cells"])
        rows.append(LearnerRow(enrolment, user, completed, badge_count or 0, waiting, inactive_cutoff=cutoff))
    from course.attendance import queries as attendance

    attended = attendance.summaries_of_enrolments(_IN_COHORT, {"cohort_id": cohort.id})
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
