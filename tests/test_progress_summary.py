"""The maintained progress summary (issue 16) equals what the source rows give, after
every kind of event, through the real services; the matrix reads it (and computes a
missing one); `flask progress summarise` writes them all."""
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from course.extensions import db
from course.learn import services as learn
from course.models import ProgressSummary, Submission
from course.review import overrides, summary
from course.review import services as review
from course.review.queries import matrix as matrix_queries
from course.review.queries import scope as scope_queries
from tests import factories, factories_org
from tests.factories_learn import correct_answers, wrong_answers
from tests.factories_review import scores_for


def _answers(data: dict) -> MultiDict:
    return MultiDict([(key, value) for key, values in data.items() for value in values])


def _work(module) -> dict:
    return {f["id"]: f"Ons plan voor {f['label']}." for f in module.assignment["fields"]}


def stored(enrolment_id) -> dict | None:
    db.session.expire_all()
    row = db.session.get(ProgressSummary, enrolment_id)
    return None if row is None else {"cells": row.cells, "last_event_at": row.last_event_at}


def recomputed(enrolment_id) -> dict:
    return summary.compute(db.session.connection(), [enrolment_id])[enrolment_id]


def cells(enrolment_id) -> dict:
    return {mid: status for mid, (status, _flags) in stored(enrolment_id)["cells"].items()}


def test_the_summary_equals_the_recomputed_value_after_every_kind_of_event(app):
    organisation = factories.make_organisation()
    trainer = factories.make_user(role="trainer")
    course, licence, cohort = factories_org.make_team(organisation, trainers=[trainer], quiz_max_attempts=1)
    first, second = course.modules[0], course.modules[1]
    user = factories.make_user(org=organisation)
    enrolment = factories_org.enrol_with_seat(user, cohort, licence)
    eid = enrolment.id
    assert stored(eid) == recomputed(eid)  # the enrolment itself
    assert cells(eid) == {}

    steps = []

    def check(name):
        steps.append(name)
        assert stored(eid) == recomputed(eid), f"after {name}"

    with app.test_request_context():
        learn.mark_read(enrolment, first, user)
        check("reading")
        assert cells(eid) == {str(first.id): "in_progress"}
        learn.submit_quiz(enrolment, first, 1, _answers(wrong_answers(first)), user)
        check("failed quiz")
        overrides.grant_extra_attempts(enrolment, first, 1, "Nog een kans", trainer)
        check("override: extra attempt")
        learn.submit_quiz(enrolment, first, 2, _answers(correct_answers(first)), user)
        check("quiz passed")
        assert stored(eid)["cells"][str(first.id)][1] & summary.QUIZ
        submission, _created = learn.submit_assignment(enrolment, first, _work(first), user)
        check("submission")
        assert cells(eid)[str(first.id)] == "waiting"
        review.decide(submission, trainer, "revision_requested", scores_for(first, "voldoende"), "Concreter.",
                      submission.lock_version)
        check("review: revision requested")
        assert cells(eid)[str(first.id)] == "revision"
        submission = db.session.get(Submission, submission.id)
        submission, _created = learn.submit_assignment(enrolment, first, {**_work(first)}, user)
        submission = db.session.get(Submission, submission.id)
        review.decide(submission, trainer, "approved", scores_for(first, "goed"), "Mooi.", submission.lock_version)
        check("review: approved, module completed")
        assert cells(eid)[str(first.id)] == "completed"
        overrides.reopen_assignment(enrolment, first, "Herschrijven", trainer)
        check("override: reopened")
        learn.save_draft(enrolment, second, _work(second), user)
        check("draft on module 2")
        assert cells(eid)[str(second.id)] == "in_progress"
    assert len(steps) == 9


