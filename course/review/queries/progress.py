"""Read side of the progress overview: the learners × modules matrix, grades,
quiz item analysis, the learner detail page and the numbers behind the charts.

A "scope" is one cohort ("groep") or one course ("cursus"); within it a trainer
sees only their own learners (permissions.enrolments_visible_to_trainer).
The same row builders feed the HTML tables and the CSV exports, so the two are
identical.
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from markupsafe import Markup
from sqlalchemy.orm import joinedload, selectinload

from course import permissions
from course.content.questions import Verdict
from course.extensions import db
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    EventKind,
    ProgressEvent,
    ProgressSummary,
    QuizAttempt,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)
from course.pagination import Page
from course.states import LabelledEnum

from .. import summary
from ..services import max_points, rubric_of

# ---- scope -------------------------------------------------------------------


@dataclass
class Scope:
    kind: str  # "groep" or "cursus"
    key: str  # Cohort.public_id or Course.slug
    course: Course
    cohort: Cohort | None
    title: str

    def enrolment_filter(self, user):
        clauses = [Enrolment.course_id == self.course.id, permissions.enrolments_visible_to_trainer(user)]
        if self.cohort is not None:
            clauses.append(Enrolment.cohort_id == self.cohort.id)
        return sa.and_(*clauses)

    @property
    def modules(self) -> list[CourseModule]:
        return self.course.active_modules

    @property
    def filename_base(self) -> str:
        return self.cohort.public_id if self.cohort else self.course.slug


def load_scope(user, kind: str, key: str) -> Scope | None:
    """The cohort or course, or None when it does not exist or is outside the trainer's scope."""
    if kind == "groep":
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.public_id == key)
                                   .options(joinedload(Cohort.course), joinedload(Cohort.organisation)))
        if cohort is None or not permissions.can_view_cohort_review(user, cohort):
            return None
        return Scope(kind, key, cohort.course, cohort, f"{cohort.name} · {cohort.organisation.name}")
    course = db.session.scalar(sa.select(Course).where(Course.slug == key))
    if course is None or not permissions.can_view_course_progress(user, course):
        return None
    return Scope(kind, key, course, None, course.title)


@dataclass
class ScopeLink:
    kind: str
    key: str
    title: str
    course_title: str


def scopes_for(user) -> list[ScopeLink]:
    """The courses and cohorts on the trainer's progress index."""
    courses = db.session.scalars(
        sa.select(Course).where(permissions.courses_reviewed_by(user, Course.id)).order_by(Course.title)
    ).all()
    cohorts = db.session.execute(
        sa.select(Cohort, Course.title).join(Course, Cohort.course_id == Course.id)
        .where(permissions.cohorts_reviewed_by(user)).options(selectinload(Cohort.organisation))
        .order_by(Course.title, Cohort.name)
    ).all()
    links = [ScopeLink("cursus", c.slug, c.title, c.title) for c in courses]
    links += [ScopeLink("groep", c.public_id, f"{c.name} ({c.organisation.name})", title) for c, title in cohorts]
    return links


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


def cells_per_status() -> dict[str, Cell]:
    """One Cell per state, its label translated once per matrix (not once per cell)."""
    return {state: Cell(state, str(state.label)) for state in CellState}


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
    modules: list[CourseModule]
    rows: list[LearnerRow]
    total: int
    funnel: list[dict] = field(default_factory=list)
    page: Page | None = None  # the screen's page of `rows`; None: every row (the CSV)
    # The live-sessions column: when the course requires attendance or someone has a mark.
    show_attendance: bool = False


def learner_own_events() -> sa.ColumnElement[bool]:
    """Filter on ProgressEvent joined to its Enrolment: what the learner did themselves.
    A reminder, a review or a badge is done *to* the learner and is no activity, or
    every reminder sent would take a stuck learner off the "stuck" list."""
    return sa.and_(ProgressEvent.actor_id == Enrolment.user_id, ProgressEvent.kind != EventKind.REMINDER_SENT)


