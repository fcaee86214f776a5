"""The allocation rules (course/peer/allocation.py) as pure functions, and the pool
rule of permissions.py as a truth table: no database."""
import random
from datetime import datetime, timedelta
from itertools import product

import pytest

from course.peer.allocation import Pool, Work, choose_work, coverable
from course.permissions import PeerFacts, peers_in_one_pool

T0 = datetime(2026, 12, 1, 9, 0)


def works(n, consent=None):
    return tuple(Work(100 + i, i, T0 + timedelta(minutes=i), True if consent is None else consent[i])
                 for i in range(n))


def run(pool_works, per_learner, order):
    """Each reviewer in `order` asks for one work; returns the allocations."""
    allocations = set()
    for reviewer in order:
        work = choose_work(Pool(tuple(pool_works), frozenset(allocations), per_learner), reviewer)
        if work is not None:
            allocations.add((reviewer, work.submission_id))
    return allocations


def received(allocations, submission_id):
    return sum(1 for _r, s in allocations if s == submission_id)


def test_nobody_reviews_their_own_work_or_the_same_work_twice():
    pool_works = works(2)
    allocations = run(pool_works, 2, [0, 0, 0, 1, 1])
    assert allocations == {(0, 101), (1, 100)}, "with one colleague, one review each"


def test_fewest_reviews_first_then_oldest():
    pool_works = works(4)
    allocations = {(1, 102), (2, 102), (3, 101)}  # 100: none (own), 101: one, 102: two, 103: none
    work = choose_work(Pool(pool_works, frozenset(allocations), 3), 0)
    assert work.submission_id == 103, "not its own (100); 103 has no review yet"
    work = choose_work(Pool(pool_works, frozenset(allocations | {(0, 103)}), 3), 0)
    assert work.submission_id == 101, "then 101, with fewer reviews than 102"
    work = choose_work(Pool(works(3), frozenset(), 1), 2)
    assert work.submission_id == 100, "all without reviews: the oldest first"


def test_work_without_consent_is_never_allocated_but_its_author_reviews():
    pool_works = works(3, consent=[False, True, True])
    allocations = run(pool_works, 1, [0, 1, 2])
    assert all(s != 100 for _r, s in allocations)
    assert any(r == 0 for r, _s in allocations), "the author without consent still gives feedback"


def test_only_those_who_submitted_review():
    assert choose_work(Pool(works(3), frozenset(), 2), 99) is None


def test_a_reviewer_gives_per_learner_reviews_and_then_only_extra_ones_to_work_short_of_them():
    pool_works = works(3)
    allocations = run(pool_works, 1, [0, 1, 2])
    assert all(received(allocations, w.submission_id) == 1 for w in pool_works)
    assert choose_work(Pool(pool_works, frozenset(allocations), 1), 0) is None, "done: nothing short"
    late = Work(103, 3, T0 + timedelta(hours=5))
    pool = Pool(pool_works + (late,), frozenset(allocations), 1)
    assert choose_work(pool, 0) == late, "an extra review goes to the late submitter"


@pytest.mark.parametrize("learners,per_learner", [(k, n) for k in range(2, 10) for n in range(1, 5) if n < k])
def test_everyone_gets_per_learner_reviews_in_any_request_order(learners, per_learner):
    """All submitted; the reviewers ask in a random interleaving: every work ends with
    exactly `per_learner` reviews (the greedy choice alone leaves some short)."""
    for seed in range(25):
        rnd = random.Random(seed)
        order = [r for r in range(learners) for _ in range(per_learner)]
        rnd.shuffle(order)
        pool_works = works(learners)
        allocations = run(pool_works, per_learner, order)
        assert sorted(received(allocations, w.submission_id) for w in pool_works) == [per_learner] * learners
        assert all(r != s - 100 for r, s in allocations)


def ask(pool_works, per_learner, reviewer, allocations) -> bool:
    work = choose_work(Pool(tuple(pool_works), frozenset(allocations), per_learner), reviewer)
    if work is not None:
        allocations.add((reviewer, work.submission_id))
    return work is not None


def test_late_submitters_still_get_reviews_through_extra_feedback():
    """Learners submit one by one and give their feedback right after submitting: the
    last ones find their colleagues done. Without extra feedback their work is short;
    with it (offered only to work short of reviews), every work gets its reviews."""
    short_without_extras = 0
    for seed in range(200):
        rnd = random.Random(seed)
        learners, per_learner = rnd.randint(3, 8), rnd.randint(1, 2)
        arrived, allocations = [], set()
        for work in works(learners):
            arrived.append(work)
            for _ in range(per_learner):
                ask(arrived, per_learner, work.author, allocations)
        if min(received(allocations, w.submission_id) for w in arrived) < per_learner:
            short_without_extras += 1
        for reviewer in rnd.sample(range(learners), learners):  # everyone comes back, for extra feedback
            while ask(arrived, per_learner, reviewer, allocations):
                pass
        assert min(received(allocations, w.submission_id) for w in arrived) >= per_learner, seed
        assert all(r != s - 100 for r, s in allocations)
    assert short_without_extras > 0, "the scenario really leaves late work short before the extras"


def test_coverable_counts_what_the_owed_reviews_can_still_cover():
    pool_works = works(3)
    assert coverable(Pool(pool_works, frozenset(), 2)) == 6
    # 0 reviewed 1 and 2, 1 reviewed 2: 1 still owes one (to 0), 2 owes two (to 0 and 1)
    allocations = frozenset({(0, 101), (0, 102), (1, 102)})
    assert coverable(Pool(pool_works, allocations, 2)) == 3


def test_the_pool_rule_truth_table():
    for same_course, reviewer_cohort, author_cohort, same_person in product(
            (True, False), (None, 1, 2), (None, 1, 2), (True, False)):
        facts = PeerFacts(same_course, reviewer_cohort, author_cohort, same_person)
        expected = same_course and not same_person and reviewer_cohort == author_cohort
        assert peers_in_one_pool(facts) is expected, facts
    assert not peers_in_one_pool(PeerFacts(True, 1, None)), "a cohort never mixes with self-enrolled learners"