def test_the_matrix_shows_what_the_summary_holds_and_computes_a_missing_one(app, login_as):
    organisation = factories.make_organisation()
    trainer = factories.make_user(role="trainer")
    course, licence, cohort = factories_org.make_team(organisation, trainers=[trainer])
    first = course.modules[0]
    learners = [factories_org.enrol_with_seat(factories.make_user(name=f"Deelnemer {i}", org=organisation),
                                              cohort, licence) for i in range(3)]
    factories_org.complete_module(learners[0], first)
    factories_org.make_submission(learners[1], first)
    scope = scope_queries.load_scope(trainer, "groep", cohort.public_id)
    before = [[c.status for c in row.cells] for row in matrix_queries.progress_matrix(trainer, scope).rows]
    assert before == [["completed", "not_started"], ["waiting", "not_started"], ["not_started", "not_started"]]
    # Rows inserted in bulk have no summary: the matrix computes them, the command writes them.
    db.session.execute(sa.delete(ProgressSummary))
    db.session.commit()
    after = [[c.status for c in row.cells] for row in matrix_queries.progress_matrix(trainer, scope).rows]
    assert after == before
    result = app.test_cli_runner().invoke(args=["progress", "summarise"])
    assert "Progress summaries written: 3." in result.output
    assert all(stored(e.id) == recomputed(e.id) for e in learners)
    html = login_as(trainer).get(f"/voortgang/groep/{cohort.public_id}").get_data(as_text=True)
    assert html.count("cell--completed") == 1 and html.count("cell--waiting") == 1


def test_the_matrix_pages_while_the_csv_gives_every_learner(app, login_as, monkeypatch):
    monkeypatch.setattr(matrix_queries, "MATRIX_PER_PAGE", 2)
    organisation = factories.make_organisation()
    trainer = factories.make_user(role="trainer")
    course, licence, cohort = factories_org.make_team(organisation, trainers=[trainer])
    for i in range(5):
        factories_org.enrol_with_seat(factories.make_user(name=f"Deelnemer {i}", org=organisation), cohort, licence)
    client = login_as(trainer)
    url = f"/voortgang/groep/{cohort.public_id}"
    first = client.get(url).get_data(as_text=True)
    assert "Deelnemer 0" in first and "Deelnemer 1" in first and "Deelnemer 2" not in first
    assert "Pagina 1 van 3" in first
    last = client.get(url + "?page=3").get_data(as_text=True)
    assert "Deelnemer 4" in last and "Deelnemer 0" not in last
    assert "Deelnemer 4" in client.get(url + "?page=99999999").get_data(as_text=True)  # clamped, no 500
    csv = client.get(url + "/voortgang.csv").get_data(as_text=True)
    assert all(f"Deelnemer {i}" in csv for i in range(5))


def test_team_progress_pages_while_its_csv_gives_every_learner(app, login_as, monkeypatch):
    from course.org.queries import team as org_queries

    monkeypatch.setattr(org_queries, "LEARNERS_PER_PAGE", 2)
    organisation = factories.make_organisation()
    admin = factories.make_user(org=organisation, org_role="admin")
    course, licence, cohort = factories_org.make_team(organisation)
    for i in range(5):
        factories_org.enrol_with_seat(factories.make_user(name=f"Deelnemer {i}", org=organisation), cohort, licence)
    client = login_as(admin)
    url = f"/organisatie/groepen/{cohort.public_id}"
    first = client.get(url).get_data(as_text=True)
    assert "Deelnemer 1" in first and "Deelnemer 2" not in first and "5 deelnemers" in first
    assert "Pagina 1 van 3" in first and "deelnemers=2" in first
    last = client.get(url + "?deelnemers=3").get_data(as_text=True)
    assert "Deelnemer 4" in last and "Deelnemer 0" not in last
    assert client.get(url + "?deelnemers=-4").status_code == 200
    assert "Deelnemer 4" in client.get(url + "?deelnemers=99999999999999999999").get_data(as_text=True)
    csv = client.get(url + "/voortgang.csv").get_data(as_text=True)
    assert all(f"Deelnemer {i}" in csv for i in range(5))
