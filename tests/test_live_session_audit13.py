"""Live sessions (issue 13), the audit's findings: bad dates and times in the session
form and in the in-company conversion get a Dutch message and save nothing, never a 500."""
import re
from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa

from course.admin import services as admin
from course.attendance.incompany import SessionPlan, SessionPlanError, utc_naive
from course.extensions import db
from course.live.ics import local
from course.models import InCompanyRequest, LiveSession, Organisation, utcnow
from tests import factories
from tests.factories_sessions import make_live_session


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn", title="Welzijn 2.0")


def _form(**changes):
    data = {"course": "welzijn", "cohort": "public", "title": "Werkochtend", "parts-0-day": "2027-03-25",
            "parts-0-starts": "09:30", "parts-0-ends": "12:30", "place": "Zaal 3", "capacity": "8",
            "deadline_day": "2027-03-20", "deadline_time": "17:00"}
    data.update(changes)
    return data


@pytest.mark.parametrize("changes, message", [
    # 28 March 2027 is the last Sunday of March: the clock skips from 02:00 to 03:00.
    ({"parts-0-day": "2027-03-28", "parts-0-starts": "02:30", "parts-0-ends": "03:15"},
     "Deze tijd bestaat niet op deze dag"),
    ({"deadline_day": "2027-03-28", "deadline_time": "02:30", "parts-0-day": "2027-03-28",
      "parts-0-starts": "09:00", "parts-0-ends": "11:00"}, "Deze tijd bestaat niet op deze dag"),
    ({"parts-0-day": "2027-02-31"}, "Ongeldige datum."),
    ({"parts-0-starts": "25:00"}, "Ongeldige waarde."),
    ({"parts-0-day": "2001-01-01", "deadline_day": "2000-12-30"}, "Een nieuwe sessie begint in de toekomst"),
    ({"capacity": "abc"}, "Vul een getal van 1 tot en met 10.000 in."),
    ({"capacity": "-5"}, "Vul een getal van 1 tot en met 10.000 in."),
])
def test_bad_dates_and_times_are_a_dutch_message_and_save_nothing(login_as, course, platform_admin, changes,
                                                                   message):
    response = login_as(platform_admin).post("/sessies/nieuw", data=_form(**changes))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body
    assert "Not a valid" not in body
    assert 'value="Werkochtend"' in body, "what was typed stays"
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_the_autumn_change_keeps_the_first_hour_and_an_old_session_can_still_be_edited(
        login_as, course, platform_admin):
    client = login_as(platform_admin)
    response = client.post("/sessies/nieuw", data=_form(**{
        "parts-0-day": "2027-10-31", "parts-0-starts": "01:30", "parts-0-ends": "03:30", "deadline_day": "2027-10-20"}))
    assert response.status_code == 302
    part = db.session.scalar(sa.select(LiveSession)).parts[0]
    # 01:30 summer time (UTC+2) until 03:30 winter time (UTC+1): three hours.
    assert (part.starts_at.hour, part.starts_at.minute, part.ends_at - part.starts_at) == (23, 30, timedelta(hours=3))
    # Yesterday 09:00–11:00 in Amsterdam: a fixed time of day, so the part never crosses
    # midnight, whenever the test runs (a part is one day with two times in the form).
    yesterday = local(utcnow()).date() - timedelta(days=1)
    past = make_live_session(course, title="Gisteren", parts=[(utc_naive(yesterday, time(9, 0)),
                                                              utc_naive(yesterday, time(11, 0)))])
    page = client.get(f"/sessies/{past.public_id}/bewerken")
    assert page.status_code == 200
    form = dict(re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page.get_data(as_text=True)))
    form.update({"title": "Gisteren (zaal 2)", "place": "Zaal 2", "cohort": "public", "course": "welzijn"})
    assert client.post(f"/sessies/{past.public_id}/bewerken", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(LiveSession, past.id).title == "Gisteren (zaal 2)"


def _request(course):
    request = InCompanyRequest(course_id=course.id, organisation_name="Stichting Buurtkracht", contact_name="Fenna",
                               email="fenna@buurtkracht.nl", team_size=12, preferred_dates=["2027-03-28"])
    db.session.add(request)
    db.session.commit()
    return request


@pytest.mark.parametrize("day, starts, ends, message", [
    (date(2027, 3, 28), time(2, 30), time(3, 15), "de klok van 02:00 naar 03:00"),
    (date(2001, 1, 1), time(9), time(12), "moeten in de toekomst liggen"),
    (date.today() - timedelta(days=1), time(9), time(12), "moeten in de toekomst liggen"),
])
def test_a_conversion_with_an_impossible_date_makes_nothing(login_as, platform_admin, course, day, starts, ends,
                                                             message):
    request = _request(course)
    with pytest.raises(SessionPlanError):
        admin.convert_request(request, 12, None, platform_admin, plan=SessionPlan("Groep", (day,), starts, ends))
    db.session.rollback()
    response = login_as(platform_admin).post(f"/beheer/aanvragen/{request.public_id}", data={
        "organisation_name": "Stichting Buurtkracht", "seats": "12", "create_sessions": "y",
        "session_date_1": day.isoformat(), "session_starts": starts.strftime("%H:%M"),
        "session_ends": ends.strftime("%H:%M")})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(LiveSession.id))) == 0


