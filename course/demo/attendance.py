"""Demo step: attendance on the past live sessions of the demo (issue 13), marked by
their trainer as they would have been in the room: most present, Bas present for two
hours of the in-company afternoon, Iris absent. Idempotent: marking what is already
marked changes nothing (and audits nothing)."""
import sqlalchemy as sa

from course.attendance import queries, services
from course.extensions import db
from course.models import Attendance, Course, LiveSession, User, utcnow

from .teams import COURSE_SLUG, TRAINER

ADMIN = "admin@example.org"
MARKS = {
    "Workshop Welzijn 2.0 (één ochtend)": {"leerling@example.org": (Attendance.PRESENT, None),
                                           "afgerond@example.org": (Attendance.PRESENT, None)},
    "Incompany-workshop Team Noord": {"leerling@example.org": (Attendance.PRESENT, None),
                                      "afgerond@example.org": (Attendance.PRESENT, None),
                                      "bas@example.org": (Attendance.PARTIAL, 120),
                                      "iris@example.org": (Attendance.ABSENT, None)},
}


def seed() -> str:
    course = db.session.scalar(sa.select(Course).where(Course.slug == COURSE_SLUG))
    actor = db.session.scalar(sa.select(User).where(User.email == TRAINER)) or \
        db.session.scalar(sa.select(User).where(User.email == ADMIN))
    if course is None or actor is None:
        return "Attendance demo skipped: no course or trainer."
    changed = 0
    for title, marks in MARKS.items():
        session = db.session.scalar(sa.select(LiveSession).where(LiveSession.course_id == course.id,
                                                                 LiveSession.title == title))
        if session is None or not services.can_be_marked(session, utcnow()):
            continue
        by_email = {r.user.email: r for r in queries.participants(session)}
        wanted = {by_email[email].public_id: services.Mark(attendance, minutes)
                  for email, (attendance, minutes) in marks.items() if email in by_email}
        changed += services.mark_attendance(session, wanted, actor)
    return f"Attendance demo ready: past sessions marked ({changed} marks new)."
