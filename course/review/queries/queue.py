"""Read side of the trainer dashboard: the review queue and the review page.

Every list is scoped through the policy filters in course/permissions.py and uses
a fixed number of queries, whatever the number of rows.
"""
import dataclasses
import functools
import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import defer, joinedload

from course import permissions, request_cache
from course.content.model import Assignment, Criterion
from course.extensions import db
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    FeedbackSnippet,
    Organisation,
    Review,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)
from course.pagination import Page
from course.statements import built_once

from ..dates import feedback_due, is_overdue
from ..diff import diff_fields

PER_PAGE = 25
STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.REVISION_REQUESTED, SubmissionStatus.APPROVED)


@dataclass
class QueueFilters:
    status: str = SubmissionStatus.SUBMITTED.value
    course: str = ""  # Course.slug
    module: str = ""  # "<course slug>/<module slug>"
    organisation: str = ""  # Organisation.public_id
    cohort: str = ""  # Cohort.public_id
    q: str = ""
    trainer: str = ""  # "none": only work that no trainer sees ("zonder trainer"), for platform admins

    def args(self) -> dict:
        """The non-empty filters, for links that keep them (pagination)."""
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class QueueItem:
    submission: Submission
    learner: User
    module: CourseModule
    course: Course
    cohort: Cohort | None
    organisation: Organisation | None
    version_number: int
    waited: timedelta | None
    due_on: date | None
    overdue: bool
    without_trainer: bool = False

    @property
    def is_resubmission(self) -> bool:
        return self.version_number > 1


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_Trainer = permissions.TrainerKey


def _visible_submissions(user_id: int, role, joined: bool = False) -> sa.ColumnElement[bool]:
    return _visible_submissions_on(user_id, role, joined, db.session.get_bind().dialect.name)


@functools.lru_cache(maxsize=2048)
def _visible_submissions_on(user_id: int, role, joined: bool, dialect: str) -> sa.ColumnElement[bool]:
    """`permissions.submissions_visible_to`, with the enrolment scope as an IN on the
    trainer's enrolments: both databases then start from those enrolments (and the index
    on submission (enrolment_id, status)) instead of every submission with that status,
    each joined to its enrolment (issue 16). Built once per process, trainer and role: it
    holds only the user id.

    `joined` (PostgreSQL): the statement joins each submission's enrolment already (the
    queue's page), so the scope filters that enrolment itself. With the IN, PostgreSQL
    read the enrolments a second time and spent 13-20 ms planning the page's eight-table
    join and 10 ms running it, against 3 and 6 with the scope on the joined enrolment
    (10,000 learners); SQLite is faster with the IN (8 against 15 CPU ms for the page).
    The same rows either way: the joined enrolment is the submission's.

    Otherwise, on PostgreSQL, the IN reads the trainer's enrolments as a UNION ALL
    (`permissions.reviewed_enrolment_ids`: an index per branch) instead of the OR, which
    read every enrolment (2-7 ms of each count at 10,000 learners); SQLite keeps the OR."""
    scope = permissions.enrolments_visible_to_trainer(_Trainer(user_id, role))
    not_draft = Submission.status != SubmissionStatus.DRAFT
    if isinstance(scope, sa.sql.elements.True_):  # platform admins: everything
        return not_draft
    if joined:
        return sa.and_(scope, not_draft)
    if dialect == "postgresql" and not isinstance(scope, sa.sql.elements.False_):
        return sa.and_(Submission.enrolment_id.in_(permissions.reviewed_enrolment_ids(_Trainer(user_id, role))),
                       not_draft)
    # never correlated to an enrolment of the enclosing query: the trainer's own set
    return sa.and_(Submission.enrolment_id.in_(sa.select(Enrolment.id).where(scope).correlate(None)), not_draft)


def _queue_where(user, filters: QueueFilters, joined: bool = False) -> tuple[list, set]:
    """The filter clauses, and the tables besides submission and enrolment they need
    (`joined`: the statement joins the submission's enrolment, see _visible_submissions)."""
    clauses = [_visible_submissions(user.id, user.role, joined)]
    tables = set()
    clauses.append(Submission.status == (filters.status or SubmissionStatus.SUBMITTED.value))
    if filters.course:
        clauses.append(Course.slug == filters.course)
        tables.add(Course)
    if filters.module and "/" in filters.module:
        course_slug, module_slug = filters.module.split("/", 1)
        clauses += [Course.slug == course_slug, CourseModule.slug == module_slug]
        tables |= {Course, CourseModule}
    if filters.organisation:
        clauses.append(Organisation.public_id == filters.organisation)
        tables |= {Cohort, Organisation}
    if filters.cohort:
        clauses.append(Cohort.public_id == filters.cohort)
        tables.add(Cohort)
    if filters.q.strip():
        clauses.append(User.name.ilike(f"%{_escape_like(filters.q.strip())}%", escape="\\"))
        tables.add(User)
    if filters.trainer == "none" and permissions.can_see_unassigned_work(user):
        clauses.append(permissions.enrolments_without_trainer())
        tables.add(Enrolment)
    return clauses, tables


