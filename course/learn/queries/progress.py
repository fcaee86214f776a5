"""The learner's progress: course and module states, built with a fixed number of queries.

`course_states(enrolments)` costs two queries however many courses and modules
there are (modules with their progress rows and submissions, plus the enrolments
the caller loaded), and one more, for who reviews, when some work waits for review; so
"Mijn leren" and the course overview never grow with the data.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import contains_eager, defer, joinedload

from course import permissions, request_cache
from course.extensions import db
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    ModuleProgress,
    Override,
    OverrideKind,
    QuizAttempt,
    Submission,
    SubmissionStatus,
    utcnow,
)
from course.statements import built_once
from course.states import LabelledEnum

from .. import attempts

WAITING = (SubmissionStatus.SUBMITTED,)
HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVISION_REQUESTED, SubmissionStatus.APPROVED)


class ModuleStatus(LabelledEnum):
    """A module on the course overview, when it is more than open: done, or still locked."""

    COMPLETE = "complete", _l("Complete"), "done"
    LOCKED = "locked", _l("Locked"), "todo"


@dataclass
class ModuleState:
    module: CourseModule
    progress: ModuleProgress | None = None
    submission_status: SubmissionStatus | None = None
    locked: bool = False
    blocked_by: CourseModule | None = None  # the module to finish first
    # Set when the quiz cannot be taken now (no attempts left, cooling off): see attempts.py
    quiz_block: attempts.Allowance | None = None
    decided_at: datetime | None = None  # the trainer's latest decision on the assignment ("Nieuw voor jou")

    @property
    def read(self) -> bool:
        return bool(self.progress and self.progress.read_at)

    @property
    def quiz_passed(self) -> bool:
        return bool(self.progress and self.progress.quiz_passed_at)

    @property
    def approved(self) -> bool:
        return bool(self.progress and self.progress.assignment_approved_at)

    @property
    def complete(self) -> bool:
        return bool(self.progress and self.progress.completed_at)

    @property
    def status(self) -> ModuleStatus | None:
        if self.complete:
            return ModuleStatus.COMPLETE
        return ModuleStatus.LOCKED if self.locked else None

    @property
    def handed_in(self) -> bool:
        return self.submission_status in HANDED_IN

    @property
    def waiting_for_trainer(self) -> bool:
        return self.submission_status in WAITING

    @property
    def ready_for_next(self) -> bool:
        """What opens the next module in a sequential course: read, quiz passed,
        assignment submitted (the trainer's approval is not waited for)."""
        m = self.module
        return (self.read or not m.has_reading) and (self.quiz_passed or not m.has_quiz) \
            and (self.handed_in or self.approved or not m.has_assignment)

    @property
    def steps(self) -> tuple[int, int]:
        """(done, total) of the parts a learner can finish: reading, quiz, approved assignment."""
        m, done, total = self.module, 0, 0
        if m.has_reading:
            total += 1
            done += self.read
        if m.has_quiz:
            total += 1
            done += self.quiz_passed
        if m.has_assignment:
            total += 1
            done += self.approved
        return done, total

    @property
    def next_part(self) -> str | None:
        """'reading', 'quiz' or 'assignment': what to do next here; None when nothing is left to do now."""
        m = self.module
        if m.has_reading and not self.read:
            return "reading"
        if m.has_quiz and not self.quiz_passed and self.quiz_block is None:
            return "quiz"
        if m.has_assignment and not self.handed_in and not self.approved:
            return "assignment"
        if m.has_assignment and self.submission_status == SubmissionStatus.REVISION_REQUESTED:
            return "assignment"
        return None


@dataclass
class CourseState:
    enrolment: Enrolment
    course: Course
    modules: list[ModuleState] = field(default_factory=list)
    # Who reviews this learner's waiting work (names); empty: the platform admin does.
    # Filled only when something is waiting, so no page promises a trainer who does not exist.
    reviewers: list[str] = field(default_factory=list)
    # The live-attendance requirement and how far the learner is (issue 13); filled only
    # for courses that require attendance (course.yml `attendance:`).
    attendance: object | None = None  # course.attendance.queries.RequirementStatus

    @property
    def reviewed_by(self) -> str:
        """"Tom Trainer" or "Tom Trainer of Anna Smit" in the page's language; "" for the admin."""
        from babel.lists import format_list
        from flask_babel import get_locale

        return format_list(self.reviewers, style="or", locale=str(get_locale() or "nl")) if self.reviewers else ""

    def module(self, slug: str) -> ModuleState | None:
        return next((s for s in self.modules if s.module.slug == slug), None)

    def _steps(self) -> tuple[int, int]:
        done = total = 0
        for state in self.modules:
            module_done, module_total = state.steps
            done += module_done
            total += module_total
        return done, total

    @property
    def percent(self) -> int:
        if self.enrolment.completed_at is not None:
            return 100
        done, total = self._steps()
        return round(100 * done / total) if total else 0

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def waiting_percent(self) -> int:
        """The share of the parts handed in and waiting for the trainer's feedback: the bar's
        own segment after `percent`, so submitting shows progress before the review."""
        if self.completed:
            return 0
        done, total = self._steps()
        waiting = sum(1 for s in self.modules if s.waiting_for_trainer and s.module.has_assignment)
        return max(0, round(100 * (done + waiting) / total) - round(100 * done / total)) if total else 0

    @property
    def fresh(self) -> bool:
        """Nothing done yet (no reading, quiz, draft or submission): "Begin met de cursus"
        and the welcome instead of "Ga verder waar je was"."""
        return not self.completed and not any(
            s.read or s.quiz_passed or s.submission_status is not None or s.progress is not None
            for s in self.modules)

    @property
    def next_step(self) -> tuple[str, ModuleState | None]:
        """('reading'|'quiz'|'assignment', state) for "Ga verder waar je was": never a
        part the learner cannot do now. ('stuck', state) when a quiz that cannot be
        taken now is all that is left (state.quiz_block says why), ('waiting', None)
        when only the trainer can move things on, ('done', None)."""
        stuck = None
        for state in self.modules:
            if state.locked:
                break
            part = state.next_part
            if part is not None:
                return part, state
            if stuck is None and state.quiz_block is not None and not state.quiz_passed:
                stuck = state
        if not self.completed and self.attendance is not None and not self.attendance.met \
                and all(s.complete for s in self.modules):
            return "attendance", None
        if self.completed or all(s.complete for s in self.modules):
            return "done", None
        if stuck is not None:
            return "stuck", stuck
        return "waiting", None

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None


def enrolment_for(user, course_slug: str) -> Enrolment | None:
    """The user's own enrolment in this course (with its course and its group and the
    group's organisation, which the pages link to and the team-plan consent names), or
    None (→ 404). One query. The course pages and the learner's workbook load through it."""
    if not permissions.can_study_own(user):
        return None
    return db.session.scalar(_enrolment_for_statement(), {"user_id": user.id, "course_slug": course_slug})


@built_once()
def _enrolment_for_statement() -> sa.Select:
    """enrolment_for's query, built once per process (see _states_statement)."""
    return (sa.select(Enrolment).join(Course).options(contains_eager(Enrolment.course),
                                                      joinedload(Enrolment.cohort).joinedload(Cohort.organisation))
            .where(permissions.enrolments_studied_by_id(sa.bindparam("user_id")),
                   Course.slug == sa.bindparam("course_slug")))


def _quiz_facts() -> list:
    """Per (enrolment, module) row of the state query: attempts used, when the latest
    one failed, and the trainer's active overrides (extra attempts, cooling-off lifted).
    Correlated subqueries, so the attempt rules cost no query of their own."""
    def same(model):
        return sa.and_(model.enrolment_id == Enrolment.id, model.module_id == CourseModule.id)

    active = sa.and_(same(Override), Override.revoked_at.is_(None))
    return [
        sa.select(sa.func.count(QuizAttempt.id)).where(same(QuizAttempt)).scalar_subquery(),
        sa.select(sa.case((QuizAttempt.passed.is_(False), QuizAttempt.submitted_at), else_=sa.null()))
        .where(same(QuizAttempt)).order_by(QuizAttempt.number.desc()).limit(1).scalar_subquery(),
        sa.select(sa.func.coalesce(sa.func.sum(Override.amount), 0))
        .where(active, Override.kind == OverrideKind.EXTRA_ATTEMPTS).scalar_subquery(),
        sa.select(sa.func.max(Override.created_at))
        .where(active, Override.kind == OverrideKind.LIFT_COOLDOWN).scalar_subquery(),
    ]


def _quiz_blocks(rows, courses) -> dict[tuple[int, int], attempts.Allowance]:
    """{(enrolment_id, module_id): Allowance} for quizzes that cannot be taken now, from
    the facts the state query brought along. The overrides found are remembered for
    the rest of the request (attempts.grants_for), so the quiz page asks no second time."""
    now = utcnow()
    blocks = {}
    grants: dict[int, dict] = {eid: {} for eid in courses}
    for eid, mid, used, failed_at, extra, lifted in rows:
        grant = attempts.Grant(int(extra or 0), lifted) if (extra or lifted) else attempts.NO_GRANT
        if grant is not attempts.NO_GRANT:
            grants[eid][(eid, mid)] = grant
        if used:
            rule = attempts.allowance(courses[eid], used, failed_at, grant, now)
            if not rule.allowed:
                blocks[(eid, mid)] = rule
    for eid, found in grants.items():
        request_cache.remember(("quiz_grants", (eid,)), found)
    return blocks


def attempts_of_enrolments(enrolment_ids) -> list[QuizAttempt]:
    """Every quiz attempt of these enrolments, by number: one query, once per GET request."""
    ids = tuple(sorted(enrolment_ids))
    return request_cache.cached(("attempts", ids), lambda: list(db.session.scalars(
        _attempts_statement(), {"enrolment_ids": list(ids)})))


@built_once()
def _attempts_statement() -> sa.Select:
    """attempts_of_enrolments' query, built once per process (see _states_statement)."""
    return (sa.select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(sa.bindparam("enrolment_ids", expanding=True)))
            .order_by(QuizAttempt.number))


