"""The demo seed has past and upcoming live sessions with the demo learners signed
up (a full one with a waiting list); running it twice changes nothing."""
import sqlalchemy as sa

from course.extensions import db
from course.models import LiveSession, RegistrationStatus, SessionRegistration, User, utcnow


def _counts():
    return (db.session.scalar(sa.select(sa.func.count(LiveSession.id))),
            db.session.scalar(sa.select(sa.func.count(SessionRegistration.id))))


def test_the_demo_has_past_and_upcoming_sessions_with_sign_ups_and_is_idempotent(app, login_as, seed_demo):
    assert "Sessions demo ready" in seed_demo()
    sessions = db.session.scalars(sa.select(LiveSession)).all()
    now = utcnow()
    past = [s for s in sessions if s.ends_at < now]
    upcoming = [s for s in sessions if s.starts_at > now]
    assert len(past) == 2 and len(upcoming) == 3
    assert any(s.cohort_id for s in past) and any(s.cohort_id for s in upcoming)
    lotte = db.session.scalar(sa.select(User).where(User.email == "leerling@example.org"))
    mine = db.session.scalars(sa.select(SessionRegistration).where(SessionRegistration.user_id == lotte.id)).all()
    assert {r.session_id for r in mine} >= {s.id for s in past if s.cohort_id} | {past[0].id}
    full = next(s for s in upcoming if s.title.startswith("Workshop Welzijn 2.0 (twee"))
    statuses = db.session.scalars(sa.select(SessionRegistration.status)
                                  .where(SessionRegistration.session_id == full.id)).all()
    assert statuses.count(RegistrationStatus.REGISTERED) == full.capacity == 4
    assert statuses.count(RegistrationStatus.WAITING) == 1
    page = login_as(lotte).get("/mijn-leren").get_data(as_text=True)
    assert "Jouw sessies" in page and full.title in page
    first = _counts()
    seed_demo()
    assert _counts() == first
