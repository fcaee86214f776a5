"""In-company with live sessions (issue 13): the request form asks for preferred dates
and the group size; converting the request can create the group and its sessions in
one go, at the right Amsterdam times on both sides of the DST change."""
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from course.admin import services as admin
from course.attendance.incompany import SessionPlan, SessionPlanError
from course.extensions import db
from course.models import AuditEvent, Cohort, CourseTrainer, InCompanyRequest, LiveSession, Organisation
from tests import factories


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn-2-0", title="Welzijn 2.0")


def future(days):
    return date.today() + timedelta(days=days)


FORM = {"organisation": "Stichting Buurtkracht", "contact_name": "Fenna Fokkema", "email": "fenna@buurtkracht.nl",
        "team_size": "12", "wishes": ""}


def test_the_request_form_asks_for_preferred_dates_and_group_size(client, course):
    html = client.get("/cursussen/welzijn-2-0/in-company").get_data(as_text=True)
    assert "Voorkeursdata voor de live workshop" in html and 'type="date"' in html
    assert "Aantal deelnemers" in html
    response = client.post("/cursussen/welzijn-2-0/in-company", data={
        **FORM, "date_1": future(40).isoformat(), "date_3": future(20).isoformat()})
    assert response.status_code == 302
    request = db.session.scalar(sa.select(InCompanyRequest))
    assert request.preferred_dates == [future(20).isoformat(), future(40).isoformat()]
    assert request.team_size == 12


@pytest.mark.parametrize("value, message", [
    ("2000-01-01", "Kies een datum na vandaag en binnen twee jaar."),
    ("9999-12-31", "Kies een datum na vandaag en binnen twee jaar."),
    ("gisteren", "Ongeldige datum."),
])
def test_a_preferred_date_in_the_past_or_far_away_is_a_dutch_message(client, course, value, message):
    response = client.post("/cursussen/welzijn-2-0/in-company", data={**FORM, "date_1": value})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(InCompanyRequest.id))) == 0
    assert message in response.get_data(as_text=True)
    assert 'value="Stichting Buurtkracht"' in response.get_data(as_text=True)  # nothing lost


def make_request(course, dates=("2027-03-25", "2027-04-01")) -> InCompanyRequest:
    request = InCompanyRequest(course_id=course.id, organisation_name="Stichting Buurtkracht",
                               contact_name="Fenna", email="fenna@buurtkracht.nl", team_size=12,
                               preferred_dates=list(dates))
    db.session.add(request)
    db.session.commit()
    return request


def test_the_admin_sees_the_dates_and_converts_with_the_group_and_sessions(login_as, platform_admin, course):
    workshop_trainer = factories.make_user(role="trainer", email="workshop@example.org")
    db.session.add(CourseTrainer(course_id=course.id, user_id=workshop_trainer.id))
    db.session.commit()
    request = make_request(course)
    client = login_as(platform_admin)
    html = client.get(f"/beheer/aanvragen/{request.public_id}").get_data(as_text=True)
    assert "25 mrt 2027" in html and 'value="2027-03-25"' in html and 'value="2027-04-01"' in html
    response = client.post(f"/beheer/aanvragen/{request.public_id}", data={
        "organisation_name": "Stichting Buurtkracht", "seats": "12", "create_sessions": "y",
        "cohort_name": "Team Buurtkracht", "session_date_1": "2027-03-25", "session_date_2": "2027-04-01",
        "session_starts": "09:00", "session_ends": "12:30", "session_place": "Buurthuis, Utrecht"},
        follow_redirects=True)
    assert "De groep en 2 live sessies zijn aangemaakt." in response.get_data(as_text=True)
    cohort = db.session.scalar(sa.select(Cohort).where(Cohort.name == "Team Buurtkracht"))
    sessions = db.session.scalars(sa.select(LiveSession).where(LiveSession.cohort_id == cohort.id)
                                  .order_by(LiveSession.id)).all()
    # 25 March 2027 is winter time (UTC+1), 1 April summer time (UTC+2): 09:00 local either way.
    assert [(s.parts[0].starts_at.hour, s.parts[0].ends_at.hour, s.parts[0].ends_at.minute) for s in sessions] == [
        (8, 11, 30), (7, 10, 30)]
    assert all(s.capacity == 12 and s.place == "Buurthuis, Utrecht" and s.course_id == course.id for s in sessions)
    assert cohort.starts_on == date(2027, 3, 25)
    # The course's trainer gives the sessions, so can take their attendance.
    assert all([t.id for t in s.trainers] == [workshop_trainer.id] for s in sessions)
    assert login_as(workshop_trainer).get(f"/sessies/{sessions[0].public_id}/aanwezigheid").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))
                             .where(AuditEvent.action == "session.created")) == 2


def test_without_the_choice_no_group_or_session_is_made(course, platform_admin):
    request = make_request(course)
    admin.convert_request(request, 12, None, platform_admin)
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(Cohort.id))) == 0


def test_a_bad_plan_makes_nothing_at_all(course, platform_admin):
    request = make_request(course)
    plan = SessionPlan("Groep", (), time(9), time(12))
    with pytest.raises(SessionPlanError):
        admin.convert_request(request, 12, None, platform_admin, plan=plan)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0


@pytest.mark.parametrize("fields, message", [
    ({"session_starts": "12:00", "session_ends": "09:00"}, "De eindtijd moet na de begintijd liggen."),
    ({"session_date_1": "", "session_date_2": ""}, "Geef minstens één datum voor de sessies."),
])
def test_the_conversion_form_explains_what_is_missing(login_as, platform_admin, course, fields, message):
    request = make_request(course)
    data = {"organisation_name": "Stichting Buurtkracht", "seats": "12", "create_sessions": "y",
            "session_date_1": "2027-03-25", "session_starts": "09:00", "session_ends": "12:30", **fields}
    response = login_as(platform_admin).post(f"/beheer/aanvragen/{request.public_id}", data=data)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0
