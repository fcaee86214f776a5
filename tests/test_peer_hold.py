"""An allocation nobody answers does not hold a colleague's work for ever (PEER_HOLD_DAYS):
after the hold, the next colleague who asks gets that work, and the late reviewer can
still give their feedback."""
from datetime import timedelta

from course.extensions import db
from course.models import PeerReviewStatus, utcnow
from course.peer import queries, services
from tests.factories_peer import peer_cohort, submit


def _world():
    world = peer_cohort(learners=4, per_learner=1)
    anna, bram, cees, dirk = world.enrolments
    works = {e.id: submit(e, world.module) for e in (anna, bram, cees)}
    return world, (anna, bram, cees, dirk), works


def _reviewed_by_others(world, reviewer, works):
    """Let everyone but `reviewer` give their one review (they get what `reviewer` does not hold)."""
    for enrolment in world.enrolments[:3]:
        if enrolment.id != reviewer.id:
            review = services.allocate_next(enrolment, world.module)
            services.give_feedback(review, enrolment.user, "Sterk: de doelgroep.", "Scherper: de planning.", {})


def test_an_unanswered_allocation_stops_counting_after_the_hold(app):
    world, (anna, *_rest), _works = _world()
    held = services.allocate_next(anna, world.module)
    pool = queries.load_pool(queries.covering_setting(anna, world.module), world.module.id)
    assert (anna.id, held.submission_id) in pool.allocations

    held.created_at = utcnow() - timedelta(days=app.config["PEER_HOLD_DAYS"] + 1)
    db.session.commit()
    pool = queries.load_pool(queries.covering_setting(anna, world.module), world.module.id)
    assert (anna.id, held.submission_id) not in pool.allocations


def test_after_the_hold_a_late_colleague_gets_the_work_that_was_held_and_the_first_can_still_answer(app):
    world, (anna, bram, cees, dirk), works = _world()
    held = services.allocate_next(anna, world.module)            # Anna opens a work and goes quiet
    _reviewed_by_others(world, anna, works)
    held.created_at = utcnow() - timedelta(days=app.config["PEER_HOLD_DAYS"] + 1)
    db.session.commit()

    submit(dirk, world.module)                                   # a late submitter asks for work
    late = services.allocate_next(dirk, world.module)
    assert late.submission_id == held.submission_id, "the work Anna held waited for a review the longest"

    assert services.allocate_next(anna, world.module).id == held.id   # Anna's own task is still hers
    assert services.give_feedback(held, anna.user, "Sterk: helder.", "Scherper: korter.", {})
    assert db.session.get(type(held), held.id).status == PeerReviewStatus.GIVEN


def test_within_the_hold_the_work_stays_with_its_reviewer(app):
    world, (anna, bram, cees, dirk), works = _world()
    held = services.allocate_next(anna, world.module)
    _reviewed_by_others(world, anna, works)
    submit(dirk, world.module)
    late = services.allocate_next(dirk, world.module)
    assert late.submission_id != held.submission_id
