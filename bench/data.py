"""The issue-16 data set, built with bulk Core inserts (the services are far too slow
for 10,000 learners). Per 10,000 learners: about 200 organisations (50 learners, 2 cohorts,
1 trainer, 1 admin each), 40k quiz attempts, 30k submission versions, 25k reviews, 15k
badges; plus one organisation with one cohort of 500 learners and one trainer, the cohort
the list pages are measured on.

Every learner has a submission on module 1 with three versions: even learners wait
for the trainer on version 3 (half of all learners wait), odd learners were approved
and completed module 1. Quiz attempts: two on module 1 and two on module 2.
"""
import hashlib
from dataclasses import asdict, dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from course.badges.services import get_or_create_badge_class
from course.extensions import db
from course.models import (
    BadgeAssertion,
    Cohort,
    CohortTrainer,
    Course,
    CourseModule,
    Enrolment,
    Membership,
    MembershipRole,
    ModuleProgress,
    Organisation,
    QuizAttempt,
    Review,
    ReviewDecision,
    Role,
    SeatLicence,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    User,
    utcnow,
)

BIG_COHORT = 500
LEARNERS_PER_ORG = 50
BATCH = 2000


@dataclass
class World:
    """What the load needs to know about the data: public ids, not objects."""
    learners: int
    course_slug: str = ""
    module_slugs: list = field(default_factory=list)
    big_cohort: str = ""
    trainer: str = ""            # get_id() of the big cohort's trainer
    org_admin: str = ""          # get_id() of the big organisation's admin
    learner: str = ""            # get_id() of one big-cohort learner (odd: module 1 done)
    quiz_learners: list = field(default_factory=list)      # get_id()s, next attempt on module 1 is 3
    autosave_learners: list = field(default_factory=list)  # get_id()s with module 1 done, no module 2 draft
    waiting_submissions: list = field(default_factory=list)  # public ids in the big cohort
    counts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def build(learners: int) -> World:
    """Fill the (empty, content-loaded) database of the current app context."""
    course = db.session.scalar(sa.select(Course).where(Course.is_active.is_(True)).order_by(Course.id))
    modules = list(db.session.scalars(sa.select(CourseModule).where(
        CourseModule.course_id == course.id, CourseModule.is_active.is_(True)).order_by(CourseModule.position)))
    world = World(learners=learners, course_slug=course.slug, module_slugs=[m.slug for m in modules])
    badge_ids = [get_or_create_badge_class(course, module).id for module in modules[:2]]
    builder = _Builder(course, modules, badge_ids)
    organisations = max(0, learners - BIG_COHORT) // LEARNERS_PER_ORG
    for number in range(organisations):
        builder.organisation(f"Organisatie {number:04d}", LEARNERS_PER_ORG, cohorts=2)  # 2 cohorts of 25
    big = builder.organisation("Welzijn Groot", BIG_COHORT, cohorts=1)
    builder.flush()
    world.big_cohort = big["cohorts"][0]
    world.trainer, world.org_admin = big["trainer"], big["admin"]
    world.learner = big["learner_ids"][1]
    world.quiz_learners = big["learner_ids"]
    world.autosave_learners = big["learner_ids"][1::2]
    world.waiting_submissions = big["waiting"]
    world.counts = builder.counts
    return world


def analyse() -> None:
    """Fresh statistics for the planner after the bulk load, as `make run` and an operator
    after an import do (`flask maintenance analyse`; the worker does it nightly). Without
    them PostgreSQL with autovacuum off planned every join on empty-table guesses (the
    workbook's query took 30 ms instead of 0.2) and SQLite read every enrolment of a
    course to show one group."""
    db.session.commit()
    try:
        from course.maintenance import refresh_statistics
    except ImportError:  # a checkout from before course/maintenance.py (compared in bench.cpu)
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        return
    refresh_statistics()


