"""The learner's actions. Each public function is one unit of work and commits once.

Rules that depend on state live here (locked modules, quiz attempts and cooling-off,
editable assignments); views only load, check the policy and call these.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from course import request_cache
from course.content.model import Field
from course.errors import DomainError, InvalidTransition, NotAllowed
from course.extensions import db
from course.formatting import display_datetime
from course.models import (
    Course,
    CourseModule,
    Enrolment,
    EventKind,
    QuizAttempt,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    utcnow,
)

from . import attempts as attempts_rules
from . import completion
from .grading import grade_quiz, parse_answers
from .queries.progress import attempts_of_enrolments, course_state


class ModuleLocked(DomainError):
    pass


class QuizUnavailable(DomainError):
    pass


class SubmissionLocked(InvalidTransition):
    pass


class AssignmentInvalid(DomainError):
    """Fields too long or empty: `errors` maps field id -> message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


# ---- loading, scoped to the learner ----------------------------------------


def active_course(slug: str) -> Course | None:
    return db.session.scalar(sa.select(Course).where(Course.slug == slug, Course.is_active.is_(True)))


def module_of(enrolment: Enrolment, module_slug: str) -> CourseModule | None:
    """The active module. On a GET it is found in the enrolment's course state, which
    the page needs anyway (computed once per request); a form post asks the database."""
    if request_cache.active():
        state = course_state(enrolment).module(module_slug)
        return state.module if state is not None else None
    return db.session.scalar(
        sa.select(CourseModule).where(CourseModule.course_id == enrolment.course_id,
                                      CourseModule.slug == module_slug, CourseModule.is_active.is_(True))
    )


def submission_of(enrolment: Enrolment, module: CourseModule) -> Submission | None:
    return db.session.scalar(
        sa.select(Submission).where(Submission.enrolment_id == enrolment.id, Submission.module_id == module.id)
    )


def attempts_of(enrolment: Enrolment, module: CourseModule) -> list[QuizAttempt]:
    return [a for a in attempts_of_enrolments([enrolment.id]) if a.module_id == module.id]


def _ensure_unlocked(enrolment: Enrolment, module: CourseModule) -> None:
    state = course_state(enrolment).module(module.slug)
    if state is None or state.locked:
        raise ModuleLocked(_("This module is still locked. Finish the module before it first."))


# ---- enrolment and reading -------------------------------------------------


def enrol_self(user, course: Course) -> tuple[Enrolment, bool]:
    """Enrol in an open course. Returns (enrolment, created); enrolling twice is harmless."""
    existing = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
    if existing is not None:
        return existing, False
    if not (course.is_active and course.open_enrolment):
        raise NotAllowed(_("This course is not open for enrolment. Ask your organisation about it."))
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(
            sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id))
        db.session.commit()
        return existing, False
    completion.record_event(enrolment, EventKind.ENROLLED, actor=user, self_enrolled=True)
    db.session.commit()
    return enrolment, True


def mark_read(enrolment: Enrolment, module: CourseModule, actor) -> bool:
    """Mark the reading as read. Returns False when it already was."""
    completion.lock_enrolment(enrolment)
    _ensure_unlocked(enrolment, module)
    progress = completion.progress_for(enrolment, module)
    if progress.read_at is not None:
        db.session.commit()
        return False
    now = utcnow()
    progress.read_at = now
    completion.touch(enrolment, now)
    completion.record_event(enrolment, EventKind.READING_DONE, module, actor, at=now)
    db.session.flush()
    completion.check_module_completed(enrolment, module, progress, actor, at=now)
    db.session.commit()
    return True


# ---- quiz ------------------------------------------------------------------


@dataclass
class QuizAvailability:
    next_number: int
    allowed: bool
    reason: str = ""
    attempts_left: int | None = None


def pass_mark(module: CourseModule) -> int:
    quiz = module.quiz_spec
    override = quiz.pass_mark if quiz else None
    return override if override is not None else module.course.pass_mark


