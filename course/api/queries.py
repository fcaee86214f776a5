"""Read side of the API: one organisation's members, cohorts and enrolments with
progress. The same facts the organisation admin's team-progress page shows and no
more: statuses and dates, never submission texts or quiz answers.

Every list is a page in a fixed number of queries, whatever its size, ordered by row
id with an opaque cursor, and filterable by `updated_since` (a derived timestamp:
the latest of the row's own dates, so no write path has to maintain it)."""
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from course.extensions import db
from course.models import (
    BadgeAssertion,
    BadgeClass,
    Certificate,
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    EventKind,
    LiveSession,
    Membership,
    ModuleProgress,
    Organisation,
    ProgressEvent,
    SessionRegistration,
    Submission,
    SubmissionStatus,
    User,
)
from course.urls import external_url

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


class latest(GenericFunction):  # noqa: N801  (an SQL function name)
    """The latest of several timestamps: GREATEST on PostgreSQL, multi-argument MAX on SQLite."""

    name = "greatest"
    type = sa.DateTime()
    inherit_cache = True
    _register = False  # not `sa.func.greatest` for everyone: this one is typed as a timestamp


@compiles(latest, "sqlite")
def _latest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


class PageError(ValueError):
    """A cursor or parameter that cannot be used; the view answers 400."""


@dataclass
class PageRequest:
    after_id: int = 0
    limit: int = DEFAULT_LIMIT
    updated_since: datetime | None = None


@dataclass
class Page:
    items: list[dict]
    next_cursor: str | None


def _serializer(resource: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"api-cursor:{resource}")


def encode_cursor(resource: str, last_id: int) -> str:
    return _serializer(resource).dumps(last_id)


def decode_cursor(resource: str, cursor: str) -> int:
    try:
        value = _serializer(resource).loads(cursor)
    except BadSignature as error:
        raise PageError("cursor") from error
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise PageError("cursor")
    return value


def utc(moment: datetime | None) -> datetime | None:
    """Stored naive UTC → aware, so the JSON carries the offset (RFC 3339)."""
    return moment.replace(tzinfo=UTC) if moment is not None else None


def _keyset_page(resource: str, query, id_column, updated_column, page: PageRequest, build) -> Page:
    """One page after the cursor, oldest id first, optionally only rows changed since a moment."""
    query = query.where(id_column > page.after_id)
    if page.updated_since is not None:
        query = query.where(updated_column >= page.updated_since)
    rows = db.session.execute(query.order_by(id_column).limit(page.limit + 1)).all()
    return _page(resource, rows, page.limit, build)


def _page(resource: str, rows: list, limit: int, build) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    items = build(rows)
    cursor = encode_cursor(resource, rows[-1][0].id) if more and rows else None
    return Page(items, cursor)


# ---- organisation ----------------------------------------------------------------


def organisation_info(organisation: Organisation, scopes) -> dict:
    return {"id": organisation.public_id, "name": organisation.name, "scopes": sorted(scopes)}


# ---- members ---------------------------------------------------------------------


def member_updated_at() -> sa.ColumnElement:
    """Joined the organisation, changed role, or changed name or e-mail address."""
    return latest(Membership.created_at, sa.func.coalesce(Membership.updated_at, Membership.created_at),
                  sa.func.coalesce(User.profile_updated_at, Membership.created_at))


def _members_query(organisation: Organisation):
    return (sa.select(Membership, User, member_updated_at().label("updated_at"))
            .join(User, Membership.user_id == User.id)
            .where(Membership.organisation_id == organisation.id, User.erased_at.is_(None)))


def _member(membership: Membership, user: User, updated_at: datetime) -> dict:
    role = membership.role.value if hasattr(membership.role, "value") else membership.role
    return {"id": user.public_id, "name": user.name, "email": user.email, "role": role,
            "member_since": utc(membership.created_at), "updated_at": utc(updated_at)}


def members_page(organisation: Organisation, page: PageRequest) -> Page:
    return _keyset_page("members", _members_query(organisation), Membership.id, member_updated_at(), page,
                        lambda rs: [_member(*r) for r in rs])


def member(organisation: Organisation, public_id: str) -> dict | None:
    row = db.session.execute(_members_query(organisation).where(User.public_id == public_id)).first()
    return _member(*row) if row else None


# ---- cohorts ---------------------------------------------------------------------


def cohort_updated_at() -> sa.ColumnElement:
    """Created, renamed, new dates, or a learner added or removed (services stamp updated_at)."""
    return latest(Cohort.created_at, sa.func.coalesce(Cohort.updated_at, Cohort.created_at))