_ALL_TABLES = frozenset({Enrolment, User, CourseModule, Course, Cohort, Organisation})


def _queue_joins(stmt, tables=_ALL_TABLES):
    """Submission joined to the tables asked for, through its enrolment. The inner joins
    follow foreign keys that are NOT NULL, the outer ones may find nothing: neither changes
    the number of rows, so the count joins only what its filters need."""
    if not tables:
        return stmt
    stmt = stmt.join(Enrolment, Submission.enrolment_id == Enrolment.id)
    if User in tables:
        stmt = stmt.join(User, Enrolment.user_id == User.id)
    if CourseModule in tables:
        stmt = stmt.join(CourseModule, Submission.module_id == CourseModule.id)
    if Course in tables:
        stmt = stmt.join(Course, Enrolment.course_id == Course.id)
    if Cohort in tables or Organisation in tables:
        stmt = stmt.outerjoin(Cohort, Enrolment.cohort_id == Cohort.id)
    if Organisation in tables:
        stmt = stmt.outerjoin(Organisation, Cohort.organisation_id == Organisation.id)
    return stmt


def _counts_all_waiting(filters: QueueFilters) -> bool:
    """Whether the queue's total is everything waiting for this trainer (no filter set)."""
    return (filters.status in ("", SubmissionStatus.SUBMITTED.value) and not filters.course and not filters.module
            and not filters.organisation and not filters.cohort and not filters.q.strip() and filters.trainer != "none")


@dataclass(frozen=True, slots=True)
class _Learner:
    name: str


@dataclass(frozen=True, slots=True)
class _Module:
    title: str


@dataclass(frozen=True, slots=True)
class _Course:
    title: str
    feedback_days: int


@dataclass(frozen=True, slots=True)
class _Cohort:
    name: str


@dataclass(frozen=True, slots=True)
class _Organisation:
    name: str


@dataclass(frozen=True, slots=True)
class _Submission:
    id: int
    public_id: str
    status: SubmissionStatus
    submitted_at: datetime | None
    feedback_due_on: date | None
    decided_at: datetime | None


_VERSION_NUMBER = (sa.select(sa.func.max(SubmissionVersion.number))
                   .where(SubmissionVersion.submission_id == Submission.id)
                   .correlate(Submission).scalar_subquery())
_PAGE_COLUMNS = (Submission.id, Submission.public_id, Submission.status, Submission.submitted_at,
                 Submission.feedback_due_on, Submission.decided_at, User.name.label("learner_name"),
                 CourseModule.title.label("module_title"), Course.title.label("course_title"), Course.feedback_days,
                 Cohort.id.label("cohort_id"), Cohort.name.label("cohort_name"),
                 Organisation.name.label("organisation_name"), _VERSION_NUMBER.label("version_number"))


# The queue's statements are built once per process, trainer, role, filters and page
# (issue 16): building them, and SQLAlchemy's cache key of each (remembered on the
# statement), cost more CPU than running them. They hold only the user id and the filter
# values; the rows are read from the database each time.

@functools.lru_cache(maxsize=256)
def _count_statement(user_id: int, role, filters_key: tuple) -> sa.Select:
    where, tables = _queue_where(_Trainer(user_id, role), QueueFilters(*filters_key))
    return _queue_joins(sa.select(sa.func.count(Submission.id)).select_from(Submission), tables).where(*where)


@functools.lru_cache(maxsize=256)
def _page_statement(user_id: int, role, filters_key: tuple, limit: int, offset: int,
                    joined: bool = False) -> sa.Select:
    """`joined`: the scope on the joined enrolment (PostgreSQL; see _visible_submissions)."""
    trainer, filters = _Trainer(user_id, role), QueueFilters(*filters_key)
    where, _tables = _queue_where(trainer, filters, joined)  # _queue_joins joins every table
    if filters.status == SubmissionStatus.APPROVED.value:
        order = [Submission.decided_at.desc(), Submission.id.desc()]
    else:
        order = [Submission.submitted_at.asc(), Submission.id.asc()]
    without_trainer = (permissions.enrolments_without_trainer() if permissions.can_see_unassigned_work(trainer)
                       else sa.false())
    return (_queue_joins(sa.select(*_PAGE_COLUMNS, without_trainer.label("without_trainer")).select_from(Submission))
            .where(*where).order_by(*order).limit(limit).offset(offset))