def blocked_message(rule: attempts_rules.Allowance) -> str:
    """What a stuck learner can do: ask for an extra attempt, or wait until a time."""
    if rule.blocked_by == "attempts":
        return _("You have used all %(max)d attempts for this quiz. Ask your trainer for an extra attempt.",
                 max=rule.max_attempts)
    if rule.blocked_by == "cooldown":
        minutes = max(1, round((rule.ready_at - utcnow()).total_seconds() / 60))
        return _("Take a short break: you can try again in %(minutes)d minutes (from %(time)s). "
                 "Reread the text in the meantime.", minutes=minutes, time=display_datetime(rule.ready_at))
    return ""


def quiz_availability(enrolment: Enrolment, module: CourseModule, attempts: list[QuizAttempt]) -> QuizAvailability:
    """The course's attempt rules with the trainer's overrides (attempts.py)."""
    next_number = (attempts[-1].number if attempts else 0) + 1
    last_failed_at = attempts[-1].submitted_at if attempts and not attempts[-1].passed else None
    grant = attempts_rules.NO_GRANT
    if module.course.quiz_max_attempts or module.course.quiz_cooldown_minutes:  # else no override matters
        grant = attempts_rules.grants_for([enrolment.id]).get((enrolment.id, module.id), attempts_rules.NO_GRANT)
    rule = attempts_rules.allowance(module.course, len(attempts), last_failed_at, grant, utcnow())
    return QuizAvailability(next_number, rule.allowed, blocked_message(rule), rule.attempts_left)