def _cohorts_query(organisation: Organisation):
    learners = (sa.select(sa.func.count(Enrolment.id)).where(Enrolment.cohort_id == Cohort.id)
                .correlate(Cohort).scalar_subquery())
    return (sa.select(Cohort, Course, learners, cohort_updated_at().label("updated_at"))
            .join(Course, Cohort.course_id == Course.id)
            .where(Cohort.organisation_id == organisation.id))


def _cohort(cohort: Cohort, course: Course, learners: int, updated_at: datetime) -> dict:
    return {"id": cohort.public_id, "name": cohort.name, "course": {"slug": course.slug, "title": course.title},
            "starts_on": cohort.starts_on, "target_on": cohort.target_on, "learners": learners or 0,
            "created_at": utc(cohort.created_at), "updated_at": utc(updated_at)}


def cohorts_page(organisation: Organisation, page: PageRequest) -> Page:
    return _keyset_page("cohorts", _cohorts_query(organisation), Cohort.id, cohort_updated_at(), page,
                        lambda rs: [_cohort(*r) for r in rs])


def cohort(organisation: Organisation, public_id: str) -> dict | None:
    row = db.session.execute(_cohorts_query(organisation).where(Cohort.public_id == public_id)).first()
    return _cohort(*row) if row else None


# ---- enrolments with progress ----------------------------------------------------


def _max(column, *where):
    return sa.select(sa.func.max(column)).where(*where).correlate(Enrolment).scalar_subquery()


def enrolment_updated_at() -> sa.ColumnElement:
    """The latest moment anything the API shows about an enrolment changed: its own
    dates, every progress event (reading, quiz, submission, review, completion, badge),
    a review decision, a badge or certificate issued or revoked, the learner's erasure."""
    badge_of_enrolment = sa.and_(BadgeAssertion.user_id == Enrolment.user_id,
                                 BadgeAssertion.badge_class_id.in_(
                                     sa.select(BadgeClass.id).where(BadgeClass.course_id == Enrolment.course_id)))
    moments = [
        Enrolment.started_at, Enrolment.completed_at, Enrolment.last_activity_at,
        _max(ProgressEvent.created_at, ProgressEvent.enrolment_id == Enrolment.id,
             ProgressEvent.kind != EventKind.REMINDER_SENT),
        _max(Submission.decided_at, Submission.enrolment_id == Enrolment.id),
        _max(Submission.submitted_at, Submission.enrolment_id == Enrolment.id),
        _max(BadgeAssertion.issued_at, badge_of_enrolment),
        _max(BadgeAssertion.revoked_at, badge_of_enrolment),
        _max(Certificate.issued_at, Certificate.enrolment_id == Enrolment.id),
        _max(Certificate.revoked_at, Certificate.enrolment_id == Enrolment.id),
        _max(SessionRegistration.attendance_marked_at, SessionRegistration.user_id == Enrolment.user_id,
             SessionRegistration.session_id.in_(
                 sa.select(LiveSession.id).where(LiveSession.course_id == Enrolment.course_id))),
        User.erased_at,
    ]
    return latest(Enrolment.enrolled_at, *[sa.func.coalesce(m, Enrolment.enrolled_at) for m in moments])


def _enrolments_query(organisation: Organisation):
    waiting = sa.exists().where(Submission.enrolment_id == Enrolment.id,
                                Submission.status == SubmissionStatus.SUBMITTED)
    updated = enrolment_updated_at().label("updated_at")
    query = (sa.select(Enrolment, User, Cohort, Course, updated, waiting)
             .join(User, Enrolment.user_id == User.id)
             .join(Cohort, Enrolment.cohort_id == Cohort.id)
             .join(Course, Enrolment.course_id == Course.id)
             .where(Cohort.organisation_id == organisation.id))
    return query, updated


def enrolments_page(organisation: Organisation, page: PageRequest, cohort_id: str | None = None) -> Page:
    query, _updated = _enrolments_query(organisation)
    if cohort_id:
        query = query.where(Cohort.public_id == cohort_id)
    return _keyset_page("enrolments", query, Enrolment.id, enrolment_updated_at(), page, _enrolments)


def enrolment(organisation: Organisation, public_id: str) -> dict | None:
    query, _updated = _enrolments_query(organisation)
    row = db.session.execute(query.where(Enrolment.public_id == public_id)).first()
    return _enrolments([row])[0] if row else None