# The module columns a light course state leaves unloaded (Mijn leren shows none of
# them): the reading as HTML and Markdown, its table of contents, images and summary.
# The database says whether there is a reading; the quiz and the assignment do come
# (has_quiz and has_assignment read them: asking SQLite's JSON functions instead cost
# more than decoding them here).
_READING_COLUMNS = ("reading_html", "reading_md", "reading_toc", "media", "remember")


@built_once((False, False), (True, False), (False, True), (True, True))
def _states_statement(with_quiz_facts: bool, light: bool = False) -> sa.Select:
    """course_states' query, built once per process with the enrolment ids as a bound
    parameter: a statement used again also keeps its SQL cache key, which cost more
    CPU to build than the query takes to run (issue 16). `light`: the modules without
    their reading (_READING_COLUMNS), with whether they have one."""
    statement = (sa.select(Enrolment.id, CourseModule, ModuleProgress, Submission.status, Submission.decided_at,
                           *([sa.func.coalesce(sa.func.length(CourseModule.reading_html), 0) > 0] if light else []),
                           *(_quiz_facts() if with_quiz_facts else []))
            .join(CourseModule, CourseModule.course_id == Enrolment.course_id)
            .outerjoin(ModuleProgress, sa.and_(ModuleProgress.enrolment_id == Enrolment.id,
                                               ModuleProgress.module_id == CourseModule.id))
            .outerjoin(Submission, sa.and_(Submission.enrolment_id == Enrolment.id,
                                           Submission.module_id == CourseModule.id))
            .where(Enrolment.id.in_(sa.bindparam("enrolment_ids", expanding=True)), CourseModule.is_active.is_(True))
            .order_by(CourseModule.course_id, CourseModule.position, Enrolment.id))
    if light:
        statement = statement.options(*(defer(getattr(CourseModule, name)) for name in _READING_COLUMNS))
    return statement


