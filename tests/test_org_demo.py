"""The demo seed gives the demo organisation a licence, two groups and learners at
different stages; running it twice changes nothing."""
import sqlalchemy as sa

from course.extensions import db
from course.models import Cohort, Enrolment, Invitation, InviteLink, Organisation, SeatLicence, User
from course.org.queries.team import team_progress
from course.org.reminders import reminder_candidates


def _state():
    return (
        db.session.scalar(sa.select(sa.func.count(Enrolment.id))),
        db.session.scalar(sa.select(sa.func.sum(SeatLicence.seats_used))),
        db.session.scalar(sa.select(sa.func.count(Cohort.id))),
        db.session.scalar(sa.select(sa.func.count(Invitation.id))),
        db.session.scalar(sa.select(sa.func.count(InviteLink.id))),
    )


def test_the_demo_organisation_has_two_groups_with_learners_at_different_stages(app, seed_demo):
    output = seed_demo()
    assert "Teams demo ready" in output
    org = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Stichting Welzijn Voorbeeld"))
    cohorts = {c.name: c for c in db.session.scalars(sa.select(Cohort).where(Cohort.organisation_id == org.id))}
    assert set(cohorts) == {"Team Noord", "Team Zuid"}
    assert all("trainer@example.org" in [t.email for t in c.trainers] for c in cohorts.values())
    licence = db.session.scalar(sa.select(SeatLicence).where(SeatLicence.organisation_id == org.id))
    ids = [c.id for c in cohorts.values()]
    enrolments = db.session.scalars(sa.select(Enrolment).where(Enrolment.cohort_id.in_(ids))).all()
    assert licence.seats_used == len(enrolments) == 6
    assert all(e.seat_licence_id == licence.id for e in enrolments)
    by_email = {db.session.get(User, e.user_id).email: e for e in enrolments}
    assert by_email["leerling@example.org"].cohort_id == cohorts["Team Noord"].id
    assert by_email["afgerond@example.org"].cohort_id == cohorts["Team Noord"].id
    rows = team_progress(cohorts["Team Noord"])
    stages = {(r.started, r.enrolment.completed_at is not None, r.waiting_on_trainer) for r in rows}
    assert (False, False, False) in stages  # not started
    assert len(stages) >= 3
    due = db.session.scalars(reminder_candidates(cohorts["Team Noord"])).unique().all()
    assert {"iris@example.org", "bas@example.org"} <= {e.user.email for e in due}


def test_the_teams_seed_is_idempotent(app, seed_demo):
    seed_demo()
    first = _state()
    seed_demo()
    assert _state() == first


def test_the_demo_org_admin_sees_the_team(app, login_as, seed_demo):
    seed_demo()
    admin = db.session.scalar(sa.select(User).where(User.email == "orgadmin@example.org"))
    text = login_as(admin).get("/organisatie").get_data(as_text=True)
    assert "Team Noord" in text and "Team Zuid" in text and "6 van 25" in text


def test_the_stalled_demo_learner_shows_up_as_stuck_for_the_trainer(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["content", "load"])
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    client = app.test_client()
    client.post("/inloggen", data={"email": "trainer@example.org", "password": "welzijn-demo"})
    from course.models import Cohort

    noord = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Team Noord"))
    html = client.get(f"/voortgang/groep/{noord.public_id}", query_string={"show": "stuck", "days": 14}).get_data(
        as_text=True)
    assert "Iris Inactief" in html
    assert "Lotte Leerling" not in html, "active learners are not listed as stuck"
