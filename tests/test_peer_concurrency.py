"""Allocation under real concurrency (threads, each with its own app context, session
and database connection), on SQLite and on PostgreSQL
(LEERLIJN_TEST_DB=postgresql+psycopg://…): learners submitting and asking for work at
the same moment still get a fair allocation: nobody reviews their own work or the same
work twice, nobody gets more than their share, every work gets its reviews."""
import threading
from collections import Counter

import sqlalchemy as sa

from course.extensions import db
from course.learn import services as learn
from course.models import CourseModule, Enrolment, PeerConsent, PeerReview
from course.peer import services
from tests.factories_learn import filled_fields
from tests.factories_peer import peer_cohort


def _together(app, jobs, timeout=60):
    """Run each job(…) in its own thread and app context, released at the same moment."""
    start = threading.Barrier(len(jobs), timeout=timeout)
    errors = []

    def run(job):
        with app.app_context():
            try:
                start.wait()
                job()
            except Exception as error:  # noqa: BLE001  reported below
                errors.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "a thread hung (a lock never released?)"
    assert errors == []


def _submit_job(enrolment_id, module_id, consent=True):
    def job():
        enrolment = db.session.get(Enrolment, enrolment_id)
        module = db.session.get(CourseModule, module_id)
        learn.submit_assignment(enrolment, module, filled_fields(module, f"Werk {enrolment_id}."), enrolment.user,
                                peer_consent=consent)
    return job


def _ask_job(enrolment_id, module_id, results, times=1):
    def job():
        for _ in range(times):
            enrolment = db.session.get(Enrolment, enrolment_id)
            module = db.session.get(CourseModule, module_id)
            try:
                review = services.allocate_next(enrolment, module)
            except services.NothingToReview:
                results.append((enrolment_id, None))
                continue
            results.append((enrolment_id, review.id))
            services.give_feedback(review, enrolment.user, "Sterk.", "Scherper.", {})
    return job


def _check_invariants(per_learner):
    rows = db.session.execute(sa.select(PeerReview.reviewer_enrolment_id, PeerReview.author_enrolment_id,
                                        PeerReview.submission_id, PeerReview.slot)).all()
    assert all(reviewer != author for reviewer, author, _s, _slot in rows), "own work reviewed"
    assert len({(r, s) for r, _a, s, _slot in rows}) == len(rows), "the same work twice"
    given = Counter(r for r, _a, _s, _slot in rows)
    assert max(given.values(), default=0) <= per_learner
    consented = set(db.session.scalars(sa.select(PeerConsent.submission_id).where(PeerConsent.consented)))
    assert {s for _r, _a, s, _slot in rows} <= consented, "work without consent allocated"
    return rows


def test_everyone_submits_and_asks_at_once_and_every_work_gets_its_reviews(app):
    world = peer_cohort(learners=6, per_learner=2)
    ids = [e.id for e in world.enrolments]
    module_id = world.module.id
    _together(app, [_submit_job(i, module_id) for i in ids])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerConsent)) == 6
    results = []
    _together(app, [_ask_job(i, module_id, results, times=2) for i in ids])
    rows = _check_invariants(per_learner=2)
    assert len(rows) == 12 and all(review for _e, review in results)
    assert sorted(Counter(s for _r, _a, s, _slot in rows).values()) == [2] * 6


def test_submits_and_requests_interleaved_stay_fair_and_late_work_gets_reviewed(app):
    world = peer_cohort(learners=8, per_learner=2)
    ids = [e.id for e in world.enrolments]
    module_id = world.module.id
    early, late = ids[:4], ids[4:]
    _together(app, [_submit_job(i, module_id, consent=(i != early[0])) for i in early])
    results = []
    # The early ones ask for work while the late ones submit.
    _together(app, [_ask_job(i, module_id, results, times=2) for i in early]
              + [_submit_job(i, module_id) for i in late])
    _together(app, [_ask_job(i, module_id, results, times=2) for i in late])
    _together(app, [_ask_job(i, module_id, results, times=2) for i in ids])  # come back: owed and extra
    rows = _check_invariants(per_learner=4)
    received = Counter(s for _r, _a, s, _slot in rows)
    consenting = db.session.scalars(sa.select(PeerConsent.submission_id).where(PeerConsent.consented)).all()
    assert len(consenting) == 7
    assert all(received[s] >= 2 for s in consenting), received
    given = Counter(r for r, _a, _s, _slot in rows)
    assert all(given[i] >= 2 for i in ids), "everyone gave their share"


def test_a_double_request_by_one_reviewer_allocates_once(app):
    world = peer_cohort(learners=4, per_learner=1)
    for enrolment in world.enrolments:
        learn.submit_assignment(enrolment, world.module, filled_fields(world.module), enrolment.user,
                                peer_consent=True)
    reviewer, module_id = world.enrolments[0].id, world.module.id
    found = []

    def ask():
        review = services.allocate_next(db.session.get(Enrolment, reviewer), db.session.get(CourseModule, module_id))
        found.append(review.id)

    _together(app, [ask, ask, ask])
    assert len(set(found)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerReview)) == 1
