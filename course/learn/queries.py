"""The learner area's read side: progress, feedback and media, built with a fixed number of queries.

`course_states(enrolments)` costs two queries however many courses and modules
there are (modules with their progress rows and submissions, plus the enrolments
the caller loaded), and one more, for who reviews, when some work waits for review; so
"Mijn leren" and the course overview never grow with the data.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, joinedload

from course import permissions, request_cache
from course.badges import queries as badge_queries
from course.content.questions import Grade, Verdict
from course.content.spec import IMAGE_TYPES, SLUG
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
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    utcnow,
)

from . import attempts

WAITING = (SubmissionStatus.SUBMITTED,)
HANDED_IN = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVISION_REQUESTED, SubmissionStatus.APPROVED)


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
        m = self.module
        parts = [(m.has_reading, self.read), (m.has_quiz, self.quiz_passed), (m.has_assignment, self.approved)]
        return sum(1 for has, done in parts if has and done), sum(1 for has, _ in parts if has)

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

    @property
    def percent(self) -> int:
        done = sum(s.steps[0] for s in self.modules)
        total = sum(s.steps[1] for s in self.modules)
        if self.enrolment.completed_at is not None:
            return 100
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
        total = sum(s.steps[1] for s in self.modules)
        waiting = sum(1 for s in self.modules if s.module.has_assignment and s.waiting_for_trainer)
        done = sum(s.steps[0] for s in self.modules)
        return max(0, round(100 * (done + waiting) / total) - self.percent) if total else 0

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
    return db.session.scalar(
        sa.select(Enrolment).join(Course).options(contains_eager(Enrolment.course),
                                                  joinedload(Enrolment.cohort).joinedload(Cohort.organisation))
        .where(permissions.enrolments_studied_by(user), Course.slug == course_slug)
    )


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
        sa.select(QuizAttempt).where(QuizAttempt.enrolment_id.in_(ids)).order_by(QuizAttempt.number))))


def course_states(enrolments: list[Enrolment], reviewers: bool = True) -> list[CourseState]:
    """Progress of several enrolments (courses loaded with them): one query for the
    modules with their progress rows, submission statuses and, when a course limits
    quiz attempts, the attempt facts; one more when work waits for review."""
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
        sa.select(Enrolment.id, CourseModule, ModuleProgress, Submission.status, Submission.decided_at,
                  *(_quiz_facts() if limited else []))
        .join(CourseModule, CourseModule.course_id == Enrolment.course_id)
        .outerjoin(ModuleProgress, sa.and_(ModuleProgress.enrolment_id == Enrolment.id,
                                           ModuleProgress.module_id == CourseModule.id))
        .outerjoin(Submission, sa.and_(Submission.enrolment_id == Enrolment.id,
                                       Submission.module_id == CourseModule.id))
        .where(Enrolment.id.in_(enrolment_ids), CourseModule.is_active.is_(True))
        .order_by(CourseModule.course_id, CourseModule.position, Enrolment.id)
    ):
        if module.id not in seen_modules:
            seen_modules.add(module.id)
            modules_by_course[module.course_id].append(module)
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


def learner_courses(user, reviewers: bool = True) -> list[CourseState]:
    """Every course the user is enrolled in, most recently active first: four queries
    (three without `reviewers`: then the caller fills CourseState.reviewers itself)."""
    enrolments = db.session.scalars(
        sa.select(Enrolment).options(joinedload(Enrolment.course)).where(permissions.enrolments_studied_by(user))
        .order_by(sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at).desc())
    ).all()
    return course_states(list(enrolments), reviewers=reviewers)


def catalogue_courses() -> list[Course]:
    """Active courses with their active modules (the steps), in two queries."""
    from sqlalchemy.orm import selectinload

    return list(db.session.scalars(
        sa.select(Course).where(Course.is_active.is_(True)).options(selectinload(Course.modules))
        .order_by(Course.title)
    ))


def media_folder(course, module_slug: str, filename: str) -> Path | None:
    """The module folder holding `filename`, if it is an image that may be served."""
    if not SLUG.match(module_slug) or "/" in filename or "\\" in filename or filename.startswith("."):
        return None
    if Path(filename).suffix.lower() not in IMAGE_TYPES or not course.source_path:
        return None
    folder = Path(course.source_path) / module_slug
    target = folder / filename
    # a symbolic link may not lead out of the module folder (the content check refuses it too)
    if not target.is_file() or target.resolve().parent != folder.resolve():
        return None
    return folder


def submission_with_reviews(enrolment, module) -> Submission | None:
    """The submission with its versions, reviews, reviewers and scores: one query."""
    review = joinedload(Submission.versions).joinedload(SubmissionVersion.review)
    return db.session.execute(
        sa.select(Submission).where(Submission.enrolment_id == enrolment.id, Submission.module_id == module.id)
        .options(review.joinedload(Review.scores), review.joinedload(Review.reviewer))
    ).unique().scalar()


def feedback_history(submission: Submission | None, module) -> list[dict]:
    """The trainer's reviews, newest first, with rubric titles resolved."""
    if submission is None:
        return []
    assignment = module.assignment_spec
    history = []
    for version in reversed(submission.versions):
        review = version.review
        if review is None:
            continue
        scores = []
        for score in review.scores:
            criterion = assignment.criterion(score.criterion_id) if assignment else None
            level = criterion.level(score.level_id) if criterion else None
            scores.append({"criterion_id": score.criterion_id,
                           "criterion": criterion.title if criterion else score.criterion_id,
                           "level": level.title if level else score.level_id, "points": score.points,
                           "max": criterion.max_points if criterion and criterion.levels else score.points,
                           "comment": score.comment})
        history.append({"version": version, "review": review, "scores": scores})
    return history


