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

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from course import permissions
from course.extensions import db
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    EventKind,
    ModuleProgress,
    ProgressEvent,
    QuizAttempt,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)

from .services import max_points

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
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.public_id == key))
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

CELL_LABELS = {
    "completed": lambda: _("Completed"),
    "approved": lambda: _("Assignment approved"),
    "waiting": lambda: _("Waiting for review"),
    "revision": lambda: _("Revision requested"),
    "in_progress": lambda: _("In progress"),
    "not_started": lambda: _("Not started"),
}


@dataclass
class Cell:
    status: str

    @property
    def label(self) -> str:
        return CELL_LABELS[self.status]()


@dataclass
class LearnerRow:
    enrolment: Enrolment
    learner: User
    cohort: Cohort | None
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
        return self.enrolment.started_at is not None or any(c.status != "not_started" for c in self.cells)


@dataclass
class Matrix:
    modules: list[CourseModule]
    rows: list[LearnerRow]
    total: int
    funnel: list[dict] = field(default_factory=list)
    # The live-sessions column: when the course requires attendance or someone has a mark.
    show_attendance: bool = False


def _cell(progress: ModuleProgress | None, status: SubmissionStatus | None) -> Cell:
    if progress is not None and progress.completed_at:
        return Cell("completed")
    if status == SubmissionStatus.SUBMITTED:
        return Cell("waiting")
    if status == SubmissionStatus.REVISION_REQUESTED:
        return Cell("revision")
    if status == SubmissionStatus.APPROVED:
        return Cell("approved")
    if (progress is not None and (progress.read_at or progress.quiz_passed_at)) or status == SubmissionStatus.DRAFT:
        return Cell("in_progress")
    return Cell("not_started")


def learner_own_events() -> sa.ColumnElement[bool]:
    """Filter on ProgressEvent joined to its Enrolment: what the learner did themselves.
    A reminder, a review or a badge is done *to* the learner and is no activity, or
    every reminder sent would take a stuck learner off the "stuck" list."""
    return sa.and_(ProgressEvent.actor_id == Enrolment.user_id, ProgressEvent.kind != EventKind.REMINDER_SENT)


def progress_matrix(user, scope: Scope, show: str = "", days: int = 14, now: datetime | None = None) -> Matrix:
    """Learners × modules with a text status per cell. Five queries, any size."""
    now = now or utcnow()
    modules = scope.modules
    enrolments = db.session.execute(
        sa.select(Enrolment, User, Cohort).join(User, Enrolment.user_id == User.id)
        .outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
        .where(scope.enrolment_filter(user)).order_by(User.name, Enrolment.id)
    ).all()
    ids = [e.id for e, _u, _c in enrolments] or [-1]
    progress = {(p.enrolment_id, p.module_id): p for p in db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.enrolment_id.in_(ids)))}
    statuses = {(r.enrolment_id, r.module_id): r.status for r in db.session.execute(
        sa.select(Submission.enrolment_id, Submission.module_id, Submission.status)
        .where(Submission.enrolment_id.in_(ids)))}
    last_event = dict(db.session.execute(
        sa.select(ProgressEvent.enrolment_id, sa.func.max(ProgressEvent.created_at))
        .join(Enrolment, ProgressEvent.enrolment_id == Enrolment.id)
        .where(ProgressEvent.enrolment_id.in_(ids), learner_own_events())
        .group_by(ProgressEvent.enrolment_id)).all())
    from course.attendance import queries as attendance

    attended = attendance.summaries((e.user_id, e.course_id) for e, _u, _c in enrolments)
    rows = []
    for enrolment, learner, cohort in enrolments:
        cells = [_cell(progress.get((enrolment.id, m.id)), statuses.get((enrolment.id, m.id))) for m in modules]
        moments = [t for t in (enrolment.last_activity_at, last_event.get(enrolment.id), enrolment.started_at) if t]
        last = max(moments) if moments else None
        row = LearnerRow(enrolment, learner, cohort, cells, last, sum(c.status == "completed" for c in cells))
        reference = last or enrolment.enrolled_at
        row.stuck_days = (now - reference).days if reference else None
        row.attendance = attended[(enrolment.user_id, enrolment.course_id)]
        rows.append(row)
    funnel = _funnel(modules, [(e.id) for e, _u, _c in enrolments], progress, statuses)
    total = len(rows)
    if show == "stuck":
        rows = [r for r in rows if r.started and not r.completed and r.stuck_days is not None and r.stuck_days > days]
    elif show == "not_started":
        rows = [r for r in rows if not r.started]
    elif show == "completed":
        rows = [r for r in rows if r.completed]
    show_attendance = scope.course.requires_attendance or any(s.sessions for s in attended.values())
    return Matrix(modules=modules, rows=rows, total=total, funnel=funnel, show_attendance=show_attendance)


