"""Who may do what: the one place for every access rule.

Predicates are `can_<verb>_<noun>(user, obj)` and pure (no request, no commit).
List pages use the query-filter twins (`*_visible_to(user)`) so lists and single
objects can never disagree. Templates reach the predicates through `can`.
Role comparisons appear nowhere else in the code base.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from .models import (
    Cohort,
    CohortTrainer,
    Course,
    CourseAuthor,
    CourseTrainer,
    Enrolment,
    Membership,
    MembershipRole,
    Organisation,
    Role,
    Submission,
    SubmissionStatus,
    User,
)

# ---- roles -------------------------------------------------------------------


def _known(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_platform_admin(user) -> bool:
    return _known(user) and user.role == Role.ADMIN


def erasable_for_inactivity() -> sa.ColumnElement[bool]:
    """Filter on User: accounts the retention rule may erase after long silence.
    Platform admins never are: an installation must not lose its last admin that way."""
    return sa.and_(User.erased_at.is_(None), User.role != Role.ADMIN)


def is_trainer(user) -> bool:
    """Trainers and platform admins review work."""
    return _known(user) and user.role in (Role.TRAINER, Role.ADMIN)


def admin_org_ids(user) -> set[int]:
    if not _known(user):
        return set()
    return {m.organisation_id for m in user.memberships if m.role == MembershipRole.ADMIN}


def is_org_admin(user, organisation: Organisation | None = None) -> bool:
    ids = admin_org_ids(user)
    return bool(ids) if organisation is None else organisation.id in ids


def home_endpoint(user) -> str:
    """Where a user lands after logging in: the page fitting their role."""
    if is_platform_admin(user):
        return "admin.dashboard"
    if is_trainer(user):
        return "review.queue"
    if is_org_admin(user):
        return "org.overview"
    return "learn.my_learning"


# ---- trainer scope -----------------------------------------------------------
# The scope rule (issue 17), written once as a pure function of plain facts so its
# truth table is tested without a database (tests/test_permissions_truth_table.py).
# The single-object predicates evaluate it; the SQL filters below are its twins.


@dataclass(frozen=True)
class ReviewFacts:
    """What decides whether one user reviews one learner's enrolment."""

    platform_admin: bool = False
    trainer_role: bool = False  # the platform role trainer (or admin)
    cohort_trainer: bool = False  # appointed to the learner's cohort
    course_trainer: bool = False  # appointed to the learner's course
    in_cohort: bool = False  # the enrolment belongs to an (in-company) cohort
    course_trainers_see_cohorts: bool = False  # the course's setting, off by default


def reviews_learner(facts: ReviewFacts) -> bool:
    """Platform admins review everyone. Otherwise only trainers, and then:
    a cohort trainer reviews that cohort; a course trainer reviews the course's
    self-enrolled learners (no cohort), and cohort learners only when the course's
    `course_trainers_see_cohorts` is on."""
    if facts.platform_admin:
        return True
    if not facts.trainer_role:
        return False
    if facts.in_cohort and facts.cohort_trainer:
        return True
    return facts.course_trainer and (not facts.in_cohort or facts.course_trainers_see_cohorts)


def _trainer_cohort_ids(user):
    return sa.select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)


def _trainer_course_ids(user):
    return sa.select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)


def _course_ids_seeing_cohorts(user):
    """Courses this user trains whose course trainers also review the cohorts."""
    course = aliased(Course)
    return (sa.select(CourseTrainer.course_id).join(course, course.id == CourseTrainer.course_id)
            .where(CourseTrainer.user_id == user.id, course.course_trainers_see_cohorts.is_(True)))


def _reviewed_enrolments(user) -> sa.ColumnElement[bool]:
    """The SQL twin of `reviews_learner` for a trainer (no admin shortcut)."""
    return sa.or_(
        Enrolment.cohort_id.in_(_trainer_cohort_ids(user)),
        sa.and_(Enrolment.cohort_id.is_(None), Enrolment.course_id.in_(_trainer_course_ids(user))),
        sa.and_(Enrolment.cohort_id.is_not(None), Enrolment.course_id.in_(_course_ids_seeing_cohorts(user))),
    )


def reviewed_enrolment_ids(user) -> sa.Select:
    """The ids of the enrolments `_reviewed_enrolments` selects, for a trainer (no admin
    shortcut): one UNION ALL branch per way a trainer reviews a learner, so PostgreSQL
    reads each through an index; with the OR it read every enrolment (issue 16). An id
    may come twice (a cohort trainer who also trains the course): for an IN that is the
    same set."""
    enrolment = aliased(Enrolment)
    return sa.union_all(
        sa.select(enrolment.id).where(enrolment.cohort_id.in_(_trainer_cohort_ids(user))),
        sa.select(enrolment.id).where(enrolment.cohort_id.is_(None),
                                      enrolment.course_id.in_(_trainer_course_ids(user))),
        sa.select(enrolment.id).where(enrolment.cohort_id.is_not(None),
                                      enrolment.course_id.in_(_course_ids_seeing_cohorts(user))),
    )