def _enrolments(rows) -> list[dict]:
    """Six queries for the whole page: modules, progress, submission states, badges, certificates,
    live sessions attended."""
    if not rows:
        return []
    ids = [r[0].id for r in rows]
    course_ids = {r[0].course_id for r in rows}
    user_ids = {r[0].user_id for r in rows}
    modules: dict[int, list[CourseModule]] = {}
    for module in db.session.scalars(
            sa.select(CourseModule).where(CourseModule.course_id.in_(course_ids), CourseModule.is_active.is_(True))
            .order_by(CourseModule.course_id, CourseModule.position)):
        modules.setdefault(module.course_id, []).append(module)
    progress = {(p.enrolment_id, p.module_id): p for p in db.session.scalars(
        sa.select(ModuleProgress).where(ModuleProgress.enrolment_id.in_(ids)))}
    states = {(e, m): s for e, m, s in db.session.execute(
        sa.select(Submission.enrolment_id, Submission.module_id, Submission.status)
        .where(Submission.enrolment_id.in_(ids)))}
    badges: dict[tuple[int, int], list[dict]] = {}
    for assertion, badge_class, module_slug in db.session.execute(
            sa.select(BadgeAssertion, BadgeClass, CourseModule.slug)
            .join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
            .outerjoin(CourseModule, BadgeClass.module_id == CourseModule.id)
            .where(BadgeAssertion.user_id.in_(user_ids), BadgeClass.course_id.in_(course_ids),
                   BadgeAssertion.revoked_at.is_(None))
            .order_by(BadgeAssertion.issued_at, BadgeAssertion.id)):
        badges.setdefault((assertion.user_id, badge_class.course_id), []).append({
            "id": assertion.public_id, "name": badge_class.name, "module": module_slug,
            "issued_at": utc(assertion.issued_at),
            "verify_url": external_url("badges.assertion_page", public_id=assertion.public_id)})
    certificates = {c.enrolment_id: c for c in db.session.scalars(
        sa.select(Certificate).where(Certificate.enrolment_id.in_(ids), Certificate.revoked_at.is_(None)))}
    from course.attendance import queries as attendance

    attended = attendance.summaries((r[0].user_id, r[0].course_id) for r in rows)
    return [_enrolment(row, modules.get(row[0].course_id, []), progress, states, badges, certificates,
                       attended[(row[0].user_id, row[0].course_id)]) for row in rows]


def _state(status) -> str:
    if status is None:
        return "none"
    return status.value if hasattr(status, "value") else str(status)


def _attendance(course: Course, summary) -> dict:
    from course.attendance import queries as attendance

    return {
        "required_sessions": course.attendance_sessions or 0, "required_hours": course.attendance_hours or 0,
        "requirement_met": attendance.requirement_met(course, summary),
        "sessions_attended": summary.attended_count, "attended_minutes": summary.minutes,
        "sessions": [{"id": s.session_id, "title": s.title, "attendance": str(s.attendance),
                      "attended_minutes": s.minutes, "starts_at": utc(s.starts_at), "ends_at": utc(s.ends_at),
                      "dates": s.days, "marked_at": utc(s.marked_at)} for s in summary.sessions],
    }


def _enrolment(row, modules, progress, states, badges, certificates, attended) -> dict:
    enrolment, user, cohort, course, updated_at, waiting = row
    module_rows = []
    for module in modules:
        p = progress.get((enrolment.id, module.id))
        module_rows.append({
            "slug": module.slug, "title": module.title, "position": module.position,
            "read": bool(p and p.read_at), "quiz_passed": bool(p and p.quiz_passed_at),
            "assignment": _state(states.get((enrolment.id, module.id))),
            "completed_at": utc(p.completed_at) if p else None})
    certificate = certificates.get(enrolment.id)
    erased = user.erased_at is not None
    return {
        "id": enrolment.public_id,
        "learner": {"id": user.public_id, "name": None if erased else user.name,
                    "email": None if erased else user.email, "erased": erased},
        "cohort": cohort.public_id,
        "course": {"slug": course.slug, "title": course.title},
        "enrolled_at": utc(enrolment.enrolled_at), "started_at": utc(enrolment.started_at),
        "last_activity_at": utc(enrolment.last_activity_at), "completed_at": utc(enrolment.completed_at),
        "modules_completed": sum(1 for m in module_rows if m["completed_at"]),
        "modules_total": len(module_rows),
        "waiting_on_trainer": bool(waiting),
        "modules": module_rows,
        "badges": badges.get((enrolment.user_id, enrolment.course_id), []),
        "certificate": None if certificate is None else {
            "id": certificate.public_id, "issued_at": utc(certificate.issued_at),
            "verify_url": external_url("badges.certificate_page", public_id=certificate.public_id)},
        "attendance": _attendance(course, attended),
        "updated_at": utc(updated_at),
    }
