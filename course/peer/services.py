"""Peer feedback state changes. Each public function is one unit of work and commits
once, except `record_consent`, which joins the learner's submit (course/learn)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from course import permissions
from course.audit.services import record_event
from course.errors import DomainError, InvalidTransition
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
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
from course.models.peer import MAX_REVIEWS, pool_key
from course.urls import external_url

from . import queries
from .allocation import choose_work, owes

MAX_TEXT = 2000


class NothingToReview(DomainError):
    """No colleague's work is available for this reviewer now."""


class PeerInvalid(DomainError):
    """The feedback form does not fit: `errors` maps field id -> message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


# ---- settings (trainers) ---------------------------------------------------------


def save_setting(course, cohort, actor, *, enabled: bool, module_ids: list[int], per_learner: int,
                 anonymous: bool, use_rubric: bool) -> PeerSetting:
    """Create or change the pool's setting (audited). Unknown modules are refused."""
    allowed = {m.id for m in course.active_modules if m.has_assignment}
    if not set(module_ids) <= allowed:
        raise DomainError(_("Choose assignments of this course only."))
    if not 1 <= per_learner <= MAX_REVIEWS:
        raise DomainError(_("Choose between 1 and %(max)d reviews per learner.", max=MAX_REVIEWS))
    key = pool_key(course.id, cohort.id if cohort is not None else None)
    setting = db.session.scalar(sa.select(PeerSetting).where(PeerSetting.pool_key == key).with_for_update())
    if setting is None:
        setting = PeerSetting(pool_key=key, course_id=course.id, cohort_id=cohort.id if cohort else None)
        try:
            with db.session.begin_nested():
                db.session.add(setting)
                db.session.flush()
        except IntegrityError:  # created at the same moment by another trainer: change theirs
            setting = db.session.scalar(sa.select(PeerSetting).where(PeerSetting.pool_key == key))
    setting.enabled = enabled
    setting.module_ids = sorted(set(module_ids))
    setting.reviews_per_learner = per_learner
    setting.anonymous = anonymous
    setting.use_rubric = use_rubric
    setting.updated_by_id = actor.id
    setting.updated_at = utcnow()
    record_event(AuditAction.PEER_SETTINGS_CHANGED, actor=actor,
                 organisation=cohort.organisation_id if cohort is not None else None, course=course,
                 obj=cohort, details={"enabled": enabled, "assignments": len(module_ids),
                                      "per_learner": per_learner, "anonymous": anonymous,
                                      "rubric": use_rubric})
    db.session.commit()
    return setting


# ---- consent (joins the learner's submit) ------------------------------------------


def record_consent(submission: Submission, consented: bool) -> None:
    """The author's answer on submitting. Withdrawn consent also withdraws the
    allocations of this work that were not answered yet. Never commits."""
    consent = db.session.get(PeerConsent, submission.id)
    newly_shared = consented and not (consent is not None and consent.consented)
    if consent is None:
        consent = PeerConsent(submission_id=submission.id)
        db.session.add(consent)
    consent.consented = consented
    consent.decided_at = utcnow()
    if not consented:
        db.session.execute(sa.delete(PeerReview).where(
            PeerReview.submission_id == submission.id, PeerReview.status == PeerReviewStatus.ASSIGNED)
            .execution_options(synchronize_session=False))
    db.session.flush()
    if newly_shared:
        _ask_colleagues_for(submission)


def _ask_colleagues_for(submission: Submission) -> None:
    """A late submitter's work: when the colleagues who still owe reviews are too few to
    give it its reviews (the others gave their share already), ask as many of those who
    did as it misses, by mail, for one more. Without the mail a late work waits for
    colleagues who happen to come back. The mail names nobody. Never commits."""
    enrolment, module = submission.enrolment, submission.module
    setting = queries.covering_setting(enrolment, module)
    if setting is None:
        return
    pool = queries.load_pool(setting, module.id)
    author = enrolment.id
    still_owing = sum(1 for r in pool.reviewers if r != author and owes(pool, r))
    missing = setting.reviews_per_learner - pool.received[submission.id] - still_owing
    if missing <= 0:
        return
    done = sorted((r for r in pool.reviewers if r != author and not owes(pool, r)
                   and (r, submission.id) not in pool.allocations), key=lambda r: (pool.given[r], r))
    if not done:
        return
    order = {enrolment_id: i for i, enrolment_id in enumerate(done)}  # fewest reviews given first
    rows = db.session.execute(
        sa.select(User, Enrolment.id).join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.id.in_(done), User.erased_at.is_(None), User.is_active_account.is_(True))).all()
    colleagues = [user for user, _id in sorted(rows, key=lambda row: order[row[1]])]
    course = module.course
    link = external_url("learn.assignment", course_slug=course.slug, module_slug=module.slug) + "#peer-give"
    for colleague in colleagues[:missing]:
        queue_mail(colleague.email, _l("A colleague is waiting for your feedback on “%(module)s”", module=module.title),
                   "peer_review_wanted", kind="peer_review_wanted", locale=colleague.locale, recipient=colleague,
                   learner=colleague, module=module, course=course, link=link)