def _funnel(modules, enrolment_ids, progress, statuses) -> list[dict]:
    """Per module: how many learners read it, passed the quiz, had the assignment approved, completed it."""
    funnel = []
    for module in modules:
        entries = [progress.get((eid, module.id)) for eid in enrolment_ids]
        funnel.append({
            "module": module,
            "enrolled": len(enrolment_ids),
            "read": sum(1 for p in entries if p and p.read_at),
            "quiz": sum(1 for p in entries if p and p.quiz_passed_at),
            "submitted": sum(1 for eid in enrolment_ids if statuses.get((eid, module.id)) not in (None, "draft")),
            "approved": sum(1 for p in entries if p and p.assignment_approved_at),
            "completed": sum(1 for p in entries if p and p.completed_at),
        })
    return funnel


def format_moment(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else ""


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

STATUS_LABELS = {
    SubmissionStatus.DRAFT: lambda: _("Draft"),
    SubmissionStatus.SUBMITTED: lambda: _("Waiting for review"),
    SubmissionStatus.REVISION_REQUESTED: lambda: _("Revision requested"),
    SubmissionStatus.APPROVED: lambda: _("Approved"),
}


def status_label(status) -> str:
    return STATUS_LABELS[SubmissionStatus(status)]()


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
        rubric = (module.assignment or {}).get("rubric", [])
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


@dataclass
class QuestionStats:
    question_id: str
    text_html: Markup
    attempts: int
    correct: int
    wrong_option: Markup | None
    wrong_option_count: int

    @property
    def share_correct(self) -> int | None:
        return round(100 * self.correct / self.attempts) if self.attempts else None


def quiz_analysis(user, scope: Scope) -> list[tuple[CourseModule, int, list[QuestionStats]]]:
    """Per module and question: attempts, share answered correctly, the most-chosen
    wrong option. Counts every attempt of the trainer's learners. One query."""
    attempts = db.session.execute(
        sa.select(QuizAttempt.module_id, QuizAttempt.answers, QuizAttempt.results)
        .join(Enrolment, QuizAttempt.enrolment_id == Enrolment.id).where(scope.enrolment_filter(user))
    ).all()
    by_module: dict[int, list] = {}
    for attempt in attempts:
        by_module.setdefault(attempt.module_id, []).append(attempt)
    result = []
    for module in scope.modules:
        if not module.has_quiz:
            continue
        module_attempts = by_module.get(module.id, [])
        stats = []
        for question in module.quiz["questions"]:
            qid = question["id"]
            options = {o["id"]: o for o in question["options"]}
            answered = [a for a in module_attempts if qid in (a.answers or {})]
            correct = sum(1 for a in answered if (a.results or {}).get(qid))
            wrong = Counter(opt for a in answered for opt in (a.answers or {}).get(qid, [])
                            if opt in options and not options[opt].get("correct"))
            top = wrong.most_common(1)
            stats.append(QuestionStats(
                qid, Markup(question.get("text_html", "")), len(answered), correct,  # noqa: S704  trusted course content
                Markup(options[top[0][0]]["text_html"]) if top else None,  # noqa: S704
                top[0][1] if top else 0,
            ))
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
    """Per question of the attempt: the question, the chosen options and whether it was right."""
    rows = []
    for question in (module.quiz or {}).get("questions", []):
        chosen_ids = (attempt.answers or {}).get(question["id"])
        if chosen_ids is None:
            continue
        options = {o["id"]: o for o in question["options"]}
        rows.append({
            "question": Markup(question.get("text_html", "")),  # noqa: S704  trusted course content
            "chosen": [Markup(options[o]["text_html"]) for o in chosen_ids if o in options],  # noqa: S704
            "correct": bool((attempt.results or {}).get(question["id"])),
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
