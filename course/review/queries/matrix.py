"""The learners × modules matrix: a text status per cell, read from the maintained
progress summary (review/summary.py), with the funnel per module. The same rows feed the
HTML table and the CSV export, so the two are identical.
"""
import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from course.extensions import core_rows, db
from course.formatting import csv_days
from course.models import (
    Cohort,
    CourseModule,
    Enrolment,
    ProgressSummary,
    User,
    utcnow,
)
from course.pagination import Page
from course.states import LabelledEnum

from .. import summary
from .scope import Scope

# ---- the matrix ----------------------------------------------------------------

class CellState(LabelledEnum):
    """One learner × one module in the trainer's matrix; `css` is the cell's look. The
    values are what the progress summary stores (review/summary.py)."""

    COMPLETED = "completed", _l("Completed"), "completed"
    APPROVED = "approved", _l("Assignment approved"), "approved"
    WAITING = "waiting", _l("Waiting for review"), "waiting"
    REVISION = "revision", _l("Revision requested"), "revision"
    IN_PROGRESS = "in_progress", _l("In progress"), "in_progress"
    NOT_STARTED = "not_started", _l("Not started"), "not_started"

MATRIX_PER_PAGE = 200  # rows on one screen of the matrix (the CSV has them all)


@dataclass(frozen=True, slots=True)
class Cell:
    status: CellState
    label: str

    html: Markup = Markup()  # its <td> on the screen, made once per state (issue 16)


def _cell_html(status: CellState, label: str) -> Markup:
    css, label = escape(status.css), escape(label)
    return Markup(f'<td class="heat cell--{css}" title="{label}"><span class="heat-key heat-key--{css}" '  # noqa: S704
                  f'aria-hidden="true"></span><span class="visually-hidden">{label}</span></td>')


def cells_per_status() -> dict[str, Cell]:
    """One Cell per state, its label translated once per matrix (not once per cell)."""
    return {state: Cell(state, str(state.label), _cell_html(state, str(state.label))) for state in CellState}


class MatrixEnrolment(NamedTuple):
    """The enrolment columns the matrix uses (plain values: no ORM object per learner)."""
    id: int
    public_id: str
    enrolled_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    last_activity_at: datetime | None


class Named(NamedTuple):
    name: str


class MatrixModule(NamedTuple):
    """A module as the matrix shows it: a column (no reading, quiz or assignment loaded)."""
    id: int
    slug: str
    title: str


def _matrix_modules(course_id: int) -> list[MatrixModule]:
    return [MatrixModule(*row) for row in core_rows(_MODULES, {"course_id": course_id})]


_MODULES = (sa.select(CourseModule.id, CourseModule.slug, CourseModule.title)
            .where(CourseModule.course_id == sa.bindparam("course_id"), CourseModule.is_active.is_(True))
            .order_by(CourseModule.position))


@functools.lru_cache(maxsize=2048)
def _matrix_statement(in_scope) -> sa.Select:
    """The matrix's one query, built once per process and scope filter (Scope.enrolment_filter
    gives the same filter object for the same scope and trainer; issue 16)."""
    return (sa.select(Enrolment.id, Enrolment.public_id, Enrolment.enrolled_at, Enrolment.started_at,
                      Enrolment.completed_at, Enrolment.last_activity_at, User.name, Cohort.name,
                      ProgressSummary.enrolment_id, summary.cells_text(), ProgressSummary.last_event_at,
                      Enrolment.user_id, Enrolment.course_id)
            .join(User, Enrolment.user_id == User.id)
            .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
            .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
            .where(in_scope).order_by(User.name, Enrolment.id))


@dataclass(slots=True)
class LearnerRow:
    enrolment: MatrixEnrolment
    learner: Named
    cohort: Named | None
    cells: list[Cell]
    last_activity: datetime | None
    modules_done: int
    stuck_days: int | None = None
    attendance: object | None = None  # course.attendance.queries.AttendanceSummary (issue 13)

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None or any(c.status != CellState.NOT_STARTED for c in self.cells)


@dataclass
class Matrix:
    modules: list[MatrixModule]
    rows: list[LearnerRow]
    total: int
    funnel: list[dict] = field(default_factory=list)
    page: Page | None = None  # the screen's page of `rows`; None: every row (the CSV)
    # The live-sessions column: when the course requires attendance or someone has a mark.
    show_attendance: bool = False