def change_consent(submission: Submission, actor, consented: bool) -> bool:
    """The author changes their answer after submitting: withdrawn consent takes the work
    out of colleagues' view (and their unanswered requests); consent given later lets
    colleagues review it. Returns False when nothing changed."""
    if not permissions.can_change_peer_consent(actor, submission):
        raise InvalidTransition(_("Only the author of submitted work can change this."))
    if queries.covering_setting(submission.enrolment, submission.module) is None:
        raise InvalidTransition(_("Peer feedback is not switched on for this assignment."))
    consent = db.session.get(PeerConsent, submission.id)
    if consent is not None and consent.consented == consented:
        db.session.commit()
        return False
    record_consent(submission, consented)
    db.session.commit()
    return True


# ---- allocation -------------------------------------------------------------------


def _lock_setting(setting: PeerSetting) -> PeerSetting:
    """Serialise allocations in this pool until the transaction ends: a row lock on
    PostgreSQL, the write lock on SQLite (course/sqlite_locks.py)."""
    return db.session.scalar(sa.select(PeerSetting).where(PeerSetting.id == setting.id)
                             .with_for_update().execution_options(populate_existing=True))


def allocate_next(enrolment: Enrolment, module: CourseModule) -> PeerReview:
    """Give the reviewer the next colleague's work (allocation.choose_work), or their
    open one. Raises NothingToReview, or InvalidTransition before their own submit."""
    setting = queries.covering_setting(enrolment, module)
    if setting is None:
        raise InvalidTransition(_("Peer feedback is not switched on for this assignment."))
    setting = _lock_setting(setting)
    mine = list(db.session.scalars(sa.select(PeerReview).where(
        PeerReview.reviewer_enrolment_id == enrolment.id, PeerReview.module_id == module.id)
        .order_by(PeerReview.slot)))
    open_task = next((r for r in mine if r.status == PeerReviewStatus.ASSIGNED), None)
    if open_task is not None:
        db.session.commit()
        return open_task
    pool = queries.load_pool(setting, module.id)
    if enrolment.id not in pool.reviewers:
        db.session.rollback()
        raise InvalidTransition(_("Submit your own assignment first; then you give feedback to colleagues."))
    work = choose_work(pool, enrolment.id)
    if work is None:
        db.session.rollback()
        raise NothingToReview(_("There is no colleague's work to give feedback on right now. "
                                "Come back later: colleagues who submit later also need your feedback."))
    submission = db.session.get(Submission, work.submission_id)
    review = PeerReview(setting_id=setting.id, module_id=module.id, reviewer_enrolment_id=enrolment.id,
                        author_enrolment_id=work.author, submission_id=work.submission_id,
                        version_id=submission.versions[-1].id, slot=max((r.slot for r in mine), default=0) + 1)
    try:
        with db.session.begin_nested():
            db.session.add(review)
            db.session.flush()
    except IntegrityError:  # a double request: the other one allocated
        db.session.rollback()
        raise NothingToReview(_("This was just allocated in another window. Open the assignment again.")) from None
    db.session.commit()
    return review


# ---- giving feedback -----------------------------------------------------------------


