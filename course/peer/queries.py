"""The read side of peer feedback: what the learner, the author and the trainer see.
Nothing here changes data. Every list is a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from course import permissions
from course.extensions import db, get_by_key, prime_lookups
from course.models import (
    Cohort,
    Course,
    CourseModule,
    Enrolment,
    PeerConsent,
    PeerPreference,
    PeerReview,
    PeerReviewStatus,
    PeerSetting,
    Submission,
    SubmissionStatus,
    User,
    utcnow,
)
from course.models.peer import pool_key

from .allocation import Pool, Work

prime_lookups(PeerPreference)  # the workbook's first lookup in a new worker


def setting_of(course_id: int, cohort_id: int | None) -> PeerSetting | None:
    return db.session.scalar(sa.select(PeerSetting).where(PeerSetting.pool_key == pool_key(course_id, cohort_id)))


def setting_for_enrolment(enrolment: Enrolment) -> PeerSetting | None:
    return setting_of(enrolment.course_id, enrolment.cohort_id)


def covering_setting(enrolment: Enrolment, module: CourseModule) -> PeerSetting | None:
    """The pool's setting when peer feedback is on for this assignment, else None."""
    setting = setting_for_enrolment(enrolment)
    return setting if setting is not None and module.has_assignment and setting.covers(module.id) else None


def rubric_of(module: CourseModule) -> list:
    """The assignment's rubric criteria (typed: course/content/model.py)."""
    spec = module.assignment_spec
    return spec.rubric if spec else []


# ---- the pool as the allocation sees it --------------------------------------


def pool_members(setting: PeerSetting):
    """Filter on Enrolment: the learners of this pool (same course, same cohort or none)."""
    cohort_clause = (Enrolment.cohort_id == setting.cohort_id if setting.cohort_id is not None
                     else Enrolment.cohort_id.is_(None))
    return sa.and_(Enrolment.course_id == setting.course_id, cohort_clause)


def holding_clause():
    """Filter on PeerReview: allocations that count for the pool. Feedback given always
    counts; one still being written only while PEER_HOLD_DAYS have not passed, so a
    colleague who opened a work and never answered does not keep it from its reviews."""
    held_since = utcnow() - timedelta(days=current_app.config["PEER_HOLD_DAYS"])
    return sa.or_(PeerReview.status == PeerReviewStatus.GIVEN, PeerReview.created_at >= held_since)


def load_pool(setting: PeerSetting, module_id: int) -> Pool:
    """Submitted work of the pool's learners (erased accounts left out) and the
    allocations of this module that still hold (holding_clause): two queries."""
    first_submitted = sa.func.coalesce(Submission.submitted_at, Submission.created_at)
    rows = db.session.execute(
        sa.select(Submission.id, Submission.enrolment_id, first_submitted, PeerConsent.consented)
        .join(Enrolment, Submission.enrolment_id == Enrolment.id)
        .join(User, Enrolment.user_id == User.id)
        .outerjoin(PeerConsent, PeerConsent.submission_id == Submission.id)
        .where(pool_members(setting), Submission.module_id == module_id,
               Submission.status != SubmissionStatus.DRAFT, Submission.submitted_at.is_not(None),
               User.erased_at.is_(None))
    ).all()
    works = tuple(Work(sid, enrolment_id, at, bool(consented)) for sid, enrolment_id, at, consented in rows)
    allocations = frozenset(db.session.execute(
        sa.select(PeerReview.reviewer_enrolment_id, PeerReview.submission_id)
        .where(PeerReview.setting_id == setting.id, PeerReview.module_id == module_id, holding_clause())
    ).tuples().all())
    return Pool(works, allocations, setting.reviews_per_learner)


# ---- the learner's side -------------------------------------------------------


def display_name(user: User | None, anonymous: bool) -> str:
    if anonymous or user is None:
        return _("A colleague")
    return user.name


@dataclass
class ReceivedItem:
    review: PeerReview
    reviewer_name: str
    levels: list[tuple[str, str]] = field(default_factory=list)  # (criterion title, level title)


