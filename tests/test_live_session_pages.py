"""Live sessions (issue 13): what people see on the pages, the forms, and the lists'
query counts."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.live import services
from course.models import LiveSession, RegistrationStatus, SessionRegistration, SessionStatus, utcnow
from tests import factories
from tests.factories_sessions import make_live_session
from tests.querycount import count_queries


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn", title="Welzijn 2.0")


def test_the_course_page_lists_upcoming_public_sessions_with_free_places(client, course, organisation):
    make_live_session(course, title="Open ochtend", capacity=2)
    full = make_live_session(course, title="Volle middag", capacity=1)
    services.sign_up(factories.make_user(), full)
    make_live_session(course, title="Voorbij", parts=[(utcnow() - timedelta(days=3), utcnow() - timedelta(days=3)
                                                      + timedelta(hours=2))])
    make_live_session(course, title="Alleen voor het team", cohort=factories.make_cohort(organisation, course))
    page = client.get("/cursussen/welzijn").get_data(as_text=True)
    assert "Open ochtend" in page and "2 plaatsen vrij" in page
    for hidden in ("Volle middag", "Voorbij", "Alleen voor het team"):
        assert hidden not in page


def test_a_visitor_is_sent_to_log_in_and_comes_back_to_sign_up(client, course):
    session = make_live_session(course)
    page = client.get(f"/sessies/{session.public_id}").get_data(as_text=True)
    assert "Aanmelden" in page and "Stadhuisplein 1" in page
    response = client.get(f"/sessies/{session.public_id}/aanmelden")
    assert response.status_code == 302 and "/inloggen?next=" in response.location
    assert f"/sessies/{session.public_id}/aanmelden" in response.location
    user = factories.make_user()
    login = client.post(f"/inloggen?next=/sessies/{session.public_id}/aanmelden",
                        data={"email": user.email, "password": factories.PASSWORD})
    assert login.location.endswith(f"/sessies/{session.public_id}/aanmelden")
    confirm = client.get(login.location).get_data(as_text=True)
    assert "Aanmelding bevestigen" in confirm
    done = client.post(f"/sessies/{session.public_id}/aanmelden", follow_redirects=True).get_data(as_text=True)
    assert "Je bent aangemeld" in done


def test_registering_through_the_sign_up_returns_to_it(client, course, outbox):
    session = make_live_session(course)
    target = f"/sessies/{session.public_id}/aanmelden"
    client.post(f"/registreren?next={target}", data={"name": "Nieuwe Deelnemer", "email": "nieuw@example.org"})
    [mail] = [m for m in outbox() if m.kind == "register_confirm"]
    link = next(word for word in mail.body_text.split() if "/registreren/" in word)
    path = link.split("leerlijn.test", 1)[1]
    done = client.post(path, data={"password": "een lang en sterk wachtwoord 42",
                                   "password_confirm": "een lang en sterk wachtwoord 42",
                                   "confirm": "een lang en sterk wachtwoord 42"})
    assert done.status_code == 302 and done.location.endswith(target)


def test_the_online_link_is_shown_only_to_people_signed_up(login_as, course):
    session = make_live_session(course, online_url="https://meet.example.org/geheim-123")
    outsider, inside = factories.make_user(), factories.make_user()
    services.sign_up(inside, session)
    assert "geheim-123" not in login_as(outsider).get(f"/sessies/{session.public_id}").get_data(as_text=True)
    assert "geheim-123" not in login_as(outsider).get(f"/sessies/{session.public_id}/sessie.ics").get_data(
        as_text=True)
    assert "geheim-123" in login_as(inside).get(f"/sessies/{session.public_id}").get_data(as_text=True)
    assert "geheim-123" in login_as(inside).get(f"/sessies/{session.public_id}/sessie.ics").get_data(as_text=True)


def test_the_org_admin_sees_names_and_dates_of_an_in_company_session(login_as, course, organisation, org_admin):
    cohort = factories.make_cohort(organisation, course)
    session = make_live_session(course, cohort=cohort)
    member = factories.make_user(name="Teamlid Bram")
    factories.make_enrolment(member, course, cohort=cohort)
    services.sign_up(member, session)
    page = login_as(org_admin).get(f"/sessies/{session.public_id}").get_data(as_text=True)
    assert "Teamlid Bram" in page and "Aangemeld" in page
    assert "Bewerken" not in page
    listing = login_as(org_admin).get("/sessies").get_data(as_text=True)
    assert session.title in listing


def test_a_trainer_plans_edits_and_cancels_a_session_through_the_forms(login_as, course, trainer, outbox):
    factories.assign_course_trainer(course, trainer)
    client = login_as(trainer)
    form = client.get("/sessies/nieuw?cursus=welzijn").get_data(as_text=True)
    assert "Sessie plannen" in form
    day = (utcnow() + timedelta(days=30)).date()
    data = {"course": "welzijn", "cohort": "public", "title": "Werkochtend", "parts-0-day": day.isoformat(),
            "parts-0-starts": "09:30", "parts-0-ends": "12:30", "place": "Zaal 3", "capacity": "8",
            "deadline_day": (day - timedelta(days=2)).isoformat(), "deadline_time": "17:00",
            "trainers": [trainer.public_id]}
    response = client.post("/sessies/nieuw", data=data)
    assert response.status_code == 302
    session = db.session.scalar(sa.select(LiveSession).where(LiveSession.title == "Werkochtend"))
    assert session.parts[0].starts_at.strftime("%H:%M") in ("08:30", "07:30")  # 09:30 Amsterdam, in UTC
    page = client.get(response.location).get_data(as_text=True)
    assert "09:30" in page and "12:30" in page

    edit = client.get(f"/sessies/{session.public_id}/bewerken").get_data(as_text=True)
    assert 'value="09:30"' in edit
    data.update(title="Werkochtend (nieuw)", version=str(session.version))
    assert client.post(f"/sessies/{session.public_id}/bewerken", data=data).status_code == 302
    stale = client.post(f"/sessies/{session.public_id}/bewerken", data={**data, "title": "Te laat"})
    assert stale.status_code == 400 and "iemand anders" in stale.get_data(as_text=True).lower()

    services.sign_up(factories.make_user(), db.session.get(LiveSession, session.id))
    done = client.post(f"/sessies/{session.public_id}/annuleren", follow_redirects=True).get_data(as_text=True)
    assert "geannuleerd" in done
    db.session.expire_all()
    assert db.session.get(LiveSession, session.id).status == SessionStatus.CANCELLED
    assert [m.kind for m in outbox()][-1] == "session_cancelled"


@pytest.mark.parametrize("changes, message", [
    ({"parts-0-ends": "08:00"}, "Het einde moet na het begin liggen"),
    ({"place": ""}, "Geef een plaats, een onlinelink of allebei"),
    ({"capacity": "0"}, "Aantal plaatsen"),
    ({"capacity": "99999999999999999999"}, "Aantal plaatsen"),
    ({"online_url": "javascript:alert(1)"}, "https://"),
    ({"parts-0-day": "9999-01-01"}, "Kies een datum tussen"),
    ({"deadline_day": "2100-01-01"}, "De inschrijfdeadline moet vóór de start"),
    ({"parts-0-day": "", "parts-0-starts": "", "parts-0-ends": ""}, "Geef ten minste één deel"),
    ({"cohort": "nonexistent"}, "Voor"),
])
def test_bad_session_forms_answer_in_dutch_without_a_500(login_as, course, platform_admin, changes, message):
    client = login_as(platform_admin)
    day = (utcnow() + timedelta(days=30)).date()
    data = {"course": "welzijn", "cohort": "public", "title": "Werkochtend", "parts-0-day": day.isoformat(),
            "parts-0-starts": "09:30", "parts-0-ends": "12:30", "place": "Zaal 3", "capacity": "8",
            "deadline_day": (day - timedelta(days=2)).isoformat(), "deadline_time": "17:00"}
    data.update(changes)
    response = client.post("/sessies/nieuw", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_cancelling_my_registration_and_my_sessions_page(login_as, course):
    session = make_live_session(course, capacity=1)
    me, other = factories.make_user(), factories.make_user()
    services.sign_up(me, session)
    services.sign_up(other, session)
    client = login_as(me)
    assert session.title in client.get("/mijn-leren").get_data(as_text=True)
    assert session.title in client.get("/mijn-sessies").get_data(as_text=True)
    page = client.post(f"/sessies/{session.public_id}/afmelden", follow_redirects=True).get_data(as_text=True)
    assert "Je hebt je afgemeld" in page
    assert db.session.scalar(sa.select(SessionRegistration.status).where(
        SessionRegistration.user_id == other.id)) == RegistrationStatus.REGISTERED


def test_the_feed_link_is_shown_once_and_works_until_revoked(login_as, client, course):
    session = make_live_session(course)
    me = factories.make_user()
    services.sign_up(me, session)
    mine = login_as(me)
    page = mine.post("/mijn-sessies/agenda").get_data(as_text=True)
    url = page.split('id="feed-url"', 1)[1].split('value="', 1)[1].split('"', 1)[0]
    path = url.split("leerlijn.test", 1)[1]
    feed = client.get(path)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert session.public_id in feed.get_data(as_text=True)
    mine.post("/mijn-sessies/agenda/intrekken")
    assert client.get(path).status_code == 404
    assert client.get("/agenda/" + "x" * 500 + ".ics").status_code == 404


def test_list_pages_use_a_fixed_number_of_queries(login_as, course, platform_admin):
    def build(n):
        for _ in range(n):
            session = make_live_session(course)
            services.sign_up(factories.make_user(), session)

    client = login_as(platform_admin)
    build(2)
    with count_queries() as few:
        assert client.get("/sessies").status_code == 200
    with count_queries() as few_course:
        client.get("/cursussen/welzijn")
    build(5)
    with count_queries() as many:
        assert client.get("/sessies").status_code == 200
    with count_queries() as many_course:
        client.get("/cursussen/welzijn")
    assert many.count == few.count and many_course.count == few_course.count
