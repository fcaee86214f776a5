"""The demo seed marks attendance on its past live sessions; a second run changes nothing."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Attendance, AuditEvent, LiveSession, SessionRegistration, User


def _marks():
    return dict(db.session.execute(
        sa.select(User.email, SessionRegistration.attendance).join(User, SessionRegistration.user_id == User.id)
        .join(LiveSession, SessionRegistration.session_id == LiveSession.id)
        .where(LiveSession.title == "Incompany-workshop Team Noord")).all())


def test_the_demos_past_sessions_have_attendance_and_a_second_run_changes_nothing(app, login_as, seed_demo):
    assert "Attendance demo ready" in seed_demo()
    marks = _marks()
    assert marks["leerling@example.org"] == Attendance.PRESENT
    assert marks["bas@example.org"] == Attendance.PARTIAL
    assert marks["iris@example.org"] == Attendance.ABSENT
    audited = db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                                .where(AuditEvent.action == "session.attendance_marked"))
    assert audited >= 6
    seed_demo()
    assert _marks() == marks
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "session.attendance_marked")) == audited
    trainer = db.session.scalar(sa.select(User).where(User.email == "trainer@example.org"))
    html = login_as(trainer).get("/aanwezigheid").get_data(as_text=True)
    assert "Incompany-workshop Team Noord" in html and "aanwezigheid bij 4 van 4 ingevuld" in html
