"""Review state changes. Each public function is one unit of work and commits once.

`decide` is the heart: it records a trainer's decision on the latest submitted
version, guarded by an optimistic version check (Submission.lock_version), and
hands over to the learner's completion hooks in the same transaction.
"""
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from course import permissions
from course.audit.services import record_event
from course.content.model import Criterion
from course.errors import ConflictError, DomainError, InvalidTransition
from course.extensions import db
from course.mail import queue_mail
from course.models import (
    AuditAction,
    FeedbackSnippet,
    OutboxMail,
    Review,
    ReviewDecision,
    ReviewScore,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)
from course.urls import external_url


class InvalidScores(DomainError):
    """The rubric scores do not fit the assignment's rubric (tampered or incomplete)."""


class NotWaiting(InvalidTransition):
    """The submission is not waiting for review (already decided, a draft, withdrawn)."""


class ReviewConflict(ConflictError):
    """Another trainer decided first. `review` is their decision (may be None)."""

    def __init__(self, message: str, review: Review | None = None):
        super().__init__(message)
        self.review = review


@dataclass(frozen=True)
class Score:
    criterion_id: str
    level_id: str
    points: int
    comment: str


# ---- validation (pure) ----------------------------------------------------


def check_scores(rubric: list[Criterion], scores: dict[str, dict]) -> list[Score]:
    """Validate `{criterion_id: {"level": id, "comment": str, "points": int|None}}`
    against the rubric: every criterion needs a known level; unknown criteria and
    points outside the criterion's range are refused. Returns the scores in rubric order."""
    known = {criterion.id: criterion for criterion in rubric}
    unknown = sorted(set(scores) - set(known))
    if unknown:
        raise InvalidScores(_("Unknown rubric criterion: %(names)s.", names=", ".join(unknown)))
    checked = []
    for criterion in rubric:
        given = scores.get(criterion.id) or {}
        level_id = given.get("level")
        if not level_id:
            raise InvalidScores(_("Choose a level for “%(criterion)s”.", criterion=criterion.title))
        level = criterion.level(level_id)
        if level is None:
            raise InvalidScores(_("Unknown level for “%(criterion)s”.", criterion=criterion.title))
        points = given.get("points")
        points = level.points if points is None else points
        all_points = [lv.points for lv in criterion.levels]
        if not isinstance(points, int) or isinstance(points, bool) or not min(all_points) <= points <= max(all_points):
            raise InvalidScores(_("Points for “%(criterion)s” must be between %(low)d and %(high)d.",
                                  criterion=criterion.title, low=min(all_points), high=max(all_points)))
        checked.append(Score(criterion.id, level_id, points, (given.get("comment") or "").strip()))
    return checked


def max_points(rubric: list[Criterion]) -> int:
    return sum(c.max_points for c in rubric)


def rubric_of(module) -> list[Criterion]:
    """The module's rubric (empty without an assignment)."""
    assignment = module.assignment_spec
    return assignment.rubric if assignment else []


# ---- the decision -----------------------------------------------------------


def latest_review(submission: Submission) -> Review | None:
    """The most recent decision on any version of this submission."""
    return db.session.scalar(
        sa.select(Review).join(SubmissionVersion, Review.version_id == SubmissionVersion.id)
        .where(SubmissionVersion.submission_id == submission.id)
        .order_by(SubmissionVersion.number.desc(), Review.id.desc()).limit(1)
    )


def _conflict(submission: Submission) -> ReviewConflict:
    db.session.refresh(submission)
    first = latest_review(submission)
    if first is None or submission.status == SubmissionStatus.SUBMITTED:
        # Not another trainer's decision: e.g. the learner resubmitted in the meantime.
        return ReviewConflict(_("This submission was changed while you were reviewing it. "
                                "Nothing was saved; look at it again."))
    return ReviewConflict(
        _("%(name)s already decided on this submission while you were reviewing it. "
          "Your decision was not saved; their decision stands.",
          name=first.reviewer.name if first.reviewer else _("Another trainer")),
        review=first,
    )


def _not_waiting(submission: Submission) -> NotWaiting:
    messages = {
        SubmissionStatus.APPROVED: _("This submission has already been approved; there is nothing to review."),
        SubmissionStatus.REVISION_REQUESTED: _("A revision has already been requested. "
                                               "You can review again once the learner resubmits."),
        SubmissionStatus.DRAFT: _("This submission is not waiting for review: the learner has not submitted it "
                                  "(or withdrew it)."),
    }
    return NotWaiting(messages.get(submission.status, _("This submission is not waiting for review.")))


