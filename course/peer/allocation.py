"""Which colleague's work a reviewer gets next: a pure function of the pool's state,
so the rules are unit tested without a database (tests/test_peer_allocation.py).

The service (services.allocate_next) locks the pool's PeerSetting row, reads the
pool's works and allocations, asks `choose_work` and inserts the allocation, all in
one transaction: on PostgreSQL the row lock, on SQLite the write lock taken by
FOR UPDATE (course/sqlite_locks.py), serialise concurrent requests, and the unique
constraints on peer_review are the last line.

The rules:
- only consenting work of the same pool and module, never the reviewer's own, never
  a work the reviewer already has;
- fewest reviews first, then the work with the fewest other colleagues still able to
  review it, oldest first; and of those the first whose allocation keeps every missing
  review coverable by the reviews still owed (a small maximum flow), so whatever the
  order of requests, every work gets its reviews when everyone gives theirs;
- an allocation left unanswered for PEER_HOLD_DAYS no longer counts (queries.load_pool
  leaves it out), so the work can go to another colleague; the late reviewer may still
  answer it;
- a reviewer gives `per_learner` reviews; after that, "extra" reviews only go to work
  that still has fewer than `per_learner` (a late submitter still gets feedback).
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

# The look-ahead (a maximum flow per candidate) is for cohort-sized pools, where the
# constraints are tight; in larger pools (a course's self-enrolled learners) the
# preference order alone leaves room enough, and the allocation stays quick.
LOOKAHEAD_LIMIT = 40


@dataclass(frozen=True)
class Work:
    submission_id: int
    author: int  # the author's enrolment id
    submitted_at: datetime
    consented: bool = True


@dataclass(frozen=True)
class Pool:
    works: tuple[Work, ...]
    allocations: frozenset[tuple[int, int]]  # (reviewer enrolment id, submission id)
    per_learner: int

    @property
    def received(self) -> Counter:
        return Counter(submission_id for _reviewer, submission_id in self.allocations)

    @property
    def given(self) -> Counter:
        return Counter(reviewer for reviewer, _submission_id in self.allocations)

    @property
    def reviewers(self) -> set[int]:
        """Who may review: everyone who submitted, with or without consent."""
        return {work.author for work in self.works}


def owes(pool: Pool, reviewer: int) -> int:
    """How many reviews the reviewer still has to give."""
    return max(pool.per_learner - pool.given[reviewer], 0)


def candidates(pool: Pool, reviewer: int) -> list[Work]:
    return [w for w in pool.works
            if w.consented and w.author != reviewer and (reviewer, w.submission_id) not in pool.allocations]


def _others_able(pool: Pool, reviewer: int, given: Counter) -> dict[int, int]:
    """{submission id: colleagues other than this reviewer who could still review it}:
    those still owing reviews, not its author, not having it already. Linear in the pool."""
    able = {r for r in pool.reviewers if given[r] < pool.per_learner and r != reviewer}
    had = Counter(s for r, s in pool.allocations if r in able)
    return {w.submission_id: len(able) - (w.author in able) - had[w.submission_id] for w in pool.works}


def coverable(pool: Pool) -> int:
    """How many of the missing reviews (up to `per_learner` per consenting work) the
    reviews still owed can cover at most: a maximum flow from reviewers (capacity: what
    they owe) to works (capacity: what they miss), one edge per allowed pair. Pools are
    small (a cohort), so plain augmenting paths are quick enough."""
    received, given = pool.received, pool.given
    need = {w.submission_id: pool.per_learner - received[w.submission_id]
            for w in pool.works if w.consented and received[w.submission_id] < pool.per_learner}
    owed = {r: pool.per_learner - given[r] for r in pool.reviewers if given[r] < pool.per_learner}
    authors = {w.submission_id: w.author for w in pool.works}
    edges = {r: [s for s in need if authors[s] != r and (r, s) not in pool.allocations] for r in owed}
    flow_to: dict[int, list[int]] = {s: [] for s in need}  # work -> reviewers sending one unit
    used: Counter = Counter()

    def augment(r: int, seen: set[int]) -> bool:
        for s in edges[r]:
            if s in seen or r in flow_to[s]:
                continue
            seen.add(s)
            if len(flow_to[s]) < need[s]:
                flow_to[s].append(r)
                return True
            for other in list(flow_to[s]):  # push another reviewer of s elsewhere
                if augment(other, seen):
                    flow_to[s].remove(other)
                    flow_to[s].append(r)
                    return True
        return False

    total = 0
    for r in owed:
        while used[r] < owed[r] and augment(r, set()):
            used[r] += 1
            total += 1
    return total


def _with(pool: Pool, reviewer: int, work: Work) -> Pool:
    return Pool(pool.works, pool.allocations | {(reviewer, work.submission_id)}, pool.per_learner)


def choose_work(pool: Pool, reviewer: int) -> Work | None:
    """The work to allocate to `reviewer` now, or None (nothing suitable yet).

    In order of preference (fewest reviews, fewest colleagues left to review it, oldest),
    the first work whose allocation keeps every missing review coverable by the reviews
    still owed: so when everyone gives their reviews, every work gets its `per_learner`
    whenever that is possible at all."""
    if reviewer not in pool.reviewers:
        return None  # only those who submitted give feedback
    options = candidates(pool, reviewer)
    received, given = pool.received, pool.given
    if not owes(pool, reviewer):
        options = [w for w in options if received[w.submission_id] < pool.per_learner]
    if not options:
        return None

    others = _others_able(pool, reviewer, given)

    def preference(w: Work):
        need = max(pool.per_learner - received[w.submission_id], 0)
        slack = others[w.submission_id] - need
        return (need == 0, received[w.submission_id], slack, w.submitted_at, w.submission_id)

    options.sort(key=preference)
    if not owes(pool, reviewer) or len(pool.works) > LOOKAHEAD_LIMIT:
        return options[0]  # an extra review only adds; a large pool leaves room enough
    before = coverable(pool)
    for work in options:
        needy = received[work.submission_id] < pool.per_learner
        if coverable(_with(pool, reviewer, work)) == before - (1 if needy else 0):
            return work
    return options[0]