def submit_quiz(enrolment: Enrolment, module: CourseModule, number: int, form, actor) -> tuple[QuizAttempt, bool]:
    """Grade and store attempt `number`. Returns (attempt, created). A resubmit of an
    attempt that is already stored returns that attempt (created False).
    Raises QuizFormTampered / Unanswered (from grading), QuizUnavailable, ModuleLocked."""
    completion.lock_enrolment(enrolment)
    attempts = attempts_of(enrolment, module)
    stored = next((a for a in attempts if a.number == number), None)
    if stored is not None:
        db.session.commit()
        return stored, False
    _ensure_unlocked(enrolment, module)
    availability = quiz_availability(enrolment, module, attempts)
    if number != availability.next_number:
        from .grading import QuizFormTampered

        raise QuizFormTampered(f"attempt {number} is not the next attempt")
    if not availability.allowed:
        raise QuizUnavailable(availability.reason)
    quiz = module.quiz_spec
    answers = parse_answers(quiz, form)
    result = grade_quiz(quiz, answers, pass_mark(module))
    now = utcnow()
    attempt = QuizAttempt(enrolment_id=enrolment.id, module_id=module.id, number=number,
                          content_version=module.content_version, answers=answers, results=result.results_map(),
                          score=result.score, max_score=result.max_score, passed=result.passed, submitted_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(sa.select(QuizAttempt).where(
            QuizAttempt.enrolment_id == enrolment.id, QuizAttempt.module_id == module.id,
            QuizAttempt.number == number))
        db.session.commit()
        return existing, False
    completion.touch(enrolment, now)
    completion.record_event(enrolment, EventKind.QUIZ_ATTEMPTED, module, actor, at=now, attempt=number,
                            score=result.score, max_score=result.max_score, passed=result.passed)
    if result.passed:
        progress = completion.progress_for(enrolment, module)
        if progress.quiz_passed_at is None:
            progress.quiz_passed_at = now
            progress.quiz_passed_attempt_id = attempt.id
            completion.record_event(enrolment, EventKind.QUIZ_PASSED, module, actor, at=now, attempt=number,
                                    attempt_id=attempt.public_id)
            db.session.flush()
            completion.check_module_completed(enrolment, module, progress, actor, at=now)
    db.session.commit()
    return attempt, True


# ---- assignment ------------------------------------------------------------


def assignment_fields(module: CourseModule) -> list[Field]:
    assignment = module.assignment_spec
    return assignment.fields if assignment else []


def check_fields(module: CourseModule, fields: dict[str, str], require_all: bool = False) -> dict[str, str]:
    """Only the assignment's own fields, each within its length. Raises AssignmentInvalid."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for spec in assignment_fields(module):
        # NUL characters cannot be typed, and PostgreSQL text refuses them
        value = (fields.get(spec.id) or "").replace("\r\n", "\n").replace("\x00", "")
        if len(value) > spec.max_length:
            errors[spec.id] = _("%(label)s is %(length)d characters long; the limit is %(max)d. "
                                "Shorten it a little: your text is still here.",
                                label=spec.label, length=len(value), max=spec.max_length)
        elif require_all and not value.strip():
            errors[spec.id] = _("%(label)s is still empty.", label=spec.label)
        clean[spec.id] = value
    if errors:
        raise AssignmentInvalid(errors)
    return clean


def _get_or_create_submission(enrolment: Enrolment, module: CourseModule) -> Submission:
    submission = submission_of(enrolment, module)
    if submission is not None:
        return submission
    submission = Submission(enrolment_id=enrolment.id, module_id=module.id, draft_fields={})
    try:
        with db.session.begin_nested():
            db.session.add(submission)
            db.session.flush()
    except IntegrityError:
        submission = submission_of(enrolment, module)
    return submission


def save_draft(enrolment: Enrolment, module: CourseModule, fields: dict[str, str], actor) -> Submission:
    """Keep the learner's text (Save button or autosave). Raises SubmissionLocked after
    submitting, AssignmentInvalid for over-long fields, ModuleLocked."""
    completion.lock_enrolment(enrolment)
    _ensure_unlocked(enrolment, module)
    submission = submission_of(enrolment, module)
    if submission is not None and not submission.status.is_editable:
        raise SubmissionLocked(_("Your assignment has been submitted; it can be changed again when "
                                 "your trainer asks for a revision."))
    known = {spec.id for spec in assignment_fields(module)}
    merged = {**(submission.draft_fields if submission else {}), **{k: v for k, v in fields.items() if k in known}}
    clean = check_fields(module, merged)
    submission = _get_or_create_submission(enrolment, module)
    now = utcnow()
    submission.draft_fields = clean
    submission.draft_saved_at = now
    completion.touch(enrolment, now)
    db.session.commit()
    return submission


def submit_assignment(enrolment: Enrolment, module: CourseModule, fields: dict[str, str],
                      actor, peer_consent: bool | None = None) -> tuple[Submission, bool]:
    """Submit the text for review: a new frozen version, status "submitted", a feedback
    due date. Returns (submission, created); the same text submitted twice counts once.
    `peer_consent`: the answer to "may colleagues read this?" when peer feedback is on
    (course/peer), stored in the same transaction."""
    completion.lock_enrolment(enrolment)
    submission = submission_of(enrolment, module)
    clean = check_fields(module, fields, require_all=False)
    if submission is not None and not submission.status.is_editable:
        if submission.versions and submission.versions[-1].fields == clean:
            db.session.commit()
            return submission, False
        raise SubmissionLocked(_("Your assignment has already been submitted; it can be changed again "
                                 "when your trainer asks for a revision."))
    _ensure_unlocked(enrolment, module)
    clean = check_fields(module, fields, require_all=True)
    submission = _get_or_create_submission(enrolment, module)
    now = utcnow()
    number = len(submission.versions) + 1
    try:
        with db.session.begin_nested():
            version = SubmissionVersion(submission_id=submission.id, number=number, fields=clean,
                                        content_version=module.content_version, submitted_at=now)
            db.session.add(version)
            db.session.flush()
    except IntegrityError:
        db.session.commit()
        return submission_of(enrolment, module), False
    submission.status = SubmissionStatus.SUBMITTED
    submission.draft_fields = clean
    submission.draft_saved_at = now
    submission.submitted_at = now
    submission.feedback_due_on = completion.feedback_due_date(module.course, now)
    submission.lock_version = (submission.lock_version or 0) + 1
    completion.touch(enrolment, now)
    completion.record_event(enrolment, EventKind.ASSIGNMENT_SUBMITTED, module, actor, at=now, version=number)
    if peer_consent is not None:
        from course.peer.services import record_consent

        record_consent(submission, peer_consent)
    db.session.commit()
    db.session.refresh(submission)
    return submission, True