def _reviewed_cohorts(user) -> sa.ColumnElement[bool]:
    """Filter on Cohort: `reviews_learner` for the cohort's learners."""
    return sa.or_(Cohort.id.in_(_trainer_cohort_ids(user)), Cohort.course_id.in_(_course_ids_seeing_cohorts(user)))


_SCOPE_FILTERS = (_reviewed_enrolments, _reviewed_cohorts)  # depend on nothing but user.id


def _trainer_scope(user, trainers_filter, admins_see_all: bool = True) -> sa.ColumnElement[bool]:
    """The one shape of every trainer filter: everything for platform admins (unless
    only appointments count), nothing for non-trainers, else the trainer's own filter."""
    if admins_see_all and is_platform_admin(user):
        return sa.true()
    if not is_trainer(user):
        return sa.false()
    if trainers_filter in _SCOPE_FILTERS:
        return _built_scope(trainers_filter, user.id)
    return trainers_filter(user)


@dataclass(frozen=True)
class _ScopeOwner:
    id: int


@dataclass(frozen=True)
class TrainerKey:
    """What the trainer filters read of a user (the id and the role): a hashable stand-in,
    so a query that holds a trainer's filter can be built once per process and trainer."""
    id: int
    role: object
    is_authenticated: bool = True

    @classmethod
    def of(cls, user) -> TrainerKey:
        return cls(user.id, user.role)


@functools.lru_cache(maxsize=2048)
def _built_scope(trainers_filter, user_id: int) -> sa.ColumnElement[bool]:
    """A trainer's SQL filter, built once per process and trainer (issue 16: building
    these clauses cost more CPU than running them). Safe to keep: the filter holds
    nothing but the user id (its subqueries read the appointments when they run), SQL
    expressions are immutable, and the role is checked before on every call."""
    return trainers_filter(_ScopeOwner(user_id))


def enrolments_visible_to_trainer(user) -> sa.ColumnElement[bool]:
    """Filter on Enrolment: the learners this trainer reviews (all, for admins)."""
    return _trainer_scope(user, _reviewed_enrolments)


def submissions_visible_to(user) -> sa.ColumnElement[bool]:
    """Filter on Submission (joined to Enrolment) for the review queue."""
    return sa.and_(
        Submission.enrolment_id == Enrolment.id,
        enrolments_visible_to_trainer(user),
        Submission.status != SubmissionStatus.DRAFT,
    )


def _trains(user, cohort_id: int | None, course_id: int) -> bool:
    """`reviews_learner` for a learner of this cohort (None: self-enrolled) and course.
    One query gathers the facts."""
    if is_platform_admin(user):
        return True
    if not is_trainer(user):
        return False
    from . import request_cache

    # a page asks several predicates about the same learner or cohort (the review page:
    # may review, may open the learner; the matrix: three): one query per GET request
    return request_cache.cached(("trains", user.id, cohort_id, course_id),
                                lambda: _trains_query(user, cohort_id, course_id))


def _trains_query(user, cohort_id: int | None, course_id: int) -> bool:
    from .extensions import db

    cohort_trainer, course_trainer, sees_cohorts = db.session.execute(sa.select(
        sa.exists().where(CohortTrainer.user_id == user.id, CohortTrainer.cohort_id == cohort_id),
        sa.exists().where(CourseTrainer.user_id == user.id, CourseTrainer.course_id == course_id),
        sa.select(Course.course_trainers_see_cohorts).where(Course.id == course_id).scalar_subquery(),
    )).one()
    return reviews_learner(ReviewFacts(
        trainer_role=True, cohort_trainer=bool(cohort_trainer), course_trainer=bool(course_trainer),
        in_cohort=cohort_id is not None, course_trainers_see_cohorts=bool(sees_cohorts)))


def trains_enrolment(user, enrolment: Enrolment) -> bool:
    """Is this user one of the learner's trainers?"""
    return _trains(user, enrolment.cohort_id, enrolment.course_id)


def trains_cohort(user, cohort: Cohort) -> bool:
    return _trains(user, cohort.id, cohort.course_id)


# ---- review (trainer dashboard: queue, progress overview, snippets) ----------
# Trainers see only the cohorts and courses they are assigned to; anything else
# is answered with 404 by the views, so its existence does not leak.


def cohorts_reviewed_by(user) -> sa.ColumnElement[bool]:
    """Filter on Cohort: the cohorts whose learners this trainer reviews (not org admins)."""
    return _trainer_scope(user, _reviewed_cohorts)