def progress_matrix(user, scope: Scope, show: str = "", days: int = 14, now: datetime | None = None,
                    page: int | None = None) -> Matrix:
    """Learners × modules with a text status per cell, read from the maintained
    progress summary (review/summary.py): one query for any size, one for the live
    sessions attended (three more only for learners whose summary is missing). `page`: only that screen of rows (after
    the filter); None gives every row, as the CSV does."""
    now = now or utcnow()
    modules = scope.modules
    enrolments = db.session.execute(
        sa.select(Enrolment.id, Enrolment.public_id, Enrolment.enrolled_at, Enrolment.started_at,
                  Enrolment.completed_at, Enrolment.last_activity_at, User.name, Cohort.name,
                  ProgressSummary.enrolment_id, ProgressSummary.cells, ProgressSummary.last_event_at,
                  Enrolment.user_id, Enrolment.course_id)
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
        .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
        .where(scope.enrolment_filter(user)).order_by(User.name, Enrolment.id)
    ).all()
    from course.attendance import queries as attendance

    attended = attendance.summaries((r.user_id, r.course_id) for r in enrolments)
    missing = [r[0] for r in enrolments if r[8] is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    cells_for = cells_per_status()
    not_started = cells_for[CellState.NOT_STARTED]
    keys = [str(m.id) for m in modules]
    funnel_flags = [[0, 0, 0, 0, 0] for _m in modules]  # read, quiz, handed in, approved, completed
    rows = []
    for eid, public_id, enrolled_at, started_at, completed_at, last_activity_at, name, cohort_name, \
            has_summary, cells, last_event_at, user_id, course_id in enrolments:
        if has_summary is None:
            cells, last_event_at = computed[eid]["cells"], computed[eid]["last_event_at"]
        row_cells = []
        for index, key in enumerate(keys):
            entry = (cells or {}).get(key)
            if entry is None:
                row_cells.append(not_started)
                continue
            row_cells.append(cells_for.get(entry[0], not_started))
            flags, counts = entry[1], funnel_flags[index]
            counts[0] += bool(flags & summary.READ)
            counts[1] += bool(flags & summary.QUIZ)
            counts[2] += bool(flags & summary.HANDED_IN)
            counts[3] += bool(flags & summary.APPROVED)
            counts[4] += bool(flags & summary.COMPLETED)
        moments = [t for t in (last_activity_at, last_event_at, started_at) if t]
        last = max(moments) if moments else None
        enrolment = MatrixEnrolment(eid, public_id, enrolled_at, started_at, completed_at, last_activity_at)
        row = LearnerRow(enrolment, Named(name), Named(cohort_name) if cohort_name is not None else None,
                         row_cells, last, sum(c.status == CellState.COMPLETED for c in row_cells))
        reference = last or enrolled_at
        row.stuck_days = (now - reference).days if reference else None
        row.attendance = attended[(user_id, course_id)]
        rows.append(row)
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


def format_moment(moment: datetime | None) -> str:
    """A day for the CSV (2026-12-01), in the reader's time zone like the screen's short date."""
    if not moment:
        return ""
    if has_request_context():
        moment = to_user_timezone(moment)  # a naive datetime is UTC
    return moment.strftime("%Y-%m-%d")


def matrix_table(matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """The matrix as header + rows of text: what the screen shows, and the CSV."""
    header = [_("Learner"), _("Group")] + [m.title for m in matrix.modules] + [
        _("Modules completed"), _("Last activity"), _("Course completed on")]
    if matrix.show_attendance:
        header.append(_("Live sessions attended"))
    rows = []
    for row in matrix.rows:
        rows.append([row.learner.name, row.cohort.name if row.cohort else _("No group")]
                    + [c.label for c in row.cells]
                    + [f"{row.modules_done}/{len(matrix.modules)}", format_moment(row.last_activity),
                       format_moment(row.enrolment.completed_at)]
                    + ([attendance_text(row.attendance)] if matrix.show_attendance else []))
    return header, rows


def attendance_text(summary) -> str:
    """"2 (5,5 h): 2027-03-04, 2027-03-11", or "0": the sessions attended, contact hours, dates."""
    if summary is None or not summary.attended:
        return "0"
    dates = ", ".join(day.isoformat() for day in summary.days)
    return _("%(count)d (%(hours)s h): %(dates)s", count=summary.attended_count, hours=summary.hours, dates=dates)


# ---- grades ------------------------------------------------------------------------

def status_label(status) -> str:
    return str(SubmissionStatus(status).label)


def grades_table(user, scope: Scope) -> tuple[list[str], list[list[str]]]:
    """One row per learner and assignment: status, version, points of the latest
    decision, who decided and when. Three queries."""
    submissions = db.session.execute(
        sa.select(Submission, User, Cohort, CourseModule)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id).join(User, Enrolment.user_id == User.id)
        .join(CourseModule, Submission.module_id == CourseModule.id)
        .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(scope.enrolment_filter(user), Submission.status != SubmissionStatus.DRAFT)
        .order_by(User.name, CourseModule.position)
    ).all()
    ids = [s.id for s, *_rest in submissions] or [-1]
    latest: dict[int, tuple[int, Review]] = {}
    versions: dict[int, int] = {}
    for number, submission_id, review in db.session.execute(
        sa.select(SubmissionVersion.number, SubmissionVersion.submission_id, Review)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(SubmissionVersion.submission_id.in_(ids))
        .options(selectinload(Review.scores), selectinload(Review.reviewer))
    ).all():
        versions[submission_id] = max(versions.get(submission_id, 0), number)
        if review is not None and number >= latest.get(submission_id, (0, None))[0]:
            latest[submission_id] = (number, review)
    # A resubmission waiting for review has a newer version than the one the points belong to:
    # both are shown, so the points are never read as a score of the new version.
    header = [_("Learner"), _("Group"), _("Module"), _("Status"), _("Version"), _("Reviewed version"), _("Points"),
              _("Maximum"), _("Reviewed by"), _("Reviewed on")]
    rows = []
    for submission, learner, cohort, module in submissions:
        reviewed_number, review = latest.get(submission.id, (0, None))
        rubric = rubric_of(module)
        rows.append([
            learner.name, cohort.name if cohort else _("No group"), module.title, status_label(submission.status),
            str(versions.get(submission.id, 0)), str(reviewed_number) if review else "",
            str(sum(s.points for s in review.scores)) if review else "",
            str(max_points(rubric)) if review else "",
            (review.reviewer.name if review and review.reviewer else ""),
            format_moment(review.created_at) if review else "",
        ])
    return header, rows


# ---- quiz item analysis ------------------------------------------------------------


FLAG_BELOW = 60  # percent answered correctly under which the quiz analysis flags a question


@dataclass
class QuestionStats:
    question_id: str
    text_html: Markup
    attempts: int
    correct: int
    wrong_option: Markup | None       # the wrong part chosen most (an option, a misplaced item, a wrong match)
    wrong_option_count: int
    partly: int = 0                   # answers that were partly right

    @property
    def share_correct(self) -> int | None:
        return round(100 * self.correct / self.attempts) if self.attempts else None

    @property
    def flagged(self) -> bool:
        """Answered correctly by fewer than FLAG_BELOW percent: worth a look at the question."""
        return self.share_correct is not None and self.share_correct < FLAG_BELOW


def question_stats(question, answers: list[tuple[list[str], bool]]) -> QuestionStats:
    """One question over many answers ((answer, stored as fully right)). What counts as
    a wrong part is the question type's own business (`wrong_parts`)."""
    correct = sum(1 for _answer, right in answers if right)
    partly = sum(1 for answer, right in answers
                 if not right and question.grade(answer).verdict is Verdict.PARTIAL)
    wrong = Counter(part for answer, _right in answers for part in question.wrong_parts(answer))
    top = wrong.most_common(1)
    return QuestionStats(
        question.id, Markup(question.text_html), len(answers), correct,  # noqa: S704  trusted course content
        Markup(top[0][0]) if top else None, top[0][1] if top else 0, partly,  # noqa: S704
    )


def quiz_analysis(user, scope: Scope) -> list[tuple[CourseModule, int, list[QuestionStats]]]:
    """Per module and question: attempts, share answered correctly, how many partly,
    the most-chosen wrong part. Counts every attempt of the trainer's learners. One query."""
    attempts = db.session.execute(
        sa.select(QuizAttempt.module_id, QuizAttempt.answers, QuizAttempt.results)
        .join(Enrolment, QuizAttempt.enrolment_id == Enrolment.id).where(scope.enrolment_filter(user))
    ).all()
    by_module: dict[int, list] = {}
    for attempt in attempts:
        by_module.setdefault(attempt.module_id, []).append(attempt)
    result = []
    for module in scope.modules:
        quiz = module.quiz_spec
        if not quiz or not quiz.questions:
            continue
        module_attempts = by_module.get(module.id, [])
        stats = []
        for question in quiz.questions:
            answers = [(a.answers[question.id], bool((a.results or {}).get(question.id)))
                       for a in module_attempts if question.id in (a.answers or {})]
            stats.append(question_stats(question, answers))
        result.append((module, len(module_attempts), stats))
    return result


# ---- learner detail ------------------------------------------------------------------


@dataclass
class LearnerDetail:
    enrolment: Enrolment
    events: list[ProgressEvent]
    attempts: list[QuizAttempt]
    submissions: list[Submission]
    modules: dict[int, CourseModule]


def load_enrolment(public_id: str) -> Enrolment | None:
    return db.session.scalar(sa.select(Enrolment).where(Enrolment.public_id == public_id))


def learner_detail(enrolment: Enrolment) -> LearnerDetail:
    events = db.session.scalars(
        sa.select(ProgressEvent).where(ProgressEvent.enrolment_id == enrolment.id)
        .order_by(ProgressEvent.created_at.desc(), ProgressEvent.id.desc())
    ).all()
    attempts = db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.enrolment_id == enrolment.id)
        .order_by(QuizAttempt.module_id, QuizAttempt.number)
    ).all()
    submissions = db.session.scalars(
        sa.select(Submission).where(Submission.enrolment_id == enrolment.id)
        .options(selectinload(Submission.versions).selectinload(SubmissionVersion.review).selectinload(Review.scores),
                 selectinload(Submission.versions).selectinload(SubmissionVersion.review)
                 .selectinload(Review.reviewer))
    ).all()
    modules = {m.id: m for m in enrolment.course.modules}
    submissions = sorted(submissions, key=lambda s: modules[s.module_id].position if s.module_id in modules else 0)
    return LearnerDetail(enrolment, list(events), list(attempts), list(submissions), modules)