def queue_page(user, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE,
               now: datetime | None = None) -> Page:
    """The review queue: two queries (count and page), whatever its size. The rows are
    the columns the queue shows, not whole entities (issue 16): an item's submission,
    learner, module, course, cohort and organisation are small read-only records."""
    now = now or utcnow()
    key = dataclasses.astuple(filters)
    total = db.session.scalar(_count_statement(user.id, user.role, key))
    if _counts_all_waiting(filters):
        # the navigation's "7 te beoordelen" (waiting_count) is this same number: the
        # layout need not count again in this request (issue 16)
        request_cache.remember(("nav_counter", "review_waiting", user.id), total or 0)
    page = max(1, min(page, max(1, math.ceil((total or 0) / per_page))))
    joined = db.session.get_bind().dialect.name == "postgresql"
    rows = db.session.execute(_page_statement(user.id, user.role, key, per_page, (page - 1) * per_page,
                                              joined)).all()
    today = now.date()
    items = []
    courses: dict = {}
    for row in rows:
        (sid, public_id, status, submitted_at, feedback_due_on, decided_at, learner_name, module_title,
         course_title, feedback_days, cohort_id, cohort_name, organisation_name, number, unseen) = row
        course = courses.get((course_title, feedback_days))
        if course is None:
            course = courses[(course_title, feedback_days)] = _Course(course_title, feedback_days)
        due = feedback_due(submitted_at, feedback_days, feedback_due_on)
        waiting = status == SubmissionStatus.SUBMITTED
        items.append(QueueItem(
            submission=_Submission(sid, public_id, status, submitted_at, feedback_due_on, decided_at),
            learner=_Learner(learner_name), module=_Module(module_title), course=course,
            cohort=_Cohort(cohort_name) if cohort_id is not None else None,
            organisation=_Organisation(organisation_name) if organisation_name is not None else None,
            version_number=number or 0,
            waited=(now - submitted_at) if waiting and submitted_at else None,
            due_on=due, overdue=waiting and is_overdue(due, today), without_trainer=bool(unseen),
        ))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


class CourseOption(NamedTuple):
    slug: str
    title: str


class OrganisationOption(NamedTuple):
    id: int
    public_id: str
    name: str


class CohortOption(NamedTuple):
    public_id: str
    name: str
    organisation: OrganisationOption


@dataclass
class FilterOptions:
    courses: list[CourseOption] = field(default_factory=list)
    modules: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    organisations: list[OrganisationOption] = field(default_factory=list)
    cohorts: list[CohortOption] = field(default_factory=list)
    unassigned: bool = False  # offer the "zonder trainer" filter


@functools.lru_cache(maxsize=2048)
def _filter_statements(user_id: int, role) -> tuple[sa.Select, sa.Select]:
    """The filter options' two statements, built once per process, trainer and role."""
    trainer = _Trainer(user_id, role)
    courses = (sa.select(Course.id, Course.slug, Course.title, CourseModule.slug, CourseModule.title,
                         CourseModule.assignment)
               .outerjoin(CourseModule, CourseModule.course_id == Course.id)
               .where(permissions.courses_reviewed_by(trainer, Course.id))
               .order_by(Course.title, Course.id, CourseModule.position))
    cohorts = (sa.select(Cohort.public_id, Cohort.name, Organisation.id, Organisation.public_id, Organisation.name)
               .join(Organisation, Cohort.organisation_id == Organisation.id)
               .where(permissions.cohorts_reviewed_by(trainer)).order_by(Cohort.name, Cohort.id))
    return courses, cohorts