def decide(submission: Submission, reviewer: User, decision, scores: dict[str, dict], feedback_md: str,
           expected_lock_version: int) -> Review:
    """Record the reviewer's decision on the latest version: Review + ReviewScores,
    the new status (approved / revision_requested), the learner's mail and the
    completion hooks, in one transaction. Raises InvalidScores, NotWaiting or
    ReviewConflict (nothing is written then)."""
    decision = ReviewDecision(decision)
    rubric = rubric_of(submission.module)
    checked = check_scores(rubric, scores)
    if submission.lock_version != expected_lock_version:
        raise _conflict(submission)
    if submission.status != SubmissionStatus.SUBMITTED or not submission.versions:
        raise _not_waiting(submission)
    version = submission.versions[-1]
    now = utcnow()
    new_status = (SubmissionStatus.APPROVED if decision == ReviewDecision.APPROVED
                  else SubmissionStatus.REVISION_REQUESTED)
    claimed = db.session.execute(
        sa.update(Submission)
        .where(Submission.id == submission.id, Submission.lock_version == expected_lock_version,
               Submission.status == SubmissionStatus.SUBMITTED)
        .values(status=new_status, decided_at=now, lock_version=expected_lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        db.session.rollback()
        raise _conflict(submission)
    db.session.expire(submission, ["status", "decided_at", "lock_version"])
    review = Review(version=version, reviewer=reviewer, decision=decision,
                    feedback_md=(feedback_md or "").strip(), created_at=now)
    review.scores = [ReviewScore(criterion_id=s.criterion_id, level_id=s.level_id, points=s.points,
                                 comment=s.comment) for s in checked]
    db.session.add(review)
    db.session.flush()
    _mail_learner(submission, review, rubric)
    _run_completion_hook(submission, reviewer, decision)
    _audit_decision(submission, reviewer, decision, version)
    db.session.commit()
    return review


def _audit_decision(submission: Submission, reviewer: User, decision: ReviewDecision,
                    version: SubmissionVersion) -> None:
    enrolment = submission.enrolment
    record_event(AuditAction.SUBMISSION_APPROVED if decision == ReviewDecision.APPROVED
                 else AuditAction.REVISION_REQUESTED,
                 actor=reviewer, subject=enrolment.user_id, course=enrolment.course_id,
                 organisation=enrolment.cohort.organisation_id if enrolment.cohort else None, obj=submission,
                 details={"module": submission.module.slug, "version": version.number})


def _run_completion_hook(submission: Submission, actor: User, decision: ReviewDecision) -> None:
    from course.learn import completion  # the learner area sits above review: imported when used

    if decision == ReviewDecision.APPROVED:
        completion.on_assignment_approved(submission, actor)
    else:
        completion.on_revision_requested(submission, actor)



def _mail_learner(submission: Submission, review: Review, rubric: list[Criterion]) -> None:
    learner = submission.enrolment.user
    module = submission.module
    approved = review.decision == ReviewDecision.APPROVED
    titles = {c.id: c.title for c in rubric}
    levels = {(c.id, lv.id): lv.title for c in rubric for lv in c.levels}
    scores = [{"criterion": titles.get(s.criterion_id, s.criterion_id),
               "level": levels.get((s.criterion_id, s.level_id), s.level_id), "comment": s.comment}
              for s in review.scores]
    subject = (_l("Your assignment “%(module)s” has been approved", module=module.title) if approved
               else _l("Your trainer asks you to revise “%(module)s”", module=module.title))
    queue_mail(
        learner.email, subject, "review_approved" if approved else "review_revision_requested",
        kind="review_decided", locale=learner.locale, learner=learner, module=module,
        course=submission.enrolment.course, review=review, scores=scores,
        # straight to the feedback on the assignment page (the learner's "Nieuw voor jou" links there too)
        link=external_url("learn.assignment", course_slug=submission.enrolment.course.slug,
                          module_slug=module.slug) + "#feedback",
    )


# ---- feedback snippets --------------------------------------------------------


def create_snippet(trainer: User, title: str, body: str) -> FeedbackSnippet:
    snippet = FeedbackSnippet(trainer_id=trainer.id, title=title.strip(), body=body.strip())
    db.session.add(snippet)
    db.session.commit()
    return snippet


def update_snippet(snippet: FeedbackSnippet, title: str, body: str) -> FeedbackSnippet:
    snippet.title, snippet.body = title.strip(), body.strip()
    db.session.commit()
    return snippet


def delete_snippet(snippet: FeedbackSnippet) -> None:
    db.session.delete(snippet)
    db.session.commit()


# ---- the daily digest -----------------------------------------------------------


def send_digests(today: date | None = None) -> list[tuple[str, int]]:
    """Queue one digest mail per trainer with waiting work (at most one per day).
    Platform admins also get the work that no trainer sees ("zonder trainer").
    Returns [(email, waiting count)] for the mails queued."""
    from .queries.queue import WaitingSummary, unassigned_summary, waiting_summary

    today = today or utcnow().date()
    start_of_day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    already = set(db.session.scalars(
        sa.select(OutboxMail.to_address).where(OutboxMail.kind == "review_digest",
                                               OutboxMail.created_at >= start_of_day)
    ))
    queued = []
    trainers = sa.select(User).where(permissions.trainer_candidates(), User.is_active_account.is_(True))
    nobody = None  # the unassigned work, computed once for all admins
    for trainer in db.session.scalars(trainers.order_by(User.id)):
        if trainer.email in already:
            continue
        summary = waiting_summary(trainer, today, assigned_only=True)
        unassigned = WaitingSummary(0, 0, None, [])
        if permissions.can_see_unassigned_work(trainer):
            nobody = nobody or unassigned_summary(today)
            unassigned = nobody
        total = summary.waiting + unassigned.waiting  # disjoint: appointed work has a trainer
        if not total:
            continue
        queue_mail(trainer.email, lazy_ngettext("%(num)d submission waiting for your feedback",
                                                 "%(num)d submissions waiting for your feedback", total),
                   "digest", kind="review_digest", locale=trainer.locale, trainer=trainer, summary=summary,
                   unassigned=unassigned, link=external_url("review.queue"),
                   unassigned_link=external_url("review.queue", trainer="none"))
        queued.append((trainer.email, total))
    db.session.commit()
    return queued