class _Builder:
    def __init__(self, course, modules, badge_ids):
        self.course, self.modules, self.badge_ids = course, modules, badge_ids
        self.user_seq = 0
        self.counts: dict[str, int] = {}
        self.now = utcnow()

    def _insert(self, model, rows: list[dict]) -> list[int]:
        """Insert rows in batches; returns their ids in order (RETURNING)."""
        ids: list[int] = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start:start + BATCH]
            result = db.session.execute(sa.insert(model).returning(model.id, sort_by_parameter_order=True), chunk)
            ids.extend(result.scalars())
        self.counts[model.__tablename__] = self.counts.get(model.__tablename__, 0) + len(rows)
        return ids

    def _users(self, count: int, role: str = "learner") -> list[int]:
        rows = []
        for _ in range(count):
            self.user_seq += 1
            rows.append({"email": f"{role}{self.user_seq}@bench.test", "name": f"{role.title()} {self.user_seq:05d}",
                         "role": Role.TRAINER if role == "trainer" else Role.LEARNER})
        return self._insert(User, rows)

    def _public(self, model, ids: list[int]) -> list[str]:
        rows = db.session.execute(sa.select(model.id, model.public_id).where(model.id.in_(ids))).all()
        by_id = dict(rows)
        return [by_id[i] for i in ids]

    def _login_ids(self, ids: list[int]) -> list[str]:
        rows = db.session.execute(sa.select(User.id, User.public_id, User.session_token).where(User.id.in_(ids)))
        by_id = {r.id: f"{r.public_id}:{r.session_token}" for r in rows}
        return [by_id[i] for i in ids]

    def organisation(self, name: str, learners: int, cohorts: int) -> dict:
        [org_id] = self._insert(Organisation, [{"name": name}])
        [trainer_id] = self._users(1, "trainer")
        [admin_id] = self._users(1, "orgadmin")
        self._insert(Membership, [{"user_id": admin_id, "organisation_id": org_id, "role": MembershipRole.ADMIN}])
        [licence_id] = self._insert(SeatLicence, [{"organisation_id": org_id, "course_id": self.course.id,
                                                   "seats": learners + 10, "seats_used": learners}])
        cohort_ids = self._insert(Cohort, [{"organisation_id": org_id, "course_id": self.course.id,
                                            "name": f"Groep {n + 1}"} for n in range(cohorts)])
        db.session.execute(sa.insert(CohortTrainer), [{"cohort_id": c, "user_id": trainer_id} for c in cohort_ids])
        user_ids = self._users(learners)
        self._insert(Membership, [{"user_id": u, "organisation_id": org_id, "role": MembershipRole.MEMBER}
                                  for u in user_ids])
        enrolment_ids = self._insert(Enrolment, [
            {"user_id": u, "course_id": self.course.id, "cohort_id": cohort_ids[n % cohorts],
             "seat_licence_id": licence_id, "enrolled_at": self.now - timedelta(days=30 + n % 20),
             "started_at": self.now - timedelta(days=29), "last_activity_at": self.now - timedelta(days=n % 14)}
            for n, u in enumerate(user_ids)])
        waiting = self._learning(user_ids, enrolment_ids, trainer_id)
        return {"cohorts": self._public(Cohort, cohort_ids), "trainer": self._login_ids([trainer_id])[0],
                "admin": self._login_ids([admin_id])[0], "learner_ids": self._login_ids(user_ids),
                "waiting": self._public(Submission, waiting)}

    def _learning(self, user_ids, enrolment_ids, trainer_id) -> list[int]:
        first, second = self.modules[0], self.modules[1]
        attempts, progress, submissions = [], [], []
        for n, enrolment_id in enumerate(enrolment_ids):
            for module in (first, second):
                for number in (1, 2):
                    attempts.append({"enrolment_id": enrolment_id, "module_id": module.id, "number": number,
                                     "content_version": module.content_version, "answers": {}, "results": {},
                                     "score": 3 if number == 2 else 1, "max_score": 4, "passed": number == 2,
                                     "submitted_at": self.now - timedelta(days=20 - number)})
            done = n % 2 == 1
            progress.append({"enrolment_id": enrolment_id, "module_id": first.id, "read_at": self.now,
                             "quiz_passed_at": self.now, "assignment_approved_at": self.now if done else None,
                             "completed_at": self.now - timedelta(days=n % 10) if done else None})
            submissions.append({"enrolment_id": enrolment_id, "module_id": first.id,
                                "status": SubmissionStatus.APPROVED if done else SubmissionStatus.SUBMITTED,
                                "submitted_at": self.now - timedelta(days=n % 9), "lock_version": 3})
        self._insert(QuizAttempt, attempts)
        self._insert(ModuleProgress, progress)
        submission_ids = self._insert(Submission, submissions)
        fields = {spec["id"]: "Ons plan: we beginnen klein en meten elke maand. " * 8
                  for spec in (first.assignment or {}).get("fields", [])}
        version_ids = self._insert(SubmissionVersion, [
            {"submission_id": s, "number": v, "fields": fields, "content_version": first.content_version,
             "submitted_at": self.now - timedelta(days=12 - 3 * v)}
            for s in submission_ids for v in (1, 2, 3)])
        reviews = []
        for n, _s in enumerate(submission_ids):
            v1, v2, v3 = version_ids[3 * n:3 * n + 3]
            reviews += [{"version_id": v, "reviewer_id": trainer_id, "decision": ReviewDecision.REVISION_REQUESTED,
                         "feedback_md": "Werk de doelgroep verder uit."} for v in (v1, v2)]
            if n % 2 == 1:
                reviews.append({"version_id": v3, "reviewer_id": trainer_id, "decision": ReviewDecision.APPROVED,
                                "feedback_md": "Mooi plan."})
        self._insert(Review, reviews)
        self._badges(user_ids, enrolment_ids)
        return [s for n, s in enumerate(submission_ids) if n % 2 == 0]

    def _badges(self, user_ids, enrolment_ids) -> None:
        if not self.badge_ids:
            return
        rows = []
        for n, (user_id, enrolment_id) in enumerate(zip(user_ids, enrolment_ids, strict=True)):
            for badge_id in self.badge_ids[:1 + n % 2]:  # 1.5 badges per learner
                salt = f"{n:032x}"
                rows.append({"badge_class_id": badge_id, "user_id": user_id, "enrolment_id": enrolment_id,
                             "recipient_salt": salt,
                             "recipient_hash": "sha256$" + hashlib.sha256(f"{user_id}{salt}".encode()).hexdigest(),
                             "issued_at": self.now - timedelta(days=n % 30)})
        self._insert(BadgeAssertion, rows)

    def flush(self) -> None:
        db.session.commit()
