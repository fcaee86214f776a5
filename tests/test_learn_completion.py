"""Module and course completion: derived state plus events, set the moment it happens."""
import pytest
import sqlalchemy as sa

from course.extensions import db
from course.learn import completion, services
from course.learn.queries.progress import course_state
from course.models import (
    Enrolment,
    EventKind,
    ModuleProgress,
    ProgressEvent,
    Submission,
    SubmissionStatus,
)
from tests import factories
from tests.factories_learn import correct_answers, filled_fields


@pytest.fixture
def hooks(monkeypatch):
    """Record the calls to the badges hooks."""
    from course.badges import services as badges

    calls = []
    monkeypatch.setattr(badges, "on_module_completed", lambda e, m: calls.append(("module", e.id, m.slug)))
    monkeypatch.setattr(badges, "on_course_completed", lambda e: calls.append(("course", e.id)))
    return calls


def _do_module(enrolment, module, user, approve=True, trainer=None):
    from werkzeug.datastructures import MultiDict

    services.mark_read(enrolment, module, user)
    number = len(services.attempts_of(enrolment, module)) + 1
    services.submit_quiz(enrolment, module, number, MultiDict(
        [(k, v) for k, values in correct_answers(module).items() for v in values]), user)
    submission, _ = services.submit_assignment(enrolment, module, filled_fields(module), user)
    if approve:
        submission.status = SubmissionStatus.APPROVED
        completion.on_assignment_approved(submission, trainer)
        db.session.commit()
    return submission


def test_a_module_completes_only_when_read_passed_and_approved(app, learner, trainer, hooks):
    course = factories.make_course(modules=2, sequential=True)
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    _do_module(enrolment, module, learner, approve=False)
    progress = db.session.scalar(sa.select(ModuleProgress))
    assert progress.read_at and progress.quiz_passed_at and progress.completed_at is None
    assert hooks == []
    submission = db.session.scalar(sa.select(Submission))
    submission.status = SubmissionStatus.APPROVED
    completion.on_assignment_approved(submission, trainer)
    db.session.commit()
    db.session.refresh(progress)
    assert progress.assignment_approved_at and progress.completed_at
    assert hooks == [("module", enrolment.id, "module-1")]
    assert db.session.get(Enrolment, enrolment.id).completed_at is None


def test_the_course_completes_the_moment_the_last_module_does(app, learner, trainer, hooks):
    course = factories.make_course(modules=2, sequential=True)
    enrolment = factories.make_enrolment(learner, course)
    for module in course.modules:
        _do_module(enrolment, module, learner, trainer=trainer)
    enrolment = db.session.get(Enrolment, enrolment.id)
    last = db.session.scalar(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.MODULE_COMPLETED)
                             .order_by(ProgressEvent.id.desc()))
    assert enrolment.completed_at == last.created_at
    assert hooks[-1] == ("course", enrolment.id)
    assert [h[0] for h in hooks] == ["module", "module", "course"]
    done = db.session.scalar(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.COURSE_COMPLETED))
    assert done.actor_id == trainer.id
    state = course_state(enrolment)
    assert state.percent == 100 and state.next_step == ("done", None)


def test_completion_hooks_fire_once_even_if_approval_is_repeated(app, learner, trainer, hooks):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    submission = _do_module(enrolment, course.modules[0], learner, trainer=trainer)
    completion.on_assignment_approved(submission, trainer)
    db.session.commit()
    assert hooks == [("module", enrolment.id, "module-1"), ("course", enrolment.id)]


def test_the_completion_service_never_commits(app, learner, trainer, hooks):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    submission = _do_module(enrolment, course.modules[0], learner, approve=False)
    completion.on_assignment_approved(submission, trainer)
    db.session.rollback()
    assert db.session.scalar(sa.select(ModuleProgress.assignment_approved_at)) is None
    assert db.session.get(Enrolment, enrolment.id).completed_at is None
    assert not db.session.scalars(sa.select(ProgressEvent).where(
        ProgressEvent.kind == EventKind.ASSIGNMENT_APPROVED)).all()


def test_a_module_without_quiz_or_assignment_completes_on_reading(app, learner, hooks):
    course = factories.make_course(modules=1)
    module = course.modules[0]
    module.quiz = None
    module.assignment = None
    db.session.commit()
    enrolment = factories.make_enrolment(learner, course)
    services.mark_read(enrolment, module, learner)
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None


def test_progress_counts_reachable_parts_and_a_submitted_module_opens_the_next(app, learner):
    course = factories.make_course(modules=2, sequential=True)
    enrolment = factories.make_enrolment(learner, course)
    state = course_state(enrolment)
    assert state.percent == 0 and state.modules[1].locked
    assert state.next_step[0] == "reading"
    _do_module(enrolment, course.modules[0], learner, approve=False)
    state = course_state(db.session.get(Enrolment, enrolment.id))
    assert state.percent == 33                               # read + quiz of 6 parts
    assert not state.modules[1].locked                       # waiting for review does not block
    assert state.next_step == ("reading", state.modules[1])


def test_next_step_is_waiting_when_only_the_trainer_can_move_on(app, learner):
    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    _do_module(enrolment, course.modules[0], learner, approve=False)
    assert course_state(enrolment).next_step == ("waiting", None)


def test_a_retired_module_does_not_block_course_completion(app, learner, trainer, hooks):
    course = factories.make_course(modules=2, sequential=False)
    course.modules[1].is_active = False
    db.session.commit()
    enrolment = factories.make_enrolment(learner, course)
    _do_module(enrolment, course.modules[0], learner, trainer=trainer)
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None


def test_events_answer_when_the_quiz_was_passed_and_at_which_attempt(app, learner):
    from werkzeug.datastructures import MultiDict

    from tests.factories_learn import wrong_answers

    course = factories.make_course(modules=1)
    enrolment = factories.make_enrolment(learner, course)
    module = course.modules[0]
    services.mark_read(enrolment, module, learner)
    for number, answers in ((1, wrong_answers(module)), (2, correct_answers(module))):
        services.submit_quiz(enrolment, module, number, MultiDict(
            [(k, v) for k, values in answers.items() for v in values]), learner)
    passed = db.session.scalar(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.QUIZ_PASSED))
    assert passed.data["attempt"] == 2 and passed.created_at is not None
    attempts = db.session.scalars(sa.select(ProgressEvent).where(ProgressEvent.kind == EventKind.QUIZ_ATTEMPTED)
                                  .order_by(ProgressEvent.id)).all()
    assert [(e.data["attempt"], e.data["passed"]) for e in attempts] == [(1, False), (2, True)]