@dataclass
class LatestFeedback:
    """The assignment page's top: the latest decision, its rubric comments beside the
    field they concern (a criterion whose id is a field id), the rest under the decision."""

    item: dict                                   # one entry of feedback_history
    by_field: dict[str, list[dict]]              # {field_id: [score]}
    general: list[dict]                          # the scores that concern no one field
    earlier: list[dict]                          # older decisions, newest first


def latest_feedback(feedback: list[dict], module) -> LatestFeedback | None:
    """None before the first decision."""
    if not feedback:
        return None
    assignment = module.assignment_spec
    fields = {f.id for f in assignment.fields} if assignment else set()
    by_field: dict[str, list[dict]] = defaultdict(list)
    general = []
    for score in feedback[0]["scores"]:
        if score["criterion_id"] in fields:
            by_field[score["criterion_id"]].append(score)
        else:
            general.append(score)
    return LatestFeedback(feedback[0], dict(by_field), general, feedback[1:])


def attempt_verdict(attempt, question_id: str, grade: Grade) -> Verdict:
    """Right as it was graded when submitted (stored); otherwise partly right or wrong,
    as the answer reads against the quiz as it is now."""
    if (attempt.results or {}).get(question_id):
        return Verdict.CORRECT
    return Verdict.PARTIAL if grade.verdict is not Verdict.WRONG else Verdict.WRONG


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
    from sqlalchemy.orm import aliased

    from course.models import BadgeAssertion, BadgeClass, DiscussionFollow, DiscussionRead, DiscussionThread, User

    badges = (sa.select(sa.literal("badge").label("kind"), BadgeAssertion.issued_at.label("happened_at"),
                        BadgeClass.name.label("title"), BadgeAssertion.public_id.label("pid"))
              .join(BadgeClass, BadgeClass.id == BadgeAssertion.badge_class_id)
              .where(BadgeAssertion.user_id == user.id, BadgeAssertion.revoked_at.is_(None),
                     BadgeAssertion.issued_at >= since))
    groups = [sa.and_(DiscussionThread.course_id == s.course.id,
                      DiscussionThread.cohort_id.is_(None) if s.enrolment.cohort_id is None
                      else DiscussionThread.cohort_id == s.enrolment.cohort_id) for s in states]
    statement = badges
    if groups:
        replies = (sa.select(sa.literal("reply").label("kind"), DiscussionThread.last_post_at.label("happened_at"),
                             DiscussionThread.title.label("title"), DiscussionThread.public_id.label("pid"))
                   .join(DiscussionFollow, sa.and_(DiscussionFollow.thread_id == DiscussionThread.id,
                                                   DiscussionFollow.user_id == user.id))
                   .outerjoin(DiscussionRead, sa.and_(DiscussionRead.thread_id == DiscussionThread.id,
                                                      DiscussionRead.user_id == user.id))
                   .where(sa.or_(*groups), DiscussionThread.last_post_at >= since,
                          sa.or_(DiscussionRead.read_until.is_(None),
                                 DiscussionThread.last_post_at > DiscussionRead.read_until)))
        statement = sa.union_all(badges, replies)
    waiting = {s.enrolment.public_id: s for s in states
               if not s.reviewers and any(m.waiting_for_trainer for m in s.modules)}
    if waiting:
        trainer = aliased(User)
        names = (sa.select(sa.literal("reviewer").label("kind"), sa.cast(sa.null(), sa.DateTime).label("happened_at"),
                           trainer.name.label("title"), Enrolment.public_id.label("pid"))
                 .select_from(Enrolment).join(trainer, permissions.trainer_reviews_enrolment(trainer))
                 .where(Enrolment.public_id.in_(list(waiting))))
        statement = sa.union_all(*statement.selects, names) if isinstance(statement, sa.CompoundSelect) \
            else sa.union_all(statement, names)
    items, reviewers = [], defaultdict(list)
    for kind, at, title, pid in db.session.execute(statement.order_by(sa.text("happened_at DESC"))):
        if kind == "reviewer":
            reviewers[pid].append(title)
        else:
            items.append(NewsItem(kind, at, title, public_id=pid))
    for pid, state in waiting.items():
        state.reviewers = sorted(reviewers.get(pid, []))
    return items


