"""The read side of the discussion: which discussion an URL names, and the pages
(thread lists, threads, reports, the overview), each in a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload, selectinload

from course import permissions
from course.extensions import db
from course.models import (
    Cohort,
    Course,
    CourseModule,
    CourseTrainer,
    DiscussionFollow,
    DiscussionPost,
    DiscussionRead,
    DiscussionReport,
    DiscussionSetting,
    DiscussionThread,
    Enrolment,
    MailMode,
    User,
)
from course.models.discussion import DEFAULT_MAIL_MODE
from course.pagination import MAX_PAGE, Page

SELF_ENROLLED = "zelfstandig"  # the URL's group for the course's self-enrolled learners
THREADS_PER_PAGE = 20
POSTS_PER_PAGE = 25
REPORTS_PER_PAGE = 25
GROUPS_PER_PAGE = 10
NEVER = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Space:
    """One discussion: a module of a course, within a cohort or among the self-enrolled."""

    course: Course
    module: CourseModule
    cohort: Cohort | None

    @property
    def course_id(self) -> int:
        return self.course.id

    @property
    def cohort_id(self) -> int | None:
        return self.cohort.id if self.cohort else None

    @property
    def group(self) -> str:
        return self.cohort.public_id if self.cohort else SELF_ENROLLED

    def url_args(self) -> dict:
        return {"course_slug": self.course.slug, "module_slug": self.module.slug, "group": self.group}


def load_space(course_slug: str, module_slug: str, group: str) -> Space | None:
    """The discussion an URL names, or None (the view answers 404). One query."""
    module = db.session.scalar(
        sa.select(CourseModule).join(Course, CourseModule.course_id == Course.id)
        .where(Course.slug == course_slug, Course.is_active.is_(True), CourseModule.slug == module_slug,
               CourseModule.is_active.is_(True)).options(joinedload(CourseModule.course)))
    if module is None:
        return None
    cohort = None
    if group != SELF_ENROLLED:
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.public_id == group,
                                                           Cohort.course_id == module.course_id))
        if cohort is None:
            return None
    return Space(module.course, module, cohort)


def space_of(thread: DiscussionThread) -> Space:
    return Space(thread.course, thread.module, thread.cohort)


def _by_public_id(model, public_id: str, *options):
    if not isinstance(public_id, str) or len(public_id) > 32:
        return None
    return db.session.scalar(sa.select(model).where(model.public_id == public_id).options(*options))


def thread_by_public_id(public_id: str) -> DiscussionThread | None:
    return _by_public_id(DiscussionThread, public_id, joinedload(DiscussionThread.course),
                         joinedload(DiscussionThread.module), joinedload(DiscussionThread.cohort))


def post_by_public_id(public_id: str) -> DiscussionPost | None:
    return _by_public_id(DiscussionPost, public_id, joinedload(DiscussionPost.thread).joinedload(
        DiscussionThread.course), joinedload(DiscussionPost.thread).joinedload(DiscussionThread.module),
        joinedload(DiscussionPost.thread).joinedload(DiscussionThread.cohort))


def report_by_public_id(public_id: str) -> DiscussionReport | None:
    return _by_public_id(DiscussionReport, public_id, joinedload(DiscussionReport.post)
                         .joinedload(DiscussionPost.thread))


def _in_group(module_id: int, cohort_id: int | None) -> sa.ColumnElement[bool]:
    same_group = DiscussionThread.cohort_id.is_(None) if cohort_id is None else DiscussionThread.cohort_id == cohort_id
    return sa.and_(DiscussionThread.module_id == module_id, same_group)


def _in_space(space: Space) -> sa.ColumnElement[bool]:
    return _in_group(space.module.id, space.cohort_id)


def _page(query, count_query, page: int, per_page: int, shape) -> Page:
    total = db.session.scalar(count_query) or 0
    page = min(max(page, 1), MAX_PAGE)
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return Page(items=[shape(row) for row in rows], page=page, per_page=per_page, total=total)


# ---- thread list -------------------------------------------------------------------


@dataclass
class ThreadRow:
    thread: DiscussionThread
    replies: int
    unread: bool
    following: bool


def _post_counts():
    return (sa.select(DiscussionPost.thread_id, sa.func.count(DiscussionPost.id).label("posts"))
            .group_by(DiscussionPost.thread_id).subquery())


def thread_page(space: Space, user: User, page: int) -> Page:
    """Pinned threads first, then the most recently active. Two queries."""
    counts = _post_counts()
    read = aliased(DiscussionRead)
    follow = aliased(DiscussionFollow)
    query = (
        sa.select(DiscussionThread, sa.func.coalesce(counts.c.posts, 0), read.read_until, follow.user_id)
        .outerjoin(counts, counts.c.thread_id == DiscussionThread.id)
        .outerjoin(read, sa.and_(read.thread_id == DiscussionThread.id, read.user_id == user.id))
        .outerjoin(follow, sa.and_(follow.thread_id == DiscussionThread.id, follow.user_id == user.id))
        .where(_in_space(space)).options(joinedload(DiscussionThread.author))
        .order_by(DiscussionThread.pinned.desc(), DiscussionThread.last_post_at.desc(), DiscussionThread.id.desc()))
    count = sa.select(sa.func.count(DiscussionThread.id)).where(_in_space(space))
    return _page(query, count, page, THREADS_PER_PAGE, lambda row: ThreadRow(
        row[0], max(row[1] - 1, 0), row[0].last_post_at > (row[2] or NEVER), row[3] is not None))


# ---- one thread ----------------------------------------------------------------------


@dataclass
class ThreadView:
    posts: Page
    read_until: datetime | None  # before this visit: posts after it are new
    following: bool


def thread_view(thread: DiscussionThread, user: User, page: int) -> ThreadView:
    """One page of posts, oldest first, with their authors; what the reader had read
    and whether they follow. Three queries."""
    read_until, following = db.session.execute(sa.select(
        sa.select(DiscussionRead.read_until).where(DiscussionRead.user_id == user.id,
                                                   DiscussionRead.thread_id == thread.id).scalar_subquery(),
        sa.exists().where(DiscussionFollow.user_id == user.id, DiscussionFollow.thread_id == thread.id),
    )).one()
    query = (sa.select(DiscussionPost).where(DiscussionPost.thread_id == thread.id)
             .options(joinedload(DiscussionPost.author), joinedload(DiscussionPost.thread))
             .order_by(DiscussionPost.created_at, DiscussionPost.id))
    count = sa.select(sa.func.count(DiscussionPost.id)).where(DiscussionPost.thread_id == thread.id)
    posts = _page(query, count, page, POSTS_PER_PAGE, lambda row: row[0])
    return ThreadView(posts, read_until, bool(following))


def opening_post_id(thread: DiscussionThread) -> int | None:
    return db.session.scalar(sa.select(DiscussionPost.id).where(DiscussionPost.thread_id == thread.id)
                             .order_by(DiscussionPost.created_at, DiscussionPost.id).limit(1))


def page_of_post(post: DiscussionPost) -> int:
    """On which page of its thread a post is shown (for links in mail)."""
    before = db.session.scalar(sa.select(sa.func.count(DiscussionPost.id)).where(
        DiscussionPost.thread_id == post.thread_id,
        sa.or_(DiscussionPost.created_at < post.created_at,
               sa.and_(DiscussionPost.created_at == post.created_at, DiscussionPost.id < post.id))))
    return before // POSTS_PER_PAGE + 1


def unread_threads(user: User, module_id: int, cohort_id: int | None) -> int:
    """How many threads of the discussion have posts this person has not read. One query."""
    read = aliased(DiscussionRead)
    return db.session.scalar(
        sa.select(sa.func.count(DiscussionThread.id))
        .outerjoin(read, sa.and_(read.thread_id == DiscussionThread.id, read.user_id == user.id))
        .where(_in_group(module_id, cohort_id),
               sa.or_(read.read_until.is_(None), DiscussionThread.last_post_at > read.read_until))
    ) or 0


# ---- reports -----------------------------------------------------------------------


def reports_page(user: User, page: int, resolved: bool = False) -> Page:
    """The reports on posts in discussions this trainer moderates, oldest open first.
    Two queries."""
    thread = aliased(DiscussionThread)
    scope = sa.and_(DiscussionReport.post_id == DiscussionPost.id, DiscussionPost.thread_id == thread.id,
                    permissions.discussions_moderated_by(user, thread),
                    DiscussionReport.resolved_at.is_not(None) if resolved else DiscussionReport.resolved_at.is_(None))
    query = (sa.select(DiscussionReport).select_from(DiscussionReport).join(DiscussionPost).join(thread)
             .where(scope)
             .options(joinedload(DiscussionReport.reporter),
                      joinedload(DiscussionReport.post).joinedload(DiscussionPost.author),
                      joinedload(DiscussionReport.post).joinedload(DiscussionPost.thread)
                      .joinedload(DiscussionThread.module),
                      joinedload(DiscussionReport.post).joinedload(DiscussionPost.thread)
                      .joinedload(DiscussionThread.cohort),
                      joinedload(DiscussionReport.post).joinedload(DiscussionPost.thread)
                      .joinedload(DiscussionThread.course))
             .order_by(DiscussionReport.created_at.desc() if resolved else DiscussionReport.created_at,
                       DiscussionReport.id))
    count = sa.select(sa.func.count(DiscussionReport.id)).select_from(DiscussionReport).join(DiscussionPost) \
        .join(thread).where(scope)
    return _page(query, count, page, REPORTS_PER_PAGE, lambda row: row[0])


def open_report_count(user: User) -> int:
    thread = aliased(DiscussionThread)
    return db.session.scalar(
        sa.select(sa.func.count(DiscussionReport.id)).select_from(DiscussionReport).join(DiscussionPost)
        .join(thread).where(permissions.discussions_moderated_by(user, thread),
                            DiscussionReport.resolved_at.is_(None))) or 0


# ---- the overview: the discussions a person takes part in ---------------------------------


@dataclass
class GroupRow:
    course: Course
    cohort: Cohort | None
    modules: list[tuple[CourseModule, int, int]]  # (module, threads, threads with unread posts)

    @property
    def group(self) -> str:
        return self.cohort.public_id if self.cohort else SELF_ENROLLED


def _groups_of(user: User) -> list[tuple[int, int | None]]:
    """(course id, cohort id or None) of every discussion group the user reads, by the
    policy's facts: their own enrolments, and the groups they train. Two queries."""
    own = db.session.execute(sa.select(Enrolment.course_id, Enrolment.cohort_id)
                             .where(permissions.enrolments_studied_by(user))).all()
    trained = []
    if permissions.can_review(user):
        trained = db.session.execute(sa.union(
            sa.select(Cohort.course_id, Cohort.id).where(permissions.cohorts_reviewed_by(user)),
            sa.select(Course.id, sa.null()).where(
                sa.true() if permissions.is_platform_admin(user)
                else Course.id.in_(sa.select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id))),
        )).all()
    groups = {(course_id, cohort_id) for course_id, cohort_id in [*own, *trained]}
    return sorted(groups, key=lambda g: (g[0], g[1] is not None, g[1] or 0))


