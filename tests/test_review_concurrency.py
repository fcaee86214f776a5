"""Two trainers save a decision on the same submission at the same moment: one
wins, the other sees a conflict with the first decision, nothing is overwritten.
Real concurrent requests, on both databases."""
import threading

import sqlalchemy as sa

from course.extensions import db
from course.models import OutboxMail, Review, SubmissionStatus
from course.review import services
from tests import factories
from tests.factories_review import form_data, make_submission


def test_two_concurrent_decisions_one_wins_the_other_sees_the_conflict(app, trainer, platform_admin,
                                                                       learner, organisation, monkeypatch):
    course = factories.make_course()
    cohort = factories.make_cohort(organisation, course, trainers=[trainer])
    submission = make_submission(factories.make_enrolment(learner, course, cohort=cohort), course.modules[0])
    approve = form_data(submission, decision="approved", feedback="Goedgekeurd door de trainer")
    revise = form_data(submission, decision="revision_requested", feedback="Aanpassen volgens de admin")

    # Both requests have loaded the submission (same lock_version) before either writes.
    both_loaded = threading.Barrier(2, timeout=10)
    original = services.check_scores

    def check_then_wait(rubric, scores):
        checked = original(rubric, scores)
        both_loaded.wait()
        return checked

    monkeypatch.setattr(services, "check_scores", check_then_wait)
    clients = {"trainer": (trainer, approve), "admin": (platform_admin, revise)}
    session_ids = {name: user.get_id() for name, (user, _data) in clients.items()}
    url = f"/beoordelen/{submission.public_id}"
    names = {name: user.name for name, (user, _data) in clients.items()}
    responses, errors = {}, []

    def post(name):
        try:
            _post(name)
        except Exception as error:  # noqa: BLE001  surfaced by the assertion below
            errors.append(repr(error))

    def _post(name):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = session_ids[name]
            sess["_fresh"] = True
        responses[name] = client.post(url, data=clients[name][1])

    threads = [threading.Thread(target=post, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not errors, errors
    codes = sorted(r.status_code for r in responses.values())
    assert codes == [302, 409], {k: (r.status_code, r.get_data(as_text=True)[:500]) for k, r in responses.items()}
    winner = next(name for name, r in responses.items() if r.status_code == 302)
    loser = responses["admin" if winner == "trainer" else "trainer"].get_data(as_text=True)
    winner_data = clients[winner][1]
    assert f"{names[winner]} heeft al over deze inzending besloten" in loser
    assert winner_data["feedback_md"] in loser

    db.session.expire_all()
    reviews = db.session.scalars(sa.select(Review)).all()
    assert [r.feedback_md for r in reviews] == [winner_data["feedback_md"]]
    expected = SubmissionStatus.APPROVED if winner == "trainer" else SubmissionStatus.REVISION_REQUESTED
    assert submission.status == expected
    assert db.session.scalar(sa.select(sa.func.count(OutboxMail.id)).where(OutboxMail.kind == "review_decided")) == 1