def courses_reviewed_by(user, course_id_column) -> sa.ColumnElement[bool]:
    """Filter on a course id column: courses where this trainer reviews some learners."""
    def trained_courses(trainer):
        cohort_courses = sa.select(Cohort.course_id).where(Cohort.id.in_(_trainer_cohort_ids(trainer)))
        return sa.or_(course_id_column.in_(_trainer_course_ids(trainer)), course_id_column.in_(cohort_courses))

    return _trainer_scope(user, trained_courses)


def can_view_course_progress(user, course) -> bool:
    """The trainer's course-wide overview (filtered further to their own learners)."""
    if is_platform_admin(user):
        return True
    if not is_trainer(user):
        return False
    from .extensions import db

    return bool(db.session.scalar(sa.select(sa.literal(1)).where(courses_reviewed_by(user, sa.literal(course.id)))))


def can_view_cohort_review(user, cohort: Cohort) -> bool:
    """The trainer's cohort overview (matrix, grades, quiz analysis): its trainers only."""
    return trains_cohort(user, cohort)


def enrolments_assigned_to(user) -> sa.ColumnElement[bool]:
    """Filter on Enrolment: only learners of explicit assignments (CohortTrainer /
    CourseTrainer), also for admins. Used for the daily digest, so admins who
    assign nobody to themselves get no digest."""
    return _trainer_scope(user, _reviewed_enrolments, admins_see_all=False)


def can_manage_snippet(user, snippet) -> bool:
    """Feedback snippets are personal to the trainer who wrote them."""
    return is_trainer(user) and snippet.trainer_id == user.id


# ---- learners ----------------------------------------------------------------


def can_enrol_self(user, course) -> bool:
    return _known(user) and course.is_active and course.open_enrolment


def can_study(user, enrolment: Enrolment) -> bool:
    return _known(user) and enrolment.user_id == user.id


# ---- learn (the learner's own path) ------------------------------------------


def enrolments_studied_by(user) -> sa.ColumnElement[bool]:
    """Filter on Enrolment: the user's own enrolments (the list twin of can_study)."""
    if not _known(user):
        return sa.false()
    return Enrolment.user_id == user.id


def can_review_submission(user, submission: Submission) -> bool:
    return trains_enrolment(user, submission.enrolment)


def can_view_learner_detail(user, enrolment: Enrolment) -> bool:
    """The trainer's learner page, with answers and texts."""
    return trains_enrolment(user, enrolment)


def can_override_for(user, enrolment: Enrolment) -> bool:
    """Trainer overrides (extra quiz attempts, lifted cooling-off, reopened assignment,
    moved target date): the learner's own trainers, as for the learner page."""
    return trains_enrolment(user, enrolment)


def can_revoke_override(user, override) -> bool:
    """Withdrawing an override: any trainer in scope for that learner, not only its author."""
    return override.revoked_at is None and can_override_for(user, override.enrolment)


def can_view_workbook(user, enrolment: Enrolment) -> bool:
    return can_study(user, enrolment) or trains_enrolment(user, enrolment)


# ---- organisations -----------------------------------------------------------


def can_manage_organisation(user, organisation: Organisation) -> bool:
    return is_platform_admin(user) or is_org_admin(user, organisation)


def can_manage_cohort(user, cohort: Cohort) -> bool:
    return can_manage_organisation(user, cohort.organisation)


def can_export_attendance(user, cohort: Cohort) -> bool:
    """The Registerplein attendance list (names, registration numbers): the cohort's
    trainers and the admins of its own organisation."""
    return trains_cohort(user, cohort) or can_manage_cohort(user, cohort)


def organisations_visible_to(user) -> sa.ColumnElement[bool]:
    if is_platform_admin(user):
        return sa.true()
    return Organisation.id.in_(admin_org_ids(user) or {-1})


def can_manage_teams(user) -> bool:
    """May open the organisation area at all: organisation admins and platform admins.
    Which organisations and cohorts they see is `organisations_visible_to` /
    `cohorts_managed_by`."""
    return is_platform_admin(user) or is_org_admin(user)


def cohorts_managed_by(user) -> sa.ColumnElement[bool]:
    """Filter on Cohort: the cohorts whose team this user administers (not the ones
    they merely train). Every organisation-area lookup goes through this, so another
    organisation's cohort, learner, upload or export answers 404."""
    if is_platform_admin(user):
        return sa.true()
    return Cohort.organisation_id.in_(admin_org_ids(user) or {-1})


def platform_admin_accounts() -> sa.ColumnElement[bool]:
    """Filter on User: the platform admins who can act (they receive in-company requests)."""
    return sa.and_(User.role == Role.ADMIN, User.is_active_account.is_(True), User.erased_at.is_(None))


def trainer_accounts() -> sa.ColumnElement[bool]:
    """Filter on User: accounts with the platform role trainer (the admin's trainer list)."""
    return User.role == Role.TRAINER