def overview_page(user: User, page: int) -> Page:
    """The groups (cohorts, self-enrolled) of the user's discussions with their modules,
    thread and unread counts. A fixed number of queries, whatever the number of groups."""
    groups = _groups_of(user)
    page = min(max(page, 1), MAX_PAGE)
    shown = groups[(page - 1) * GROUPS_PER_PAGE: page * GROUPS_PER_PAGE]
    course_ids = {c for c, _ in shown} or {-1}
    cohort_ids = {g for _, g in shown if g is not None} or {-1}
    courses = {c.id: c for c in db.session.scalars(
        sa.select(Course).where(Course.id.in_(course_ids), Course.is_active.is_(True))
        .options(selectinload(Course.modules)))}
    cohorts = {c.id: c for c in db.session.scalars(sa.select(Cohort).where(Cohort.id.in_(cohort_ids)))}
    read = aliased(DiscussionRead)
    stats = {}
    for module_id, cohort_id, threads, unread in db.session.execute(
            sa.select(DiscussionThread.module_id, DiscussionThread.cohort_id, sa.func.count(DiscussionThread.id),
                      sa.func.sum(sa.case((sa.or_(read.read_until.is_(None),
                                                  DiscussionThread.last_post_at > read.read_until), 1), else_=0)))
            .outerjoin(read, sa.and_(read.thread_id == DiscussionThread.id, read.user_id == user.id))
            .where(DiscussionThread.course_id.in_(course_ids))
            .group_by(DiscussionThread.module_id, DiscussionThread.cohort_id)):
        stats[(module_id, cohort_id)] = (threads, int(unread or 0))
    rows = []
    for course_id, cohort_id in shown:
        course = courses.get(course_id)
        if course is None:
            continue
        modules = [(m, *stats.get((m.id, cohort_id), (0, 0))) for m in course.active_modules]
        rows.append(GroupRow(course, cohorts.get(cohort_id) if cohort_id else None, modules))
    return Page(items=rows, page=page, per_page=GROUPS_PER_PAGE, total=len(groups))


# ---- mail --------------------------------------------------------------------------


def mail_mode(user: User) -> MailMode:
    setting = db.session.get(DiscussionSetting, user.id)
    return setting.mail_mode if setting else DEFAULT_MAIL_MODE
