"""Demo step: live sessions of the default course (issue 13).

Upcoming: an open-registration workshop on two mornings that is full (with one
person waiting), an online session with free places, and an in-company session
for Team Zuid. Past: an open workshop and an in-company session for Team Noord,
with the demo learners signed up (attendance is marked on these by the attendance
step). trainer@example.org trains the course and gives the sessions.

Idempotent: a session is looked up by course and title first. Upcoming sign-ups go
through the sign-up service (so the waiting list and the mails are real); past ones
are written as they would have been at the time.
"""
from datetime import datetime, time, timedelta

import sqlalchemy as sa

from course.extensions import db
from course.live import services
from course.live.forms import to_utc
from course.models import (
    Cohort,
    Course,
    CourseTrainer,
    LiveSession,
    RegistrationStatus,
    SessionRegistration,
    User,
    utcnow,
)

from .teams import COURSE_SLUG, TRAINER

ADMIN = "admin@example.org"
PLACE = "Buurthuis De Wissel\nOudegracht 120\n3511 AZ Utrecht"
PAST_OPEN = "Workshop Welzijn 2.0 (één ochtend)"
LEGACY_TITLE = "Workshop Welzijn 2.0 (september)"  # its title before the audit: the month was often wrong
# title, days from today, parts as (start, end) local times, group or None, capacity, online, who signs up
SESSIONS = [
    ("Workshop Welzijn 2.0 (twee ochtenden)", 12, [("09:30", "12:30"), ("09:30", "12:30", 1)], None, 4, False,
     ["leerling@example.org", "afgerond@example.org", "sam@example.org", "bas@example.org", "noor@example.org"]),
    ("Online verdiepingssessie", 20, [("19:00", "21:00")], None, 20, True, ["leerling@example.org"]),
    ("Incompany-workshop Team Zuid", 5, [("13:00", "16:30")], "Team Zuid", 12, False,
     ["sam@example.org", "noor@example.org"]),
    (PAST_OPEN, -14, [("09:30", "12:30")], None, 10, False,
     ["leerling@example.org", "afgerond@example.org"]),
    ("Incompany-workshop Team Noord", -7, [("13:00", "16:30")], "Team Noord", 12, False,
     ["leerling@example.org", "afgerond@example.org", "bas@example.org", "iris@example.org"]),
]


def _at(day, clock: str) -> datetime:
    hours, minutes = (int(x) for x in clock.split(":"))
    return to_utc(day, time(hours, minutes))


def _data(title, days, parts, cohort, capacity, online, trainer):
    first_day = utcnow().date() + timedelta(days=days)
    part_data = tuple(services.PartData(_at(first_day + timedelta(days=p[2] if len(p) > 2 else 0), p[0]),
                                        _at(first_day + timedelta(days=p[2] if len(p) > 2 else 0), p[1]))
                      for p in parts)
    return services.SessionData(
        title=title, parts=part_data, place="" if online else PLACE,
        online_url="https://meet.example.org/welzijn-verdieping" if online else "",
        capacity=capacity, registration_deadline=part_data[0].starts_at - timedelta(days=2),
        note="Neem je werkboek en een laptop mee." if not online else "Zet je camera aan als het kan.",
        trainer_ids=(trainer.id,) if trainer else (), cohort_id=cohort.id if cohort else None)


def _sign_up_past(session: LiveSession, user: User) -> None:
    exists = db.session.scalar(sa.select(SessionRegistration.id).where(
        SessionRegistration.session_id == session.id, SessionRegistration.user_id == user.id))
    if exists is None:
        db.session.add(SessionRegistration(session_id=session.id, user_id=user.id,
                                           status=RegistrationStatus.REGISTERED,
                                           registered_at=session.registration_deadline - timedelta(days=10),
                                           created_at=session.registration_deadline - timedelta(days=10)))
        db.session.commit()


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG, Course.is_active.is_(True)))
    admin = db.session.scalar(sa.select(User).where(User.email == ADMIN))
    if course is None or admin is None:
        return f"Sessions demo skipped: course '{COURSE_SLUG}' or {ADMIN} is missing."
    trainer = db.session.scalar(sa.select(User).where(User.email == TRAINER))
    if trainer is not None and db.session.get(CourseTrainer, (course.id, trainer.id)) is None:
        db.session.add(CourseTrainer(course_id=course.id, user_id=trainer.id))
        db.session.commit()
    made = 0
    # A database seeded before keeps its past session, under the new title.
    db.session.execute(sa.update(LiveSession).where(LiveSession.course_id == course.id,
                                                    LiveSession.title == LEGACY_TITLE)
                       .values(title=PAST_OPEN).execution_options(synchronize_session=False))
    db.session.commit()
    for title, days, parts, group, capacity, online, emails in SESSIONS:
        session = db.session.scalar(sa.select(LiveSession).where(LiveSession.course_id == course.id,
                                                                 LiveSession.title == title))
        if session is None:
            cohort = db.session.scalar(sa.select(Cohort).where(Cohort.course_id == course.id,
                                                               Cohort.name == group)) if group else None
            if group and cohort is None:
                continue
            session = services.create_session(admin, course, _data(title, days, parts, cohort, capacity, online,
                                                                   trainer))
            made += 1
        for email in emails:
            user = db.session.scalar(sa.select(User).where(User.email == email))
            if user is None:
                continue
            if days < 0:
                _sign_up_past(session, user)
            elif services.sign_up_open(session):
                services.sign_up(user, session)
    total = db.session.scalar(sa.select(sa.func.count(LiveSession.id)).where(LiveSession.course_id == course.id))
    return f"Sessions demo ready: {total} live sessions ({made} new), past and upcoming, with sign-ups."