def attempt_answers(attempt: QuizAttempt, module: CourseModule) -> list[dict]:
    """Per question of the attempt: the question, the answer and how it was judged."""
    rows = []
    quiz = module.quiz_spec
    for question in quiz.questions if quiz else []:
        answer = (attempt.answers or {}).get(question.id)
        if answer is None:
            continue
        right = bool((attempt.results or {}).get(question.id))
        verdict = Verdict.CORRECT if right else (
            Verdict.PARTIAL if question.grade(answer).verdict is not Verdict.WRONG else Verdict.WRONG)
        rows.append({
            "question": Markup(question.text_html),  # noqa: S704  trusted course content
            "chosen": [Markup(line) for line in question.answer_html(answer)],  # noqa: S704
            "correct": right, "verdict": verdict,
        })
    return rows


# ---- chart data -------------------------------------------------------------------------


def waiting_over_time(user, days: int = 30, now: datetime | None = None) -> list[tuple[date, int]]:
    """For each of the last `days` days: how many submitted versions were waiting for
    review at the end of that day. One query."""
    now = now or utcnow()
    start = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = db.session.execute(
        sa.select(SubmissionVersion.submitted_at, Review.created_at, Submission.status)
        .join(Submission, SubmissionVersion.submission_id == Submission.id)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .outerjoin(Review, Review.version_id == SubmissionVersion.id)
        .where(permissions.enrolments_visible_to_trainer(user),
               sa.or_(Review.created_at.is_(None), Review.created_at >= start))
    ).all()
    series = []
    for offset in range(days):
        day = (start + timedelta(days=offset)).date()
        end = datetime.combine(day + timedelta(days=1), datetime.min.time())
        waiting = sum(1 for submitted, reviewed, status in rows
                      if submitted < end and (reviewed >= end if reviewed else status == SubmissionStatus.SUBMITTED))
        series.append((day, waiting))
    return series