def test_the_demo_names_no_month_its_dates_may_contradict_and_renames_an_older_seed(app):
    from course.demo import sessions as demo_sessions

    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    months = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december")
    titles = db.session.scalars(sa.select(LiveSession.title)).all()
    assert len(titles) == 5 and not [t for t in titles if any(m in t.lower() for m in months)]
    # A database seeded under the old title keeps its one past session, renamed.
    past = db.session.scalar(sa.select(LiveSession).where(LiveSession.title == demo_sessions.PAST_OPEN))
    past.title = demo_sessions.LEGACY_TITLE
    db.session.commit()
    assert runner.invoke(args=["demo", "seed"]).exit_code == 0
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(LiveSession.title)).all()) == sorted(titles)


def test_the_org_admin_sees_who_attended_a_past_session_and_no_attendance_link_he_cannot_use(
        login_as, course, organisation, org_admin):
    from course.models import Attendance
    from tests.factories_attendance import make_session, register

    cohort = factories.make_cohort(organisation, course)
    session = make_session(course, cohort=cohort, hours=(3,))
    for name, attendance, minutes in (("Anne Aanwezig", Attendance.PRESENT, 180),
                                      ("Bram Deels", Attendance.PARTIAL, 90), ("Iris Afwezig", Attendance.ABSENT, 0)):
        member = factories.make_user(name=name)
        factories.make_enrolment(member, course, cohort=cohort)
        register(member, session, attendance=attendance, minutes=minutes)
    client = login_as(org_admin)
    page = client.get(f"/sessies/{session.public_id}").get_data(as_text=True)
    table = page[page.index('id="people-title"'):]
    for row in ("Anne Aanwezig", "Bram Deels", "Iris Afwezig"):
        assert row in table
    assert "<th scope=\"col\">Aanwezigheid</th>" in table
    assert "Afwezig</td>" in table and "1,5 uur" in table
    listing = client.get("/sessies").get_data(as_text=True)
    assert "/aanwezigheid" not in listing, "the attendance pages are the trainers' (403 for an org admin)"
    assert client.get("/aanwezigheid").status_code == 403
    upcoming = make_live_session(course, cohort=cohort)
    assert "<th scope=\"col\">Aanwezigheid</th>" not in client.get(f"/sessies/{upcoming.public_id}").get_data(
        as_text=True), "no attendance column before the session"


def test_a_part_taken_away_goes_out_cancelled_under_its_own_uid(app, course, platform_admin, outbox):
    import icalendar

    from course.live import services
    from course.live.services import PartData, SessionData
    from course.mail.sender import build_message

    start = (utcnow() + timedelta(days=10)).replace(microsecond=0, second=0)
    session = make_live_session(course, parts=[(start, start + timedelta(hours=3)),
                                               (start + timedelta(days=1), start + timedelta(days=1, hours=3))])
    services.sign_up(factories.make_user(), session)
    [confirmation] = outbox()
    [attachment] = build_message(confirmation).iter_attachments()
    before = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
              .walk("VEVENT")}
    assert len(before) == 2
    services.update_session(platform_admin, session, SessionData(
        title=session.title, parts=(PartData(start, start + timedelta(hours=3)),), place=session.place,
        online_url="", capacity=session.capacity, registration_deadline=session.registration_deadline,
        note=session.note), session.version)
    [changed] = [m for m in outbox() if m.kind == "session_changed"]
    [attachment] = build_message(changed).iter_attachments()
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
             .walk("VEVENT")}
    assert after.keys() == before.keys(), "the same two events: the calendar updates both"
    removed = [e for e in after.values() if str(e["STATUS"]) == "CANCELLED"]
    kept = [e for e in after.values() if str(e["STATUS"]) == "CONFIRMED"]
    assert len(removed) == 1 and len(kept) == 1
    assert all(int(e["SEQUENCE"]) == 1 for e in after.values())
    assert str(kept[0]["SUMMARY"]) == session.title
    assert removed[0].decoded("DTSTART") - kept[0].decoded("DTSTART") == timedelta(days=1)


