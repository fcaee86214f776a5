"""Demo step: the trainer's dashboard comes alive.

Runs after the learning step (course.demo.learning), which leaves
leerling@example.org with the introduction's assignment submitted and
afgerond@example.org with every assignment submitted. This step:

- assigns trainer@example.org to the demo course (CourseTrainer);
- approves all of afgerond@example.org's assignments through the review service,
  so the completion hooks complete the modules and the course (badges, certificate);
- asks leerling@example.org for a revision and resubmits a changed text, so the
  queue holds a resubmission with a per-field diff;
- adds a few learners of "Stichting Welzijn Voorbeeld" with waiting work, one of
  them overdue, and one with an approved assignment;
- gives the trainer two feedback snippets.

The learners' texts, the trainer's feedback and rubric comments and the snippets
come from course/demo/answers.yml (course.demo.answers).

Idempotent: every action looks at the current state first.
"""
from datetime import timedelta

import sqlalchemy as sa

from course.extensions import db
from course.learn import services as learn
from course.models import (
    Course,
    CourseTrainer,
    Enrolment,
    FeedbackSnippet,
    Membership,
    Role,
    SubmissionStatus,
    User,
    utcnow,
)
from course.review import services as review

from . import answers
from .learning import COURSE_SLUG, FINISHED, PART_WAY, _fields, _pass_quiz, _read
from .seed import DEMO_ORG, get_or_create_org, get_or_create_user

TRAINER = "trainer@example.org"

# email, name, days ago the first assignment was submitted, approve it?
EXTRA_LEARNERS = [
    ("sanne@example.org", "Sanne Smit", 9, False),  # overdue
    ("kees@example.org", "Kees de Boer", 2, False),
    ("fatima@example.org", "Fatima El Amrani", 6, True),
]

def _scores(module, best: bool, comments: dict[str, str]) -> dict:
    scores = {}
    for criterion in module.assignment_spec.rubric:
        levels = sorted(criterion.levels, key=lambda level: level.points)
        level = levels[-1] if best else levels[len(levels) // 2]
        scores[criterion.id] = {"level": level.id, "comment": comments[criterion.id]}
    return scores


def _decide(submission, trainer, approve: bool) -> None:
    """Approve or send back, with the trainer's feedback and rubric comments from answers.yml."""
    if submission.status != SubmissionStatus.SUBMITTED:
        return
    email, slug = submission.enrolment.user.email, submission.module.slug
    decision = "approved" if approve else "revision_requested"
    scores = _scores(submission.module, approve, answers.rubric_comments(email, slug))
    review.decide(submission, trainer, decision, scores, answers.feedback(email, slug), submission.lock_version)


def _enrol(user: User, course: Course) -> Enrolment:
    enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                                             Enrolment.course_id == course.id))
    if enrolment is None:
        enrolment = Enrolment(user_id=user.id, course_id=course.id)
        db.session.add(enrolment)
        db.session.commit()
    return enrolment


def _backdate(submission, days: int) -> None:
    """Make a fresh demo submission look `days` old, so waiting times and overdue items show."""
    if days <= 0 or submission.versions[-1].number != 1:
        return
    moment = utcnow() - timedelta(days=days)
    from course.learn.completion import feedback_due_date

    submission.submitted_at = submission.versions[-1].submitted_at = moment
    submission.feedback_due_on = feedback_due_date(submission.enrolment.course, moment)
    db.session.commit()


def _finished(course, trainer) -> int:
    user = db.session.scalar(sa.select(User).where(User.email == FINISHED))
    enrolment = user and db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                                                      Enrolment.course_id == course.id))
    if enrolment is None:
        return 0
    approved = 0
    for module in course.active_modules:
        submission = learn.submission_of(enrolment, module)
        if submission is not None:
            _decide(submission, trainer, True)
            approved += submission.status == SubmissionStatus.APPROVED
    return approved


def _revised(course, trainer) -> None:
    """leerling@example.org: revision requested on the first assignment, then resubmitted."""
    user = db.session.scalar(sa.select(User).where(User.email == PART_WAY))
    enrolment = user and db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                                                      Enrolment.course_id == course.id))
    module = next((m for m in course.active_modules if m.has_assignment), None)
    submission = enrolment and module and learn.submission_of(enrolment, module)
    if submission is None or len(submission.versions) != 1:
        return
    _backdate(submission, 4)
    _decide(submission, trainer, False)
    if submission.status == SubmissionStatus.REVISION_REQUESTED:
        fields = {**submission.versions[-1].fields, **answers.revision(user.email, module.slug)}
        learn.submit_assignment(enrolment, module, fields, user)


def _extra_learners(course, trainer) -> None:
    org = get_or_create_org(DEMO_ORG)
    module = next((m for m in course.active_modules if m.has_assignment), None)
    if module is None:
        return
    for email, name, days, approve in EXTRA_LEARNERS:
        user = get_or_create_user(email, name, Role.LEARNER)
        if not any(m.organisation_id == org.id for m in user.memberships):
            db.session.add(Membership(user=user, organisation=org))
        db.session.commit()
        enrolment = _enrol(user, course)
        if learn.submission_of(enrolment, module) is not None:
            continue
        _read(enrolment, module, user)
        _pass_quiz(enrolment, module, user)
        submission, _created = learn.submit_assignment(enrolment, module, _fields(email, module), user)
        _backdate(submission, days)
        if approve:
            _decide(submission, trainer, True)


def _snippets(trainer) -> None:
    existing = set(db.session.scalars(sa.select(FeedbackSnippet.title)
                                      .where(FeedbackSnippet.trainer_id == trainer.id)))
    for title, body in answers.snippets():
        if title not in existing:
            review.create_snippet(trainer, title, body)


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG, Course.is_active.is_(True)))
    trainer = db.session.scalar(sa.select(User).where(User.email == TRAINER))
    if course is None or trainer is None:
        return "Review demo skipped: the demo course or the trainer account is missing."
    if db.session.get(CourseTrainer, (course.id, trainer.id)) is None:
        db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
        db.session.commit()
    approved = _finished(course, trainer)
    _revised(course, trainer)
    _extra_learners(course, trainer)
    _snippets(trainer)
    waiting = review_waiting(trainer)
    return (f"Review demo ready: {TRAINER} reviews '{course.title}'; {FINISHED} has {approved} approved "
            f"assignment(s); {waiting} submission(s) waiting, including a resubmission.")


def review_waiting(trainer) -> int:
    from course.review.queries.queue import waiting_count

    return waiting_count(trainer)