def trainer_candidates() -> sa.ColumnElement[bool]:
    """Filter on User: who may be assigned to a cohort as its trainer (trainers and
    platform admins, as `is_trainer`), never erased accounts."""
    return sa.and_(User.role.in_([Role.TRAINER, Role.ADMIN]), User.erased_at.is_(None))


def organisation_admin_memberships() -> sa.ColumnElement[bool]:
    """Filter on Membership: the memberships that make their user an organisation admin."""
    return Membership.role == MembershipRole.ADMIN


def is_admin_membership(membership: Membership | None) -> bool:
    return membership is not None and membership.role == MembershipRole.ADMIN


# ---- platform ----------------------------------------------------------------


def can_administer_platform(user) -> bool:
    return is_platform_admin(user)


def can_view_audit_log(user) -> bool:
    """The audit log names who did what to whom: platform admins only."""
    return is_platform_admin(user)


def can_review(user) -> bool:
    """May open the trainer dashboard at all."""
    return is_trainer(user)


def can_revoke_badge(user, assertion) -> bool:
    return is_platform_admin(user)


# ---- badges/workbook (certificates, attendance) ------------------------------


def can_download_certificate(user, certificate) -> bool:
    """The PDF carries the registration number: the learner and their trainers only.
    (The verification page is public.)"""
    return can_view_workbook(user, certificate.enrolment)


def can_list_badges(user) -> bool:
    """The platform admin's list of issued badges (to find one to revoke)."""
    return is_platform_admin(user)


# ---- course staff (issue 17): trainers and authors per course ----------------


def can_manage_course_staff(user, course) -> bool:
    """Appointing course trainers and authors, and the course's review setting."""
    return is_platform_admin(user)


def is_course_author(user, course) -> bool:
    """Authors edit a course's content (the browser editor of issue 11). Platform
    admins are authors of every course; others by appointment (CourseAuthor)."""
    if is_platform_admin(user):
        return True
    if not _known(user) or not user.is_active:
        return False
    from .extensions import db

    return db.session.get(CourseAuthor, (course.id, user.id)) is not None


def can_author_course(user, course) -> bool:
    return is_course_author(user, course)


def courses_authored_by(user) -> sa.ColumnElement[bool]:
    """Filter on Course: the list twin of `is_course_author`."""
    if is_platform_admin(user):
        return sa.true()
    if not _known(user):
        return sa.false()
    return Course.id.in_(sa.select(CourseAuthor.course_id).where(CourseAuthor.user_id == user.id))


def acting_trainer(trainer) -> sa.ColumnElement[bool]:
    """Filter on a User (alias): an account that can review now."""
    return sa.and_(trainer.role.in_([Role.TRAINER, Role.ADMIN]), trainer.is_active_account.is_(True),
                   trainer.erased_at.is_(None))


def trainer_reviews_enrolment(trainer) -> sa.ColumnElement[bool]:
    """Filter on (Enrolment, trainer User alias): the appointed, acting trainers who
    review the enrolment, by `reviews_learner` (platform admins only when appointed)."""
    seeing = aliased(Course)
    courses_seeing_cohorts = (sa.select(seeing.id).where(seeing.course_trainers_see_cohorts.is_(True))
                              .correlate(None))
    # Explicit correlation: nested in another EXISTS (enrolments_without_trainer) the
    # enrolment would otherwise become a FROM of its own and match any enrolment.
    by_cohort = (sa.exists().where(CohortTrainer.cohort_id == Enrolment.cohort_id, CohortTrainer.user_id == trainer.id)
                 .correlate(Enrolment, trainer))
    by_course = sa.and_(
        sa.exists().where(CourseTrainer.course_id == Enrolment.course_id, CourseTrainer.user_id == trainer.id)
        .correlate(Enrolment, trainer),
        sa.or_(Enrolment.cohort_id.is_(None), Enrolment.course_id.in_(courses_seeing_cohorts)),
    )
    return sa.and_(acting_trainer(trainer), sa.or_(by_cohort, by_course))


def enrolments_without_trainer() -> sa.ColumnElement[bool]:
    """Filter on Enrolment: "zonder trainer", work no appointed trainer sees (only the
    platform admins do)."""
    trainer = aliased(User)
    return ~sa.exists(sa.select(trainer.id).where(trainer_reviews_enrolment(trainer)))


def can_see_unassigned_work(user) -> bool:
    """The "zonder trainer" filter and label on the review queue, and in the digest."""
    return is_platform_admin(user)


def cohort_trainer_options(course_ids) -> sa.ColumnElement[bool]:
    """Filter on User: whom an organisation admin may make a cohort's trainer for these
    courses: the course trainers the platform appointed to them (acting accounts)."""
    return sa.and_(acting_trainer(User), User.id.in_(
        sa.select(CourseTrainer.user_id).where(CourseTrainer.course_id.in_(list(course_ids)))))


# ---- api (issue 15): organisations' API tokens -------------------------------