def level_titles(module: CourseModule, levels: dict) -> list[tuple[str, str]]:
    out = []
    for criterion in rubric_of(module):
        chosen = (levels or {}).get(criterion.id)
        level = next((lv for lv in criterion.levels if lv.id == chosen), None)
        if level is not None:
            out.append((criterion.title, level.title))
    return out


def received_feedback(enrolment_ids, module_id: int | None = None) -> dict[int, list[ReceivedItem]]:
    """{module id: [given, not hidden feedback]} on these enrolments' work, oldest first:
    one query. Names follow the pool's setting at reading time."""
    ids = list(enrolment_ids)
    if not ids:
        return {}
    statement = (
        sa.select(PeerReview).where(PeerReview.author_enrolment_id.in_(ids),
                                    PeerReview.status == PeerReviewStatus.GIVEN, PeerReview.hidden_at.is_(None))
        .options(selectinload(PeerReview.setting), selectinload(PeerReview.module),
                 selectinload(PeerReview.reviewer_enrolment).selectinload(Enrolment.user))
        .order_by(PeerReview.given_at, PeerReview.id))
    if module_id is not None:
        statement = statement.where(PeerReview.module_id == module_id)
    grouped: dict[int, list[ReceivedItem]] = {}
    for review in db.session.scalars(statement):
        levels = level_titles(review.module, review.rubric_levels) if review.setting.use_rubric else []
        grouped.setdefault(review.module_id, []).append(ReceivedItem(
            review, display_name(review.reviewer_enrolment.user, review.setting.anonymous), levels))
    return grouped


@dataclass
class ModuleState:
    """What the assignment page shows about peer feedback."""

    setting: PeerSetting
    submitted: bool
    consented: bool | None
    tasks: list[PeerReview]
    owed: int
    extra_possible: bool
    received: list[ReceivedItem]
    show_in_workbook: bool
    # False once the trainer switched peer feedback off: feedback already given still shows.
    active: bool = True

    @property
    def open_task(self) -> PeerReview | None:
        return next((t for t in self.tasks if t.status == PeerReviewStatus.ASSIGNED), None)

    @property
    def given_count(self) -> int:
        return sum(1 for t in self.tasks if t.status == PeerReviewStatus.GIVEN)


def module_state(enrolment: Enrolment, module: CourseModule, submission: Submission | None) -> ModuleState | None:
    setting = setting_for_enrolment(enrolment)
    if setting is None:
        return None  # never set up for this group: no feedback to show either (one query)
    if not (module.has_assignment and setting.covers(module.id)):
        return _switched_off_state(enrolment, module, submission, setting)
    submitted = submission is not None and submission.status != SubmissionStatus.DRAFT
    consent = db.session.get(PeerConsent, submission.id) if submission is not None else None
    tasks = list(db.session.scalars(
        sa.select(PeerReview).where(PeerReview.reviewer_enrolment_id == enrolment.id,
                                    PeerReview.module_id == module.id).order_by(PeerReview.slot)))
    owed = max(setting.reviews_per_learner - len(tasks), 0)
    extra = False
    if submitted and not owed and all(t.is_given for t in tasks):
        from .allocation import choose_work

        extra = choose_work(load_pool(setting, module.id), enrolment.id) is not None
    preference = db.session.get(PeerPreference, enrolment.id)
    return ModuleState(setting=setting, submitted=submitted, consented=consent.consented if consent else None,
                       tasks=tasks, owed=owed, extra_possible=extra,
                       received=received_feedback([enrolment.id], module.id).get(module.id, []),
                       show_in_workbook=bool(preference and preference.show_in_workbook))


def _switched_off_state(enrolment: Enrolment, module: CourseModule, submission,
                        setting: PeerSetting) -> ModuleState | None:
    """Peer feedback no longer on for this assignment: what colleagues already gave stays readable."""
    received = received_feedback([enrolment.id], module.id).get(module.id, [])
    if not received:
        return None
    preference = db.session.get(PeerPreference, enrolment.id)
    return ModuleState(setting=setting, submitted=submission is not None, consented=None, tasks=[], owed=0,
                       extra_possible=False, received=received,
                       show_in_workbook=bool(preference and preference.show_in_workbook), active=False)