def course_states(enrolments: list[Enrolment], reviewers: bool = True, light: bool = False) -> list[CourseState]:
    """Progress of several enrolments (courses loaded with them): one query for the
    modules with their progress rows, submission statuses and, when a course limits
    quiz attempts, the attempt facts; one more when work waits for review. `light`: the
    modules without their reading (it loads, one query per module, if asked), for a
    page that only needs to know which parts each module has."""
    if not enrolments:
        return []
    enrolment_ids = [e.id for e in enrolments]
    modules_by_course: dict[int, list[CourseModule]] = defaultdict(list)
    progress: dict[tuple[int, int], ModuleProgress] = {}
    statuses: dict[tuple[int, int], SubmissionStatus] = {}
    seen_modules: set[int] = set()
    limited = {e.id: e.course for e in enrolments if e.course.quiz_max_attempts or e.course.quiz_cooldown_minutes}
    facts = []
    decisions: dict[tuple[int, int], datetime] = {}
    for enrolment_id, module, module_progress, status, decided_at, *quiz in db.session.execute(
        _states_statement(bool(limited), light), {"enrolment_ids": enrolment_ids}
    ):
        if light:
            has_reading, *quiz = quiz
        if module.id not in seen_modules:
            seen_modules.add(module.id)
            modules_by_course[module.course_id].append(module)
            if light:
                module.keep_reading_flag(has_reading)
        if module_progress is not None:
            progress[(enrolment_id, module.id)] = module_progress
        if status is not None:
            statuses[(enrolment_id, module.id)] = status
            decisions[(enrolment_id, module.id)] = decided_at
        if quiz and enrolment_id in limited and module.has_quiz:
            facts.append((enrolment_id, module.id, *quiz))
    blocks = _quiz_blocks(facts, limited) if limited else {}
    states = []
    for enrolment in enrolments:
        state = CourseState(enrolment, enrolment.course)
        blocker = None
        for module in modules_by_course[enrolment.course_id]:
            key = (enrolment.id, module.id)
            ms = ModuleState(module, progress.get(key), statuses.get(key), quiz_block=blocks.get(key),
                             decided_at=decisions.get(key))
            if enrolment.course.sequential and blocker is not None:
                ms.locked, ms.blocked_by = True, blocker
            elif enrolment.course.sequential and not ms.ready_for_next:
                blocker = module
            state.modules.append(ms)
        states.append(state)
    if reviewers:  # Mijn leren asks for them with its news instead (news_for)
        _fill_reviewers([s for s in states if any(m.waiting_for_trainer for m in s.modules)])
    _fill_attendance([s for s in states if s.course.requires_attendance])
    return states


