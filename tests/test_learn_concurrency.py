"""Concurrent requests on both databases (SQLite takes its write lock first, see
course/sqlite_locks.py): a double-submitted quiz is stored once, and two approvals
at the same moment still complete the course exactly once."""
import threading

import sqlalchemy as sa

from course.extensions import db
from course.learn import completion, services
from course.models import Enrolment, EventKind, ProgressEvent, QuizAttempt, Submission, SubmissionStatus
from tests import factories
from tests.factories_learn import correct_answers, filled_fields


def _run_together(*targets):
    errors = []

    def wrap(target):
        try:
            target()
        except Exception as error:  # noqa: BLE001  surfaced by the assertion below
            errors.append(repr(error))

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []


def test_two_simultaneous_submits_of_one_quiz_attempt_are_stored_once(app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    url = f"/mijn-leren/{course.slug}/module-1/quiz"
    data = {"attempt": "1", **correct_answers(course.modules[0])}
    session_id = learner.get_id()
    responses = []

    def post():
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = session_id
        responses.append(client.post(url, data=data))

    _run_together(post, post)
    assert sorted(r.status_code for r in responses) == [302, 302]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(QuizAttempt)) == 1


def test_two_approvals_at_the_same_moment_complete_the_course_once(app, make_app, learner, trainer):
    from werkzeug.datastructures import MultiDict

    course = factories.make_course(modules=2, sequential=False)
    enrolment = factories.make_enrolment(learner, course)
    for module in course.modules:
        services.mark_read(enrolment, module, learner)
        services.submit_quiz(enrolment, module, 1, MultiDict(
            [(k, v) for k, values in correct_answers(module).items() for v in values]), learner)
        services.submit_assignment(enrolment, module, filled_fields(module), learner)
    submission_ids = db.session.scalars(sa.select(Submission.id).order_by(Submission.id)).all()
    trainer_id = trainer.id
    both_ready = threading.Barrier(2, timeout=10)

    def approve(submission_id):
        def run():
            with app.app_context():
                submission = db.session.get(Submission, submission_id)
                actor = db.session.get(type(trainer), trainer_id)
                submission.status = SubmissionStatus.APPROVED
                both_ready.wait()
                completion.on_assignment_approved(submission, actor)
                db.session.commit()
                db.session.remove()
        return run

    _run_together(approve(submission_ids[0]), approve(submission_ids[1]))
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None
    kinds = db.session.scalars(sa.select(ProgressEvent.kind)).all()
    assert kinds.count(EventKind.COURSE_COMPLETED) == 1 and kinds.count(EventKind.MODULE_COMPLETED) == 2