def progress_matrix(user, scope: Scope, show: str = "", days: int = 14, now: datetime | None = None,
                    page: int | None = None) -> Matrix:
    """Learners × modules with a text status per cell, read from the maintained
    progress summary (review/summary.py): one query for any size, one for the live
    sessions attended (three more only for learners whose summary is missing). `page`: only that screen of rows (after
    the filter); None gives every row, as the CSV does."""
    now = now or utcnow()
    modules = _matrix_modules(scope.course.id)
    in_scope = scope.enrolment_filter(user)
    enrolments = core_rows(_matrix_statement(in_scope)).all()
    from course.attendance import queries as attendance

    attended = attendance.summaries_of_enrolments(in_scope)
    missing = [r[0] for r in enrolments if r[8] is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    make_cells = _cells_maker(modules)
    patterns = summary.Patterns(make_cells)
    learners_per_text: Counter = Counter()  # the funnel counts each distinct text once, times its learners
    computed_flags = []
    rows = []
    for eid, public_id, enrolled_at, started_at, completed_at, last_activity_at, name, cohort_name, \
            has_summary, cells_text, last_event_at, user_id, course_id in enrolments:
        if has_summary is None:
            pattern, last_event_at = make_cells(computed[eid]["cells"]), computed[eid]["last_event_at"]
            computed_flags.append(pattern[2])
        else:
            pattern = patterns[cells_text]
            learners_per_text[cells_text] += 1
        row_cells, done, _flags = pattern
        moments = [t for t in (last_activity_at, last_event_at, started_at) if t]
        last = max(moments) if moments else None
        enrolment = MatrixEnrolment(eid, public_id, enrolled_at, started_at, completed_at, last_activity_at)
        row = LearnerRow(enrolment, Named(name), Named(cohort_name) if cohort_name is not None else None,
                         list(row_cells), last, done)
        reference = last or enrolled_at
        row.stuck_days = (now - reference).days if reference else None
        row.attendance = attended[(user_id, course_id)]
        rows.append(row)
    funnel_flags = _funnel_counts(len(modules), [(patterns[text][2], n) for text, n in learners_per_text.items()]
                                  + [(flags, 1) for flags in computed_flags])
    total = len(rows)
    funnel = [{"module": module, "enrolled": total, "read": c[0], "quiz": c[1], "submitted": c[2],
               "approved": c[3], "completed": c[4]} for module, c in zip(modules, funnel_flags, strict=True)]
    if show == "stuck":
        rows = [r for r in rows if r.started and not r.completed and r.stuck_days is not None and r.stuck_days > days]
    elif show == "not_started":
        rows = [r for r in rows if not r.started]
    elif show == "completed":
        rows = [r for r in rows if r.completed]
    shown = None
    if page is not None:
        shown = Page(items=[], page=min(max(page, 1), max(1, -(-len(rows) // MATRIX_PER_PAGE))),
                     per_page=MATRIX_PER_PAGE, total=len(rows))
        start = (shown.page - 1) * MATRIX_PER_PAGE
        rows = rows[start:start + MATRIX_PER_PAGE]
    show_attendance = scope.course.requires_attendance or any(s.sessions for s in attended.values())
    return Matrix(modules=modules, rows=rows, total=total, funnel=funnel, page=shown,
                  show_attendance=show_attendance)



def _cells_maker(modules):
    """decoded cells → (the row's Cell per module, modules completed, the flags per module
    (None: nothing yet)); the same for every learner whose cells are the same."""
    cells_for = cells_per_status()
    not_started = cells_for[CellState.NOT_STARTED]
    keys = [str(m.id) for m in modules]

    def make(cells: dict) -> tuple:
        entries = [cells.get(key) for key in keys]
        row_cells = tuple(not_started if entry is None else cells_for.get(entry[0], not_started)
                          for entry in entries)
        done = sum(1 for entry in entries if entry is not None and entry[0] == CellState.COMPLETED)
        return row_cells, done, tuple(None if entry is None else entry[1] for entry in entries)

    return make


_FUNNEL_STEPS = (summary.READ, summary.QUIZ, summary.HANDED_IN, summary.APPROVED, summary.COMPLETED)


def _funnel_counts(module_count: int, flags_and_learners) -> list[list[int]]:
    """Per module: how many learners read, passed the quiz, handed in, were approved,
    completed; from (the flags per module, how many learners have them)."""
    counts = [[0] * len(_FUNNEL_STEPS) for _m in range(module_count)]
    for flags, learners in flags_and_learners:
        for index, module_flags in enumerate(flags):
            if module_flags:
                for step, bit in enumerate(_FUNNEL_STEPS):
                    if module_flags & bit:
                        counts[index][step] += learners
    return counts


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """The matrix as header + rows of text: what the screen shows, and the CSV."""
    header = [_("Learner"), _("Group")] + [m.title for m in matrix.modules] + [
        _("Modules completed"), _("Last activity"), _("Course completed on")]
    if matrix.show_attendance:
        header.append(_("Live sessions attended"))
    rows, day, no_group = [], csv_days(), _("No group")
    for row in matrix.rows:
        rows.append([row.learner.name, row.cohort.name if row.cohort else no_group]
                    + [c.label for c in row.cells]
                    + [f"{row.modules_done}/{len(matrix.modules)}", day(row.last_activity),
                       day(row.enrolment.completed_at)]
                    + ([attendance_text(row.attendance)] if matrix.show_attendance else []))
    return header, rows


def attendance_text(summary) -> str:
    """"2 (5,5 h): 2027-03-04, 2027-03-11", or "0": the sessions attended, contact hours, dates."""
    if summary is None or not summary.attended:
        return "0"
    dates = ", ".join(day.isoformat() for day in summary.days)
    return _("%(count)d (%(hours)s h): %(dates)s", count=summary.attended_count, hours=summary.hours, dates=dates)