def _fill_attendance(states: list[CourseState]) -> None:
    """One query, and only when a course requires live attendance."""
    if not states:
        return
    from course.attendance import queries as attendance

    found = attendance.summaries((s.enrolment.user_id, s.course.id) for s in states)
    for state in states:
        state.attendance = attendance.RequirementStatus(state.course, found[(state.enrolment.user_id, state.course.id)])


def _fill_reviewers(states: list[CourseState]) -> None:
    """One query, and only when some work waits for review."""
    from course.staff.services import reviewer_names

    names = reviewer_names([s.enrolment.id for s in states])
    for state in states:
        state.reviewers = names.get(state.enrolment.id, [])


def trainers_of(enrolment: Enrolment) -> list[str]:
    """The names of the trainers who review this enrolment's work (the welcome); empty:
    the platform admin does. One query."""
    from course.staff.services import reviewer_names

    return reviewer_names([enrolment.id]).get(enrolment.id, [])


def course_state(enrolment: Enrolment) -> CourseState:
    """One enrolment's state; computed once per GET request (the route's module lookup
    and the page both ask), fresh after any write."""
    return request_cache.cached(("course_state", enrolment.id), lambda: course_states([enrolment])[0])


def learner_courses(user, reviewers: bool = True, light: bool = False) -> list[CourseState]:
    """Every course the user is enrolled in, most recently active first: four queries
    (three without `reviewers`: then the caller fills CourseState.reviewers itself).
    `light`: see course_states."""
    if not permissions.can_study_own(user):  # enrolments_studied_by: nobody's enrolments
        return []
    enrolments = db.session.scalars(_learner_courses_statement(), {"user_id": user.id}).all()
    return course_states(list(enrolments), reviewers=reviewers, light=light)


@built_once()
def _learner_courses_statement() -> sa.Select:
    """learner_courses' query, built once per process (see _states_statement)."""
    return (sa.select(Enrolment).options(joinedload(Enrolment.course))
            .where(permissions.enrolments_studied_by_id(sa.bindparam("user_id")))
            .order_by(sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at).desc()))


def catalogue_courses() -> list[Course]:
    """Active courses with their active modules (the steps), in two queries."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(
        sa.select(Course).where(Course.is_active.is_(True)).options(selectinload(Course.modules))
        .order_by(Course.title)
    ))