# ---- the course finished ------------------------------------------------------------


def finished_context(enrolment: Enrolment) -> dict:
    """What the "course completed" page shows: the certificate (one query), whether it
    stands, its LinkedIn link and issuer."""
    from course.models import Certificate

    certificate = db.session.scalar(sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id))
    valid = certificate is not None and badge_queries.certificate_is_valid(certificate)
    return {"certificate": certificate, "certificate_valid": valid,
            "linkedin": badge_queries.linkedin_url(certificate) if valid else "",
            "issuer": badge_queries.issuer_name(enrolment.course)}


# ---- Mijn badges: the trophy shelf --------------------------------------------------


@dataclass
class ShelfSlot:
    """A badge place on the shelf: a module's (module set) or the course's (module None)."""

    title: str
    module: CourseModule | None = None
    assertion: object | None = None  # the learner's standing BadgeAssertion, None: still to earn


@dataclass
class ShelfRow:
    """One course on the shelf: every badge it offers, earned or still open."""

    course: Course
    slots: list[ShelfSlot] = field(default_factory=list)

    @property
    def earned(self) -> int:
        return sum(1 for slot in self.slots if slot.assertion is not None)


def trophy_shelf(user, assertions) -> list[ShelfRow]:
    """The courses the learner studies with a place per module badge (in module order) and
    one for the course badge; badge classes are made when first earned, so the places come
    from the modules: one query. `assertions`: the learner's badges, loaded by the page
    (a revoked one leaves its place open)."""
    course_key = badge_queries.COURSE_KEY
    mine = {(a.badge_class.course_id, a.badge_class.key): a for a in assertions if a.revoked_at is None}
    rows: dict[int, ShelfRow] = {}
    for course, module in db.session.execute(
        sa.select(Course, CourseModule).join(Enrolment, Enrolment.course_id == Course.id)
        .join(CourseModule, sa.and_(CourseModule.course_id == Course.id, CourseModule.is_active.is_(True)))
        .where(permissions.enrolments_studied_by(user))
        .order_by(Course.title, Course.id, CourseModule.position)
    ):
        row = rows.setdefault(course.id, ShelfRow(course))
        row.slots.append(ShelfSlot(module.title, module, mine.get((course.id, module.slug))))
    for row in rows.values():
        row.slots.append(ShelfSlot(row.course.title, None, mine.get((row.course.id, course_key))))
    return list(rows.values())