def shows_consent_question(enrolment: Enrolment, module: CourseModule) -> bool:
    return covering_setting(enrolment, module) is not None


def task_for_reviewer(user, public_id: str) -> PeerReview | None:
    """The reviewer's own allocation, or None (another person's answers 404)."""
    review = db.session.scalar(
        sa.select(PeerReview).where(PeerReview.public_id == public_id)
        .options(selectinload(PeerReview.reviewer_enrolment), selectinload(PeerReview.version),
                 selectinload(PeerReview.module).selectinload(CourseModule.course)))
    if review is None or not permissions.can_give_peer_review(user, review):
        return None
    return review


def work_is_shown(review: PeerReview) -> bool:
    """The author's text is shown only with their consent (still given) and account."""
    consent = db.session.get(PeerConsent, review.submission_id)
    author = review.author_enrolment.user
    return bool(consent and consent.consented) and author is not None and author.erased_at is None


# ---- the trainer's side ----------------------------------------------------------


@dataclass
class PoolScope:
    kind: str  # "groep" or "cursus"
    key: str
    course: Course
    cohort: Cohort | None
    title: str


def load_scope(user, kind: str, key: str) -> PoolScope | None:
    """The cohort (or the course's self-enrolled learners), if this user manages its
    peer feedback; None otherwise (→ 404)."""
    if kind == "groep":
        cohort = db.session.scalar(sa.select(Cohort).where(Cohort.public_id == key)
                                   .options(selectinload(Cohort.course), selectinload(Cohort.organisation)))
        if cohort is None or not permissions.can_manage_peer_feedback(user, cohort.course, cohort):
            return None
        return PoolScope(kind, key, cohort.course, cohort, f"{cohort.name} · {cohort.organisation.name}")
    if kind == "cursus":
        course = db.session.scalar(sa.select(Course).where(Course.slug == key, Course.is_active.is_(True)))
        if course is None or not permissions.can_manage_peer_feedback(user, course, None):
            return None
        return PoolScope(kind, key, course, None, _("%(course)s · self-enrolled learners", course=course.title))
    return None


@dataclass
class LearnerRow:
    enrolment: Enrolment
    submitted: bool
    consented: bool | None
    given: list[PeerReview]
    received: list[PeerReview]


@dataclass
class ModuleOverview:
    module: CourseModule
    rows: list[LearnerRow]


def pool_overview(scope: PoolScope, setting: PeerSetting | None) -> list[ModuleOverview]:
    """Per chosen assignment, per learner: who gave and received what (hidden ones
    included, marked). Four queries, whatever the number of learners."""
    if setting is None or not setting.module_ids:
        return []
    modules = [m for m in scope.course.active_modules if m.id in setting.module_ids and m.has_assignment]
    enrolments = db.session.scalars(
        sa.select(Enrolment).join(User, Enrolment.user_id == User.id).where(pool_members(setting))
        .options(selectinload(Enrolment.user)).order_by(User.name, Enrolment.id)).all()
    ids = [e.id for e in enrolments] or [-1]
    submissions = {(s.enrolment_id, s.module_id): (s, consented) for s, consented in db.session.execute(
        sa.select(Submission, PeerConsent.consented).outerjoin(PeerConsent, PeerConsent.submission_id == Submission.id)
        .where(Submission.enrolment_id.in_(ids), Submission.status != SubmissionStatus.DRAFT))}
    reviews = db.session.scalars(
        sa.select(PeerReview).where(PeerReview.setting_id == setting.id)
        .order_by(PeerReview.given_at, PeerReview.id)).all()
    given: dict[tuple[int, int], list[PeerReview]] = {}
    received: dict[tuple[int, int], list[PeerReview]] = {}
    for review in reviews:
        given.setdefault((review.reviewer_enrolment_id, review.module_id), []).append(review)
        received.setdefault((review.author_enrolment_id, review.module_id), []).append(review)
    result = []
    for module in modules:
        rows = []
        for enrolment in enrolments:
            found = submissions.get((enrolment.id, module.id))
            rows.append(LearnerRow(enrolment, found is not None, found[1] if found else None,
                                   given.get((enrolment.id, module.id), []),
                                   received.get((enrolment.id, module.id), [])))
        result.append(ModuleOverview(module, rows))
    return result