def test_cancelling_my_place_mails_me_the_invitation_cancelled_and_leaving_the_queue_does_not(
        app, course, outbox):
    import icalendar

    from course.live import services
    from course.mail.sender import build_message

    session = make_live_session(course, capacity=1)
    me, waiting = factories.make_user(), factories.make_user()
    services.sign_up(me, session)
    services.sign_up(waiting, session)
    uid = str(icalendar.Calendar.from_ical(
        next(build_message(outbox()[0]).iter_attachments()).get_payload(decode=True)).walk("VEVENT")[0]["UID"])
    services.cancel_registration(me, session)
    kinds = [(m.to_address, m.kind) for m in outbox()[2:]]
    assert kinds == [(me.email, "session_left"), (waiting.email, "session_promoted")]
    left = outbox()[2]
    assert left.subject.startswith("Je bent afgemeld") and "uit je agenda" in left.body_text
    [event] = icalendar.Calendar.from_ical(next(build_message(left).iter_attachments())
                                           .get_payload(decode=True)).walk("VEVENT")
    assert (str(event["UID"]), str(event["STATUS"])) == (uid, "CANCELLED")
    third = factories.make_user()
    services.sign_up(third, session)  # the waiting list
    before = len(outbox())
    services.cancel_registration(third, session)
    assert len(outbox()) == before, "leaving the waiting list sends nothing: there was no invitation"


def test_duplicating_a_past_session_gives_one_still_to_come(login_as, course, platform_admin):
    from course.live import services

    old_start = (utcnow() - timedelta(days=30)).replace(microsecond=0)
    past = make_live_session(course, title="Vorige ronde", parts=[(old_start, old_start + timedelta(hours=3))])
    response = login_as(platform_admin).post(f"/sessies/{past.public_id}/dupliceren", follow_redirects=True)
    assert response.status_code == 200
    assert "5 weken later" in response.get_data(as_text=True)
    copy = db.session.scalar(sa.select(LiveSession).where(LiveSession.id != past.id))
    assert copy.starts_at - past.starts_at == timedelta(weeks=5)
    assert services.sign_up_open(copy), "the copy takes sign-ups"
    soon = make_live_session(course, title="Binnenkort")
    assert services.duplicate_session(platform_admin, soon).starts_at - soon.starts_at == timedelta(weeks=1)


def test_the_trainer_takes_someone_off_the_list_after_the_deadline_and_the_next_gets_the_place(
        login_as, course, trainer, outbox):
    from course.live import services
    from course.models import RegistrationStatus, SessionRegistration

    factories.assign_course_trainer(course, trainer)
    session = make_live_session(course, capacity=1, trainers=[trainer])
    other = make_live_session(course, title="Andere sessie")
    first, second = factories.make_user(name="Eerste Persoon"), factories.make_user(name="Tweede Persoon")
    services.sign_up(first, session)
    services.sign_up(second, session)
    stranger = services.sign_up(factories.make_user(), other)
    session.registration_deadline = utcnow() - timedelta(minutes=1)  # the person may no longer cancel
    db.session.commit()
    client = login_as(trainer)
    page = client.get(f"/sessies/{session.public_id}").get_data(as_text=True)
    assert "Van de lijst halen" in page
    registration = db.session.scalar(sa.select(SessionRegistration).where(SessionRegistration.user_id == first.id))
    # Another session's registration: a message, nothing changes.
    response = client.post(f"/sessies/{session.public_id}/deelnemers/{stranger.public_id}/afmelden",
                           follow_redirects=True)
    assert "niet (meer) aangemeld" in response.get_data(as_text=True)
    response = client.post(f"/sessies/{session.public_id}/deelnemers/{registration.public_id}/afmelden",
                           follow_redirects=True)
    assert "Eerste Persoon staat niet meer op de lijst" in response.get_data(as_text=True)
    db.session.expire_all()
    statuses = dict(db.session.execute(sa.select(SessionRegistration.user_id, SessionRegistration.status)
                                       .where(SessionRegistration.session_id == session.id)).all())
    assert statuses == {first.id: RegistrationStatus.CANCELLED, second.id: RegistrationStatus.REGISTERED}
    assert db.session.get(SessionRegistration, stranger.id).status == RegistrationStatus.REGISTERED
    kinds = [(m.to_address, m.kind) for m in outbox()][-2:]
    assert kinds == [(first.email, "session_removed"), (second.email, "session_promoted")]
    assert "trainer heeft je van de lijst" in outbox()[-2].body_text
    # Once the session has started, attendance tells who came: nobody is taken off.
    session = db.session.get(LiveSession, session.id)
    session.parts[0].starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert "Van de lijst halen" not in client.get(f"/sessies/{session.public_id}").get_data(as_text=True)
    second_registration = db.session.scalar(sa.select(SessionRegistration).where(
        SessionRegistration.user_id == second.id))
    response = client.post(f"/sessies/{session.public_id}/deelnemers/{second_registration.public_id}/afmelden",
                           follow_redirects=True)
    assert "vul in plaats daarvan de aanwezigheid in" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SessionRegistration, second_registration.id).status == RegistrationStatus.REGISTERED