def filter_options(user) -> FilterOptions:
    """The choices for the queue's filters: two queries, of the columns the filters show
    (issue 16: not whole courses, modules and cohorts)."""
    course_statement, cohort_statement = _filter_statements(user.id, user.role)
    rows = db.session.execute(course_statement).all()
    courses, modules, seen = [], [], set()
    for course_id, course_slug, course_title, module_slug, module_title, assignment in rows:
        if course_id not in seen:
            seen.add(course_id)
            courses.append(CourseOption(course_slug, course_title))
        if assignment and assignment.get("fields"):  # CourseModule.has_assignment
            modules.append((f"{course_slug}/{module_slug}", f"{course_title} – {module_title}"))
    organisations: dict[int, OrganisationOption] = {}
    cohorts = []
    for public_id, name, organisation_id, organisation_public_id, organisation_name in (
            db.session.execute(cohort_statement)):
        organisation = organisations.get(organisation_id)
        if organisation is None:
            organisation = organisations[organisation_id] = OrganisationOption(
                organisation_id, organisation_public_id, organisation_name)
        cohorts.append(CohortOption(public_id, name, organisation))
    return FilterOptions(courses=courses, modules=modules,
                         organisations=sorted(organisations.values(), key=lambda o: o.name), cohorts=cohorts,
                         unassigned=permissions.can_see_unassigned_work(user))


def waiting_count(user) -> int:
    """For the navigation: "7 te beoordelen". One query."""
    if not permissions.can_review(user):
        return 0
    return db.session.scalar(_waiting_count_statement(user.id, user.role)) or 0


@functools.lru_cache(maxsize=2048)
def _waiting_count_statement(user_id: int, role) -> sa.Select:
    """The navigation counter's statement, built once per process, trainer and role
    (issue 16: it runs on every page a trainer opens). It holds only the user id; the
    counting happens in the database each time."""
    return (sa.select(sa.func.count(Submission.id)).select_from(Submission)
            .where(_visible_submissions(user_id, role), Submission.status == SubmissionStatus.SUBMITTED))


def next_waiting(user, exclude_id: int | None = None) -> Submission | None:
    """The longest-waiting submission this trainer may review ("Opslaan en volgende")."""
    stmt = (sa.select(Submission)
            .where(_visible_submissions(user.id, user.role), Submission.status == SubmissionStatus.SUBMITTED)
            .order_by(Submission.submitted_at.asc(), Submission.id.asc()).limit(1))
    if exclude_id is not None:
        stmt = stmt.where(Submission.id != exclude_id)
    return db.session.scalar(stmt)


@dataclass
class WaitingSummary:
    waiting: int
    overdue: int
    oldest_submitted_at: datetime | None
    by_course: list[tuple[str, int]]


def waiting_summary(user, today: date, assigned_only: bool = False) -> WaitingSummary:
    """Waiting work for the daily digest."""
    scope = (permissions.enrolments_assigned_to(user) if assigned_only
             else permissions.enrolments_visible_to_trainer(user))
    return _summary(scope, today)


def unassigned_summary(today: date) -> WaitingSummary:
    """Waiting work that no appointed trainer sees ("zonder trainer"): the platform admins' part of the digest."""
    return _summary(permissions.enrolments_without_trainer(), today)


def _summary(scope, today: date) -> WaitingSummary:
    rows = db.session.execute(
        sa.select(Submission.submitted_at, Submission.feedback_due_on, Course.title, Course.feedback_days)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .join(Course, Enrolment.course_id == Course.id)
        .where(scope, Submission.status == SubmissionStatus.SUBMITTED)
    ).all()
    overdue = sum(1 for r in rows if is_overdue(feedback_due(r.submitted_at, r.feedback_days, r.feedback_due_on),
                                                today))
    per_course: dict[str, int] = {}
    for r in rows:
        per_course[r.title] = per_course.get(r.title, 0) + 1
    oldest = min((r.submitted_at for r in rows if r.submitted_at), default=None)
    return WaitingSummary(len(rows), overdue, oldest, sorted(per_course.items()))


# ---- the review page ------------------------------------------------------------


def load_submission(public_id: str) -> Submission | None:
    """The submission with everything the review page shows, in one query: versions,
    reviews, scores, reviewers, the learner, the cohort, the module and its course."""
    return db.session.execute(_load_submission_statement(), {"public_id": public_id}).unique().scalar()


@built_once()
def _load_submission_statement() -> sa.Select:
    """Built once per process, with the public id as a parameter (issue 16: building the
    loader options and their cache key cost more than the query)."""
    review = joinedload(Submission.versions).joinedload(SubmissionVersion.review)
    enrolment = joinedload(Submission.enrolment)
    # not the module's reading and quiz, nor the course's texts and course file: the
    # review page shows none of them (they stay loadable, one query each, if asked)
    module = joinedload(Submission.module)
    return (sa.select(Submission).where(Submission.public_id == sa.bindparam("public_id"))
            .options(review.joinedload(Review.scores), review.joinedload(Review.reviewer),
                     enrolment.joinedload(Enrolment.user), enrolment.joinedload(Enrolment.cohort),
                     module.options(*(defer(c) for c in (
                         CourseModule.reading_html, CourseModule.reading_md, CourseModule.reading_toc,
                         CourseModule.media, CourseModule.remember, CourseModule.quiz))),
                     module.joinedload(CourseModule.course).options(*(defer(c) for c in (
                         Course.description_html, Course.audience_html, Course.takeaways, Course.course_file)))))