def names_of(overview: list[ModuleOverview]) -> dict[int, str]:
    """{enrolment id: name} of the pool's learners, for the overview's columns (no query)."""
    return {row.enrolment.id: row.enrolment.user.name for part in overview for row in part.rows}


# ---- workbook and export ----------------------------------------------------------


def workbook_feedback(enrolment: Enrolment) -> dict[int, list[ReceivedItem]]:
    """{module id: feedback} for the workbook, only when the learner chose to include it."""
    preference = get_by_key(PeerPreference, enrolment.id)
    if preference is None or not preference.show_in_workbook:
        return {}
    return received_feedback([enrolment.id])


def export_for(user: User) -> dict:
    """The person's peer feedback, given and received, for the data export (AVG art. 15).
    Colleagues appear only as "a colleague"; hidden feedback is included and marked."""
    ids = sa.select(Enrolment.id).where(Enrolment.user_id == user.id)
    reviews = db.session.scalars(
        sa.select(PeerReview).where(sa.or_(PeerReview.reviewer_enrolment_id.in_(ids),
                                           PeerReview.author_enrolment_id.in_(ids)))
        .options(selectinload(PeerReview.module).selectinload(CourseModule.course),
                 selectinload(PeerReview.reviewer_enrolment))
        .order_by(PeerReview.created_at, PeerReview.id)).all()
    consents = db.session.execute(
        sa.select(PeerConsent, Submission.module_id).join(Submission, PeerConsent.submission_id == Submission.id)
        .where(Submission.enrolment_id.in_(ids))).all()
    modules = {m.id: m for m in db.session.scalars(sa.select(CourseModule).where(
        CourseModule.id.in_([module_id for _c, module_id in consents] or [-1])))}
    preferences = db.session.scalars(sa.select(PeerPreference).where(PeerPreference.enrolment_id.in_(ids))).all()

    def item(review: PeerReview) -> dict:
        return {"course": review.module.course.title, "module": review.module.title,
                "status": review.status.value, "allocated_at": _moment(review.created_at),
                "given_at": _moment(review.given_at), "strengths": review.strengths,
                "improvements": review.improvements, "rubric_levels": review.rubric_levels or {},
                "hidden_by_trainer": review.hidden_at is not None}

    mine = {r.reviewer_enrolment_id for r in reviews if r.reviewer_enrolment.user_id == user.id}
    return {
        "given": [item(r) for r in reviews if r.reviewer_enrolment_id in mine],
        "received": [item(r) for r in reviews if r.reviewer_enrolment_id not in mine and r.is_given],
        "consents": [{"module": modules[module_id].title if module_id in modules else None,
                      "consented": c.consented, "at": _moment(c.decided_at)} for c, module_id in consents],
        "show_in_workbook": any(p.show_in_workbook for p in preferences),
    }


def _moment(value):
    return value.isoformat() if value else None


def review_for_moderation(user, public_id: str) -> PeerReview | None:
    review = db.session.scalar(sa.select(PeerReview).where(PeerReview.public_id == public_id)
                               .options(selectinload(PeerReview.setting)))
    if review is None or not permissions.can_hide_peer_review(user, review):
        return None
    return review


def module_by_slug(enrolment: Enrolment, slug: str):
    return sa.select(CourseModule).where(CourseModule.course_id == enrolment.course_id, CourseModule.slug == slug,
                                         CourseModule.is_active.is_(True))


def consent_answer(enrolment: Enrolment, module: CourseModule, form) -> bool | None:
    """The consent checkbox of the assignment form: None when it was not asked."""
    if not shows_consent_question(enrolment, module):
        return None
    return form.get("peer_consent") == "y"