def can_manage_api_tokens(user, organisation: Organisation) -> bool:
    """Creating, seeing and revoking an organisation's API tokens: its own admins only
    (a token reads the whole team's progress, so not even platform admins mint one)."""
    return is_org_admin(user, organisation)


# ---- attendance (issue 13) ---------------------------------------------------
# Taking attendance in the room, the sign-in sheet and the session's Registerplein list:
# the session's own trainers and the platform admins. A trainer of another session of
# the same course, an organisation admin or a learner may not (404 in the views).


@dataclass(frozen=True)
class AttendanceFacts:
    platform_admin: bool = False
    trainer_role: bool = False  # the platform role trainer (or admin)
    session_trainer: bool = False  # appointed to this session


def takes_attendance(facts: AttendanceFacts) -> bool:
    return facts.platform_admin or (facts.trainer_role and facts.session_trainer)


def can_take_attendance(user, session) -> bool:
    """Marking who was there, for one live session."""
    if not _known(user):
        return False
    if is_platform_admin(user):
        return True
    if not is_trainer(user):
        return False
    from .extensions import db
    from .models import SessionTrainer

    appointed = db.session.get(SessionTrainer, (session.id, user.id)) is not None
    return takes_attendance(AttendanceFacts(trainer_role=True, session_trainer=appointed))


def attendance_sessions_of(user, session_id_column) -> sa.ColumnElement[bool]:
    """Filter on a live-session id column: the sessions whose attendance this user takes
    (the list twin of `can_take_attendance`)."""
    if is_platform_admin(user):
        return sa.true()
    if not is_trainer(user):
        return sa.false()
    from .models import SessionTrainer

    return session_id_column.in_(sa.select(SessionTrainer.session_id).where(SessionTrainer.user_id == user.id))


# ---- the template door -------------------------------------------------------


class Can:
    """`can.review_submission(sub)` in templates, bound to the current user."""

    def __init__(self, user):
        self._user = user

    def __getattr__(self, name: str):
        predicate = globals().get(f"can_{name}")  # only the can_* predicates: the template's door
        if predicate is None or not callable(predicate):
            raise AttributeError(name)
        return lambda *args: predicate(self._user, *args)


# ---- privacy -----------------------------------------------------------------


def can_export_own_data(user) -> bool:
    """AVG art. 15/20: every logged-in person downloads their own data (and only theirs)."""
    return _known(user) and user.erased_at is None


def can_configure_sso(user) -> bool:
    """Single sign-on per organisation (course/sso) is set up by platform admins."""
    return can_administer_platform(user)


# ---- team plan and follow-up (issue 14) --------------------------------------
# The team plan holds colleagues' texts they agreed to share with their group: the
# group, its trainers and the organisation's admins read it once published (the only
# place an organisation admin reads learners' texts). The trainers compose it.
# Follow-up answers are the learner's own and their trainers' (as reviews); the
# organisation admin sees counts only.


@dataclass(frozen=True)
class TeamPlanFacts:
    platform_admin: bool = False
    cohort_trainer: bool = False  # `trains_cohort`: reviews this group's learners
    member: bool = False  # enrolled in this group
    org_admin: bool = False  # admin of the group's own organisation
    published: bool = False


def reads_team_plan(facts: TeamPlanFacts) -> bool:
    if facts.platform_admin or facts.cohort_trainer:
        return True
    return facts.published and (facts.member or facts.org_admin)


def composes_team_plan(facts: TeamPlanFacts) -> bool:
    return facts.platform_admin or facts.cohort_trainer


def _team_plan_facts(user, cohort: Cohort, published: bool) -> TeamPlanFacts:
    if not _known(user):
        return TeamPlanFacts()
    from .extensions import db

    member = db.session.scalar(sa.select(sa.exists().where(
        Enrolment.cohort_id == cohort.id, Enrolment.user_id == user.id)))
    return TeamPlanFacts(platform_admin=is_platform_admin(user), cohort_trainer=trains_cohort(user, cohort),
                         member=bool(member), org_admin=is_org_admin(user, cohort.organisation),
                         published=published)


def can_read_team_plan(user, cohort: Cohort, plan=None) -> bool:
    return reads_team_plan(_team_plan_facts(user, cohort, plan is not None and plan.is_published))


def can_compose_team_plan(user, cohort: Cohort) -> bool:
    return _known(user) and composes_team_plan(_team_plan_facts(user, cohort, False))


def can_share_in_team_plan(user, enrolment: Enrolment) -> bool:
    """Giving or withdrawing the sharing consent: the learner, for an enrolment in a group."""
    return can_study(user, enrolment) and enrolment.cohort_id is not None


def cohorts_with_team_plan_for(user) -> sa.ColumnElement[bool]:
    """Filter on Cohort: the groups whose team plan this user may open (the list twin
    of `can_read_team_plan`, before the published check: that is per plan)."""
    if is_platform_admin(user):
        return sa.true()
    if not _known(user):
        return sa.false()
    member = Cohort.id.in_(sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id))
    org = Cohort.organisation_id.in_(admin_org_ids(user) or {-1})
    trained = _reviewed_cohorts(user) if is_trainer(user) else sa.false()
    return sa.or_(member, org, trained)


