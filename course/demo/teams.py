"""Demo step: the demo organisation enrols its team.

"Stichting Welzijn Voorbeeld" gets a seat licence for the default course and two
groups: Team Noord (leerling@ and afgerond@ from the learning step, a learner who
has not started, and one who stopped weeks ago) and Team Zuid (just started, one
not started, an open invitation and an invite link). trainer@example.org trains both.

Idempotent: every action looks at the current state first, and everything goes
through the organisation services, so seats are counted exactly as in real use.
"""
from datetime import timedelta

import sqlalchemy as sa

from course.admin import services as admin_services
from course.extensions import db
from course.learn import services as learn_services
from course.models import (
    Cohort,
    Course,
    Enrolment,
    Invitation,
    InviteLink,
    ModuleProgress,
    Organisation,
    ProgressEvent,
    Role,
    User,
    utcnow,
)
from course.org.cohorts import create_cohort, enrol_into_cohort
from course.org.invitations import invite_one
from course.org.invite_links import create_invite_link
from course.org.seats import licence_for

from .seed import DEMO_ORG, get_or_create_user

COURSE_SLUG = "welzijn-2-0"
SEATS = 25
TRAINER = "trainer@example.org"
ORG_ADMIN = "orgadmin@example.org"
# email, name, group, stage
TEAM = [
    ("leerling@example.org", "Lotte Leerling", "Team Noord", "learning-step"),
    ("afgerond@example.org", "Aziz Afgerond", "Team Noord", "learning-step"),
    ("bas@example.org", "Bas Bakker", "Team Noord", "not-started"),
    ("iris@example.org", "Iris Inactief", "Team Noord", "stalled"),
    ("sam@example.org", "Sam de Smet", "Team Zuid", "started"),
    ("noor@example.org", "Noor El Idrissi", "Team Zuid", "not-started"),
]
INVITED = ("nog.uitgenodigd@example.org", "Nina Nog", "Team Zuid")


def _cohort(org: Organisation, course: Course, name: str, trainer: User | None, starts_in: int) -> Cohort:
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.organisation_id == org.id, Cohort.name == name))
    if cohort is None:
        today = utcnow().date()
        cohort = create_cohort(org, course, name, starts_on=today + timedelta(days=starts_in),
                                        target_on=today + timedelta(days=starts_in + 84),
                                        trainer_ids=[trainer.public_id] if trainer else [])
    return cohort


def _enrol(user: User, cohort: Cohort, actor: User | None) -> Enrolment:
    enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == cohort.course_id))
    if enrolment is None or enrolment.cohort_id is None or enrolment.seat_licence_id is None:
        enrolment = enrol_into_cohort(user, cohort, actor=actor)
        db.session.commit()
    return enrolment


def _stage(enrolment: Enrolment, user: User, stage: str, course: Course) -> None:
    modules = course.active_modules
    if stage in ("started", "stalled") and enrolment.started_at is None and modules:
        learn_services.mark_read(enrolment, modules[0], user)
    if stage == "stalled" and enrolment.last_activity_at and enrolment.last_activity_at > utcnow() - timedelta(days=20):
        # Back-date: Iris stopped three weeks ago, so the reminder button has someone to remind.
        weeks_ago = utcnow() - timedelta(days=24)
        enrolment.enrolled_at = enrolment.started_at = enrolment.last_activity_at = weeks_ago
        # Her history too, or the trainer's "stuck" filter sees today's events.
        db.session.execute(sa.update(ProgressEvent).where(ProgressEvent.enrolment_id == enrolment.id)
                           .values(created_at=weeks_ago))
        db.session.execute(sa.update(ModuleProgress).where(ModuleProgress.enrolment_id == enrolment.id,
                                                           ModuleProgress.read_at.is_not(None))
                           .values(read_at=weeks_ago))
        db.session.commit()
    if stage == "not-started" and enrolment.enrolled_at > utcnow() - timedelta(days=15):
        enrolment.enrolled_at = utcnow() - timedelta(days=16)
        db.session.commit()


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG, Course.is_active.is_(True)))
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == DEMO_ORG))
    if course is None or org is None:
        return f"Teams demo skipped: course '{COURSE_SLUG}' or '{DEMO_ORG}' is missing."
    if licence_for(org.id, course.id) is None:
        admin_services.set_seats(org, course, SEATS, None)
    trainer = db.session.scalar(sa.select(User).where(User.email == TRAINER))
    admin = db.session.scalar(sa.select(User).where(User.email == ORG_ADMIN))
    cohorts = {"Team Noord": _cohort(org, course, "Team Noord", trainer, -28),
               "Team Zuid": _cohort(org, course, "Team Zuid", trainer, -3)}
    for email, name, group, stage in TEAM:
        user = _user(email, name)
        enrolment = _enrol(user, cohorts[group], admin)
        _stage(enrolment, user, stage, course)
    _invitation_and_link(org, cohorts[INVITED[2]], admin)
    licence = licence_for(org.id, course.id)
    return (f"Teams demo ready: {DEMO_ORG} with {licence.seats_used}/{licence.seats} seats, "
            f"groups {', '.join(cohorts)} (log in as {ORG_ADMIN}).")


def _user(email: str, name: str) -> User:
    user = get_or_create_user(email, name, Role.LEARNER)
    db.session.commit()
    return user


def _invitation_and_link(org: Organisation, cohort: Cohort, admin: User | None) -> None:
    email, name, _group = INVITED
    if db.session.scalar(sa.select(Invitation.id).where(Invitation.email == email)) is None:
        invite_one(cohort, email, name, admin)
    if db.session.scalar(sa.select(InviteLink.id).where(InviteLink.cohort_id == cohort.id)) is None:
        create_invite_link(cohort, 10, utcnow().date() + timedelta(days=30), admin)
