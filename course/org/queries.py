"""The organisation area's read side: landing page, invitation and link lists and
team progress (progress only: never texts or answers)."""
from __future__ import annotations

from dataclasses import dataclass
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
class OrganisationSummary:
    organisation: Organisation
    licences: list[SeatLicence]
    cohorts: list[tuple[Cohort, int]]  # (cohort, learner count)


def organisation_summaries(org_filter) -> list[OrganisationSummary]:
    """The organisation landing page in three queries, however many organisations."""
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
    result = []
    for org in orgs:
        result.append(OrganisationSummary(
            organisation=org,
            licences=[lic for lic in licences if lic.organisation_id == org.id],
            cohorts=[(c, n) for c, n in cohorts if c.organisation_id == org.id],
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
    """Where a learner of a team stands, as the organisation sees it (and filters on)."""

    NOT_STARTED = "not_started", _l("Not started"), "todo"
    IN_PROGRESS = "in_progress", _l("In progress"), "todo"
    COMPLETED = "completed", _l("Completed"), "done"
    INACTIVE = "inactive", _l("Inactive"), "problem"
    WAITING = "waiting", _l("Waiting for the trainer"), "waiting"


PROGRESS_FILTERS = ("", *LearnerState)


@dataclass
class LearnerRow:
    enrolment: Enrolment
    user: User
    modules_completed: int
    badges: int
    waiting_on_trainer: bool
    # Live sessions attended (issue 13): dates and hours only, never course work.
    attendance: object | None = None  # course.attendance.queries.AttendanceSummary

    @property
    def started(self) -> bool:
        return self.enrolment.started_at is not None

    @property
    def state(self) -> LearnerState:
        if self.enrolment.completed_at:
            return LearnerState.COMPLETED
        if self.waiting_on_trainer:
            return LearnerState.WAITING
        return LearnerState.IN_PROGRESS if self.started else LearnerState.NOT_STARTED


def module_count(course_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(CourseModule.id)).where(CourseModule.course_id == course_id,
                                                         CourseModule.is_active.is_(True))
    ) or 0


def waiting_clause():
    return sa.exists().where(Submission.enrolment_id == Enrolment.id,
                             Submission.status == SubmissionStatus.SUBMITTED)


def team_progress(cohort: Cohort, status: str = "", search: str = "",
                  inactive_days: int = DEFAULT_INACTIVE_DAYS) -> list[LearnerRow]:
    """One row per learner in two queries: enrolled on, started, modules completed and
    waiting work (from the maintained progress summary, review/summary.py), badges,
    last activity, and the live sessions attended (dates, hours). Filters: status and
    a name/e-mail search."""
    badges = (sa.select(sa.func.count(BadgeAssertion.id))
              .join(BadgeClass, BadgeAssertion.badge_class_id == BadgeClass.id)
              .where(BadgeAssertion.user_id == Enrolment.user_id, BadgeClass.course_id == Enrolment.course_id,
                     BadgeAssertion.revoked_at.is_(None))
              .correlate(Enrolment).scalar_subquery())
    waiting = waiting_clause()
    query = (sa.select(Enrolment, User, badges, ProgressSummary.enrolment_id, ProgressSummary.cells)
             .join(User, Enrolment.user_id == User.id)
             .outerjoin(ProgressSummary, ProgressSummary.enrolment_id == Enrolment.id)
             .where(Enrolment.cohort_id == cohort.id)
             .order_by(User.name, User.id))
    if status == LearnerState.NOT_STARTED:
        query = query.where(Enrolment.started_at.is_(None))
    elif status == LearnerState.IN_PROGRESS:
        query = query.where(Enrolment.started_at.is_not(None), Enrolment.completed_at.is_(None))
    elif status == LearnerState.COMPLETED:
        query = query.where(Enrolment.completed_at.is_not(None))
    elif status == LearnerState.INACTIVE:
        cutoff = utcnow() - timedelta(days=max(inactive_days, 0))
        query = query.where(Enrolment.completed_at.is_(None),
                            sa.func.coalesce(Enrolment.last_activity_at, Enrolment.enrolled_at) < cutoff)
    elif status == LearnerState.WAITING:
        query = query.where(waiting)
    if search:
        pattern = f"%{search.strip().lower()}%"
        query = query.where(sa.or_(sa.func.lower(User.name).like(pattern), User.email.like(pattern)))
    found = db.session.execute(query).all()
    missing = [e.id for e, _u, _b, has_summary, _c in found if has_summary is None]
    computed = summary.compute(db.session.connection(), missing) if missing else {}
    rows = []
    for enrolment, user, badge_count, has_summary, cells in found:
        statuses = [entry[0] for entry in ((cells if has_summary is not None
                                            else computed[enrolment.id]["cells"]) or {}).values()]
        rows.append(LearnerRow(enrolment, user, statuses.count("completed"), badge_count or 0,
                               "waiting" in statuses))
    from course.attendance import queries as attendance

    attended = attendance.summaries((r.enrolment.user_id, r.enrolment.course_id) for r in rows)
    for row in rows:
        row.attendance = attended[(row.enrolment.user_id, row.enrolment.course_id)]
    return rows


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