def sees_followup_answers(own: bool, reviews: bool) -> bool:
    """The follow-up answers: the learner and their trainers, nobody else (not the
    organisation admin, whatever else they are)."""
    return own or reviews


def can_view_followup_answers(user, enrolment: Enrolment) -> bool:
    return sees_followup_answers(can_study(user, enrolment), trains_enrolment(user, enrolment))


def can_answer_checkin(user, checkin) -> bool:
    return can_study(user, checkin.enrolment) and user.erased_at is None


def can_view_followup_overview(user, course) -> bool:
    """The trainer's per-course follow-up overview (their own learners only)."""
    return can_view_course_progress(user, course)


def can_view_followup_counts(user) -> bool:
    """Counts per group for organisation admins (and platform admins); never answers."""
    return can_manage_teams(user)
# ---- live sessions (issue 13) ------------------------------------------------


@dataclass(frozen=True)
class LiveSessionFacts:
    """What decides access to one live session, gathered by `live_session_facts`."""

    platform_admin: bool = False
    course_trainer: bool = False     # trainer role and a CourseTrainer of the session's course
    cohort_trainer: bool = False     # trainer role and a CohortTrainer of the in-company cohort
    in_company: bool = False         # the session is for one cohort
    cohort_member: bool = False      # enrolled in that cohort
    org_admin: bool = False          # administers the cohort's organisation
    logged_in: bool = False


def manages_live_session(facts: LiveSessionFacts) -> bool:
    """Create, edit, cancel, duplicate; see the participants."""
    return facts.platform_admin or facts.course_trainer or (facts.in_company and facts.cohort_trainer)


def sees_live_session(facts: LiveSessionFacts) -> bool:
    """Public sessions are seen by everyone (visitors too); an in-company one by the
    cohort's members, its organisation's admins and the people who manage it."""
    if not facts.in_company:
        return True
    return facts.cohort_member or facts.org_admin or manages_live_session(facts)


def sees_live_session_participants(facts: LiveSessionFacts) -> bool:
    """Names and dates of who signed up: managers, and for an in-company session the
    organisation's admins."""
    return manages_live_session(facts) or (facts.in_company and facts.org_admin)


def may_join_live_session(facts: LiveSessionFacts) -> bool:
    """Public: every logged-in account; in-company: the cohort's members only."""
    return facts.logged_in and (not facts.in_company or facts.cohort_member)


def live_session_facts(user, session) -> LiveSessionFacts:
    from .extensions import db

    if not _known(user):
        return LiveSessionFacts(in_company=session.cohort_id is not None)
    trainer = is_trainer(user)
    cohort = session.cohort
    course_trainer, cohort_trainer, member = db.session.execute(sa.select(
        sa.exists().where(CourseTrainer.user_id == user.id, CourseTrainer.course_id == session.course_id),
        sa.exists().where(CohortTrainer.user_id == user.id, CohortTrainer.cohort_id == session.cohort_id),
        sa.exists().where(Enrolment.user_id == user.id, Enrolment.cohort_id == session.cohort_id),
    )).one()
    return LiveSessionFacts(
        platform_admin=is_platform_admin(user), course_trainer=trainer and bool(course_trainer),
        cohort_trainer=trainer and bool(cohort_trainer), in_company=cohort is not None,
        cohort_member=bool(member), org_admin=cohort is not None and cohort.organisation_id in admin_org_ids(user),
        logged_in=user.erased_at is None and user.is_active)


def can_manage_live_sessions(user, course) -> bool:
    """Plan sessions for this course: platform admins and the course's trainers."""
    if is_platform_admin(user):
        return True
    if not is_trainer(user):
        return False
    from .extensions import db

    return db.session.get(CourseTrainer, (course.id, user.id)) is not None


def can_manage_live_session(user, session) -> bool:
    return manages_live_session(live_session_facts(user, session))


def can_view_live_session(user, session) -> bool:
    return sees_live_session(live_session_facts(user, session))


def can_view_live_session_participants(user, session) -> bool:
    return sees_live_session_participants(live_session_facts(user, session))


def can_join_live_session(user, session) -> bool:
    return may_join_live_session(live_session_facts(user, session))


def can_plan_live_sessions(user) -> bool:
    """May open the planning pages (which courses: `courses_planned_by`)."""
    return is_trainer(user)


def can_view_session_list(user) -> bool:
    """The "Sessies" list: trainers and admins (what they manage), organisation admins
    (their groups' in-company sessions)."""
    return is_trainer(user) or is_org_admin(user)