def check_feedback(module: CourseModule, use_rubric: bool, strengths: str, improvements: str,
                   levels: dict[str, str]) -> tuple[str, str, dict]:
    """Both prompts answered, within their length; rubric levels known (each optional)."""
    errors = {}
    clean = {}
    for field_id, value, label in (("strengths", strengths, _("What is strong?")),
                                   ("improvements", improvements, _("What could be sharper?"))):
        value = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
        if not value:
            errors[field_id] = _("%(label)s is still empty.", label=label)
        elif len(value) > MAX_TEXT:
            errors[field_id] = _("%(label)s is %(length)d characters long; the limit is %(max)d. "
                                 "Shorten it a little: your text is still here.",
                                 label=label, length=len(value), max=MAX_TEXT)
        clean[field_id] = value
    chosen = {}
    if use_rubric:
        rubric = {c.id: {lv.id for lv in c.levels} for c in queries.rubric_of(module)}
        for criterion_id, level_id in (levels or {}).items():
            if not level_id:
                continue
            if criterion_id not in rubric or level_id not in rubric[criterion_id]:
                errors["rubric"] = _("Choose one of the levels shown.")
                break
            chosen[criterion_id] = level_id
    if errors:
        raise PeerInvalid(errors)
    return clean["strengths"], clean["improvements"], chosen


def give_feedback(review: PeerReview, actor, strengths: str, improvements: str, levels: dict[str, str]) -> bool:
    """Store the feedback and tell the author (mail through the outbox). Returns False
    when it had already been given (a double submit). Raises PeerInvalid."""
    locked = db.session.scalar(sa.select(PeerReview).where(PeerReview.id == review.id).with_for_update()
                               .execution_options(populate_existing=True))
    if locked is None:
        raise InvalidTransition(_("This feedback request no longer exists: the colleague withdrew their work."))
    if locked.status == PeerReviewStatus.GIVEN:
        db.session.commit()
        return False
    strengths, improvements, chosen = check_feedback(locked.module, locked.setting.use_rubric, strengths,
                                                     improvements, levels)
    locked.strengths, locked.improvements, locked.rubric_levels = strengths, improvements, chosen
    locked.status = PeerReviewStatus.GIVEN
    locked.given_at = utcnow()
    _notify_author(locked)
    db.session.commit()
    return True


def _notify_author(review: PeerReview) -> None:
    author = review.author_enrolment.user
    if author is None or author.erased_at is not None or not author.is_active_account:
        return
    module = review.module
    course = module.course
    queue_mail(author.email, _l("A colleague gave feedback on “%(module)s”", module=module.title),
               "peer_feedback_received", kind="peer_feedback", locale=author.locale, learner=author,
               module=module, course=course,
               reviewer=queries.display_name(review.reviewer_enrolment.user, review.setting.anonymous),
               link=external_url("learn.assignment", course_slug=course.slug, module_slug=module.slug)
               + "#peer-feedback")


# ---- moderation (trainers) --------------------------------------------------------------


def set_hidden(review: PeerReview, actor, hidden: bool) -> bool:
    """Hide inappropriate feedback from its author, or show it again (audited).
    Returns False when nothing changed."""
    if not permissions.can_hide_peer_review(actor, review):
        raise InvalidTransition(_("You cannot moderate this feedback."))
    if review.is_hidden == hidden or not review.is_given:
        db.session.commit()
        return False
    review.hidden_at = utcnow() if hidden else None
    review.hidden_by_id = actor.id if hidden else None
    setting = review.setting
    record_event(AuditAction.PEER_REVIEW_HIDDEN if hidden else AuditAction.PEER_REVIEW_SHOWN, actor=actor,
                 subject=review.reviewer_enrolment.user_id,
                 organisation=setting.cohort.organisation_id if setting.cohort is not None else None,
                 course=setting.course_id, obj=review, details={"author": review.author_enrolment.user_id})
    db.session.commit()
    return True


# ---- the author's choice ---------------------------------------------------------------


def set_workbook_choice(enrolment: Enrolment, show: bool) -> None:
    preference = db.session.get(PeerPreference, enrolment.id)
    if preference is None:
        preference = PeerPreference(enrolment_id=enrolment.id)
        try:
            with db.session.begin_nested():
                db.session.add(preference)
                db.session.flush()
        except IntegrityError:
            preference = db.session.get(PeerPreference, enrolment.id)
    preference.show_in_workbook = show
    db.session.commit()


def submitted(submission: Submission | None) -> bool:
    return submission is not None and submission.status != SubmissionStatus.DRAFT