@dataclass
class ReviewContext:
    submission: Submission
    assignment: dict
    current: SubmissionVersion | None
    compared_with: SubmissionVersion | None
    diffs: list
    earlier_reviews: list[Review]
    snippets: list[FeedbackSnippet]
    due_on: date | None
    overdue: bool
    level_titles: dict
    position: "QueuePosition | None" = None


@dataclass(frozen=True)
class QueuePosition:
    """Where a waiting submission stands in the trainer's queue: "3 van 60"."""
    number: int
    total: int


def queue_position(user, submission: Submission) -> QueuePosition | None:
    """The submission's place among the work waiting for this trainer, in the order of
    the queue and of "Opslaan en volgende" (longest waiting first). One query; None
    when the submission is not waiting."""
    if submission.status != SubmissionStatus.SUBMITTED or submission.submitted_at is None:
        return None
    total, number = db.session.execute(_queue_position_statement(user.id, user.role), {
        "submitted_at": submission.submitted_at, "submission_id": submission.id}).one()
    # the navigation's "7 te beoordelen" (waiting_count) is this same total (issue 16)
    request_cache.remember(("nav_counter", "review_waiting", user.id), int(total))
    return QueuePosition(int(number), int(total)) if number else None


@functools.lru_cache(maxsize=2048)
def _queue_position_statement(user_id: int, role) -> sa.Select:
    """Built once per process, trainer and role; the submission's time and id are parameters."""
    submitted_at = sa.bindparam("submitted_at", type_=Submission.submitted_at.type)
    submission_id = sa.bindparam("submission_id", type_=Submission.id.type)
    ahead = sa.or_(Submission.submitted_at < submitted_at,
                   sa.and_(Submission.submitted_at == submitted_at, Submission.id <= submission_id))
    return (sa.select(sa.func.count(Submission.id), sa.func.coalesce(sa.func.sum(sa.case((ahead, 1), else_=0)), 0))
            .select_from(Submission)
            .where(_visible_submissions(user_id, role), Submission.status == SubmissionStatus.SUBMITTED))


def review_context(submission: Submission, trainer, today: date) -> ReviewContext:
    """Everything the review page shows: the current version, the diff per field
    against the last reviewed version, and the earlier feedback."""
    assignment = submission.module.assignment_spec or Assignment("", "", "", [], [])
    versions = submission.versions
    current = versions[-1] if versions else None
    reviewed = [v for v in versions if v.review is not None and v is not current]
    compared_with = reviewed[-1] if reviewed else None
    diffs = (diff_fields(assignment.fields, compared_with.fields, current.fields)
             if current is not None and compared_with is not None else [])
    snippets = db.session.scalars(
        sa.select(FeedbackSnippet).where(FeedbackSnippet.trainer_id == trainer.id).order_by(FeedbackSnippet.title)
    ).all()
    due = feedback_due(submission.submitted_at, submission.enrolment.course.feedback_days, submission.feedback_due_on)
    return ReviewContext(
        submission=submission, assignment=assignment, current=current, compared_with=compared_with, diffs=diffs,
        earlier_reviews=[v.review for v in reversed(reviewed)], snippets=list(snippets), due_on=due,
        overdue=submission.status == SubmissionStatus.SUBMITTED and is_overdue(due, today),
        level_titles=level_titles(assignment.rubric), position=queue_position(trainer, submission),
    )


def level_titles(rubric: list[Criterion]) -> dict:
    """{criterion_id: (criterion title, {level_id: (level title, points)})}."""
    return {c.id: (c.title, {lv.id: (lv.title, lv.points) for lv in c.levels}) for c in rubric}


def snippets_of(trainer) -> list[FeedbackSnippet]:
    return list(db.session.scalars(
        sa.select(FeedbackSnippet).where(FeedbackSnippet.trainer_id == trainer.id).order_by(FeedbackSnippet.title)
    ))


def load_snippet(public_id: str) -> FeedbackSnippet | None:
    return db.session.scalar(sa.select(FeedbackSnippet).where(FeedbackSnippet.public_id == public_id))