def courses_planned_by(user) -> sa.ColumnElement[bool]:
    """Filter on Course: the list twin of `can_manage_live_sessions`."""
    if is_platform_admin(user):
        return sa.true()
    if not is_trainer(user):
        return sa.false()
    return Course.id.in_(_trainer_course_ids(user))


def live_sessions_managed_by(user) -> sa.ColumnElement[bool]:
    """Filter on LiveSession: the list twin of `can_manage_live_session`."""
    from .models import LiveSession

    if is_platform_admin(user):
        return sa.true()
    if not is_trainer(user):
        return sa.false()
    return sa.or_(LiveSession.course_id.in_(_trainer_course_ids(user)),
                  sa.and_(LiveSession.cohort_id.is_not(None), LiveSession.cohort_id.in_(_trainer_cohort_ids(user))))


def live_sessions_visible_to(user) -> sa.ColumnElement[bool]:
    """Filter on LiveSession: the list twin of `can_view_live_session`."""
    from .models import LiveSession

    if is_platform_admin(user):
        return sa.true()
    if not _known(user):
        return LiveSession.cohort_id.is_(None)
    member_cohorts = sa.select(Enrolment.cohort_id).where(Enrolment.user_id == user.id,
                                                          Enrolment.cohort_id.is_not(None))
    admin_cohorts = sa.select(Cohort.id).where(Cohort.organisation_id.in_(admin_org_ids(user) or {-1}))
    return sa.or_(LiveSession.cohort_id.is_(None), LiveSession.cohort_id.in_(member_cohorts),
                  LiveSession.cohort_id.in_(admin_cohorts), live_sessions_managed_by(user))
# ---- peer feedback (issue 14) ------------------------------------------------
# Colleagues review each other only inside one pool: the same cohort (so never across
# organisations), or the self-enrolled learners of the same course. The trainers of
# that cohort (for self-enrolled learners: the course trainers) manage it; organisation
# admins see none of it.


@dataclass(frozen=True)
class PeerFacts:
    """What decides whether one enrolment may review another's work."""

    same_course: bool = False
    reviewer_cohort_id: int | None = None
    author_cohort_id: int | None = None
    same_person: bool = False


def peers_in_one_pool(facts: PeerFacts) -> bool:
    """Same course and the same cohort (both None: self-enrolled), never oneself."""
    return facts.same_course and not facts.same_person and facts.reviewer_cohort_id == facts.author_cohort_id


def in_same_peer_pool(reviewer: Enrolment, author: Enrolment) -> bool:
    return peers_in_one_pool(PeerFacts(same_course=reviewer.course_id == author.course_id,
                                       reviewer_cohort_id=reviewer.cohort_id, author_cohort_id=author.cohort_id,
                                       same_person=reviewer.user_id == author.user_id))


def can_manage_peer_feedback(user, course, cohort: Cohort | None) -> bool:
    """Switching peer feedback on and the overview of who gave what: the cohort's
    trainers; for self-enrolled learners (cohort None) the course trainers and
    platform admins. Never an organisation admin as such."""
    return _trains(user, cohort.id if cohort is not None else None, course.id)


def can_give_peer_review(user, review) -> bool:
    """The allocated reviewer, while both still belong to one pool."""
    return (_known(user) and review.reviewer_enrolment.user_id == user.id
            and in_same_peer_pool(review.reviewer_enrolment, review.author_enrolment))


def can_hide_peer_review(user, review) -> bool:
    return can_manage_peer_feedback(user, review.setting.course, review.setting.cohort)


# ---- discussion (issue 14) ---------------------------------------------------
# A discussion is a module's conversation within one group: a cohort, or the course's
# self-enrolled learners (cohort None). Its members and its trainers (the scope rule
# above) read and write in it; the trainers moderate. Nobody else, not even the
# organisation admin, learns that it exists (the views answer 404).


@dataclass(frozen=True)
class DiscussionFacts:
    """What decides a person's part in one discussion."""

    member: bool = False  # enrolled in the course, in this cohort (None: self-enrolled)
    trains: bool = False  # `reviews_learner` for this group's learners


@dataclass(frozen=True)
class PostFacts:
    author: bool = False
    deleted: bool = False
    hidden: bool = False
    locked: bool = False  # the post's thread is locked


def reads_discussion(facts: DiscussionFacts) -> bool:
    return facts.member or facts.trains


def moderates_discussion(facts: DiscussionFacts) -> bool:
    return facts.trains


def edits_post(facts: DiscussionFacts, post: PostFacts) -> bool:
    """Authors edit their own posts while they are shown and the thread is open."""
    return reads_discussion(facts) and post.author and not (post.deleted or post.hidden or post.locked)


def deletes_post(facts: DiscussionFacts, post: PostFacts) -> bool:
    """Authors may always take their own text away (also when hidden or locked)."""
    return reads_discussion(facts) and post.author and not post.deleted


