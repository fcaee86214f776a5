"""Demo step: two learners on their way through the default course.

- leerling@example.org: the introduction read, quiz passed and assignment submitted;
  module 2 read and its quiz passed (after one failed attempt), its assignment a draft.
- afgerond@example.org: every module read, every quiz passed, every assignment
  submitted. The review step (course.demo.review) approves them through the review
  services, which completes the modules and the course.

The texts come from course/demo/answers.yml (course.demo.answers).

Idempotent: every action looks at the current state first. Uses the learner
services, so the data is exactly what a real learner would produce.
"""
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from course.extensions import db
from course.learn import services
from course.learn.queries.progress import course_state
from course.models import Course, SubmissionStatus, User

from . import answers

COURSE_SLUG = "welzijn-2-0"
PART_WAY = "leerling@example.org"
FINISHED = "afgerond@example.org"


def _answers(module, correct: bool) -> MultiDict:
    data = MultiDict()
    for question in module.quiz_spec.questions:
        for key, values in question.example_form(right=correct).items():
            for value in values:
                data.add(key, value)
    return data


def _fields(email: str, module) -> dict[str, str]:
    """The learner's submitted text for the module's assignment, from answers.yml."""
    return answers.fields(email, module.slug)


def _read(enrolment, module, user) -> None:
    state = course_state(enrolment).module(module.slug)
    if module.has_reading and not state.read:
        services.mark_read(enrolment, module, user)


def _pass_quiz(enrolment, module, user, fail_first: bool = False) -> None:
    if not module.has_quiz:
        return
    attempts = services.attempts_of(enrolment, module)
    if any(a.passed for a in attempts):
        return
    number = (attempts[-1].number if attempts else 0) + 1
    if fail_first and not attempts:
        services.submit_quiz(enrolment, module, number, _answers(module, correct=False), user)
        number += 1
    services.submit_quiz(enrolment, module, number, _answers(module, correct=True), user)


def _submit(enrolment, module, user) -> None:
    submission = services.submission_of(enrolment, module)
    if module.has_assignment and (submission is None or submission.status == SubmissionStatus.DRAFT):
        services.submit_assignment(enrolment, module, _fields(user.email, module), user)


def _draft(enrolment, module, user) -> None:
    if module.has_assignment and services.submission_of(enrolment, module) is None:
        services.save_draft(enrolment, module, answers.draft(user.email, module.slug), user)


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG, Course.is_active.is_(True)))
    if course is None:
        return f"Learning demo skipped: course '{COURSE_SLUG}' is not loaded (run `flask content load`)."
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_([PART_WAY, FINISHED])))}
    if len(users) < 2:
        return "Learning demo skipped: the demo accounts are missing."
    modules = course.active_modules

    part_way = users[PART_WAY]
    enrolment, _created = services.enrol_self(part_way, course)
    _read(enrolment, modules[0], part_way)
    _pass_quiz(enrolment, modules[0], part_way)
    _submit(enrolment, modules[0], part_way)
    if len(modules) > 1:
        _read(enrolment, modules[1], part_way)
        _pass_quiz(enrolment, modules[1], part_way, fail_first=True)
        _draft(enrolment, modules[1], part_way)

    finished = users[FINISHED]
    enrolment, _created = services.enrol_self(finished, course)
    for module in modules:
        _read(enrolment, module, finished)
        _pass_quiz(enrolment, module, finished)
        _submit(enrolment, module, finished)
    return (f"Learning demo ready: {PART_WAY} part-way, {FINISHED} with every assignment submitted "
            f"in '{course.title}'.")