def reports_post(facts: DiscussionFacts, post: PostFacts) -> bool:
    """Members report a colleague's post to the trainers (who moderate it themselves);
    a post already hidden or deleted has nothing left to report."""
    return facts.member and not facts.trains and not post.author and not (post.deleted or post.hidden)


def discussion_facts(user, course_id: int, cohort_id: int | None) -> DiscussionFacts:
    """The facts for `user` in the discussion of (course, group), gathered once per
    request (templates ask several predicates for the same discussion)."""
    if not _known(user) or not user.is_active:
        return DiscussionFacts()
    from flask import g, has_app_context

    from .extensions import db

    cache = g.setdefault("discussion_facts", {}) if has_app_context() else {}
    key = (user.id, course_id, cohort_id)
    if key not in cache:
        same_group = Enrolment.cohort_id.is_(None) if cohort_id is None else Enrolment.cohort_id == cohort_id
        member = db.session.scalar(sa.select(sa.exists().where(
            Enrolment.user_id == user.id, Enrolment.course_id == course_id, same_group)))
        cache[key] = DiscussionFacts(member=bool(member), trains=_trains(user, cohort_id, course_id))
    return cache[key]


def _facts_of(user, space) -> DiscussionFacts:
    """`space` is anything with course_id and cohort_id: a discussion or one of its threads."""
    return discussion_facts(user, space.course_id, space.cohort_id)


def _post_facts(user, post) -> PostFacts:
    return PostFacts(author=_known(user) and post.author_id == user.id, deleted=post.deleted_at is not None,
                     hidden=post.hidden_at is not None, locked=post.thread.locked)


def can_read_discussion(user, space) -> bool:
    return reads_discussion(_facts_of(user, space))


def can_moderate_discussion(user, space) -> bool:
    return moderates_discussion(_facts_of(user, space))


def can_reply_to_thread(user, thread) -> bool:
    return reads_discussion(_facts_of(user, thread)) and not thread.locked


def can_edit_post(user, post) -> bool:
    return edits_post(_facts_of(user, post.thread), _post_facts(user, post))


def can_delete_post(user, post) -> bool:
    return deletes_post(_facts_of(user, post.thread), _post_facts(user, post))


def can_report_post(user, post) -> bool:
    return reports_post(_facts_of(user, post.thread), _post_facts(user, post))


def can_see_hidden_post(user, post) -> bool:
    """A hidden post's text: its discussion's moderators only."""
    return moderates_discussion(_facts_of(user, post.thread))


def can_handle_discussion_reports(user) -> bool:
    """May open the list of reported posts at all (which ones: `reported_posts_visible_to`)."""
    return is_trainer(user)


def discussions_moderated_by(user, thread) -> sa.ColumnElement[bool]:
    """Filter on DiscussionThread (or an alias): the threads whose discussion this user
    moderates, the SQL twin of `moderates_discussion` (its `trains` fact)."""
    if is_platform_admin(user):
        return sa.true()
    if not is_trainer(user):
        return sa.false()
    return sa.or_(
        thread.cohort_id.in_(_trainer_cohort_ids(user)),
        sa.and_(thread.cohort_id.is_(None), thread.course_id.in_(_trainer_course_ids(user))),
        sa.and_(thread.cohort_id.is_not(None), thread.course_id.in_(_course_ids_seeing_cohorts(user))),
    )


# ---- authoring (issue 11): the course editor, drafts and published versions ----


def can_create_course(user) -> bool:
    """A new course (a draft without a course yet) is started by a platform admin."""
    return is_platform_admin(user)


def can_edit_draft(user, course) -> bool:
    """The draft of `course`; `None` for a course that has not been published yet."""
    return can_create_course(user) if course is None else can_author_course(user, course)


def can_author_any_course(user) -> bool:
    """Whether the editor belongs in the user's menu."""
    if is_platform_admin(user):
        return True
    if not _known(user) or not user.is_active:
        return False
    from .extensions import db

    return db.session.scalar(sa.select(sa.exists().where(CourseAuthor.user_id == user.id))) or False


# ---- peer feedback consent after submitting (issue 14, helper audit14) ---------
# Consent is asked on submit; like any consent (AVG art. 7(3)) the author may withdraw
# it later, or give it afterwards (work submitted before peer feedback was switched on).


def can_change_peer_consent(user, submission) -> bool:
    """Only the author, for a submitted (not draft) work."""
    return (submission is not None and can_study(user, submission.enrolment)
            and submission.status != SubmissionStatus.DRAFT)


# ---- perf16 (issue 16): the learner's own-enrolment filter for statements built once ----


def can_study_own(user) -> bool:
    """Whether `enrolments_studied_by(user)` can match anything (a known user)."""
    return _known(user)


def enrolments_studied_by_id(user_id) -> sa.ColumnElement[bool]:
    """`enrolments_studied_by` for a known user, on a user id or a bound parameter."""
    return Enrolment.user_id == user_id
