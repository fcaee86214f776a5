"""Live sessions (issue 13): the .ics download, the mail attachment and the feed are
valid iCalendar, read back by the `icalendar` parser, with the right times across the
DST change, a stable UID and a SEQUENCE that rises on a change and a cancellation."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from course.extensions import db
from course.live import feeds, services
from course.live.services import PartData, SessionData
from course.mail.sender import build_message
from course.models import LiveSession
from tests import factories
from tests.factories_sessions import at, make_live_session

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def course(app):
    return factories.make_course(slug="welzijn")


@pytest.fixture
def dst_session(course):
    """Two mornings around the end of summer time (25 October 2026): 09:00–12:00
    Amsterdam on Saturday 24 (CEST, UTC+2) and Monday 26 (CET, UTC+1)."""
    return make_live_session(course, parts=[(at("2026-10-24 07:00"), at("2026-10-24 10:00")),
                                            (at("2026-10-26 08:00"), at("2026-10-26 11:00"))],
                             deadline=at("2026-10-20 12:00"), online_url="https://meet.example.org/ochtend")


def _events(body: bytes) -> tuple[icalendar.Calendar, list]:
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_the_download_has_a_vtimezone_and_local_times_right_across_the_dst_change(client, dst_session):
    response = client.get(f"/sessies/{dst_session.public_id}/sessie.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    body = response.get_data()
    assert b"\r\n" in body, "RFC 5545 lines end in CRLF"
    calendar, events = _events(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [tz] = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Amsterdam"
    assert {c.name for c in tz.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert len(events) == 2
    first, second = sorted(events, key=lambda e: e.decoded("DTSTART"))
    assert first["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    for event, day in ((first, 24), (second, 26)):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.day, start.hour, start.minute, end.hour) == (day, 9, 0, 12)
        assert "DTSTAMP" in event and event["UID"] and int(event["SEQUENCE"]) == 0
    # The same wall-clock time is another UTC time on either side of the change.
    assert first.decoded("DTSTART").utcoffset() == timedelta(hours=2)
    assert second.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert "TZID:Europe/Amsterdam" in body.decode() and "DTSTART;TZID=Europe/Amsterdam:20261024T090000" \
        in body.decode()
    # The calendar's own VTIMEZONE gives the same offsets as the tz database.
    assert first.decoded("DTSTART").astimezone(AMS).utcoffset() == timedelta(hours=2)
    # A visitor gets no meeting link.
    assert "meet.example.org" not in body.decode()


def test_the_vtimezone_rules_give_the_right_offsets(client, dst_session):
    """Read the VTIMEZONE with the parser's own conversion (not the tz database)."""
    body = client.get(f"/sessies/{dst_session.public_id}/sessie.ics").get_data()
    [tz] = icalendar.Calendar.from_ical(body).walk("VTIMEZONE")
    zone = tz.to_tz()
    assert datetime(2026, 10, 24, 9, 0, tzinfo=zone).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 26, 9, 0, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 3, 27, 9, 0, tzinfo=zone).utcoffset() == timedelta(hours=1)
    assert datetime(2027, 3, 29, 9, 0, tzinfo=zone).utcoffset() == timedelta(hours=2)


def test_a_change_and_a_cancellation_keep_the_uid_with_a_higher_sequence(client, course, platform_admin):
    session = make_live_session(course, capacity=4)
    _, before = _events(client.get(f"/sessies/{session.public_id}/sessie.ics").get_data())
    part = session.parts[0]
    data = SessionData(title="Nieuwe tijd", parts=(PartData(part.starts_at + timedelta(hours=1),
                                                            part.ends_at + timedelta(hours=1)),),
                       place=session.place, online_url="", capacity=4,
                       registration_deadline=session.registration_deadline, note="")
    services.update_session(platform_admin, session, data, session.version)
    _, changed = _events(client.get(f"/sessies/{session.public_id}/sessie.ics").get_data())
    services.cancel_session(platform_admin, db.session.get(LiveSession, session.id))
    _, cancelled = _events(client.get(f"/sessies/{session.public_id}/sessie.ics").get_data())
    assert before[0]["UID"] == changed[0]["UID"] == cancelled[0]["UID"]
    assert [int(e[0]["SEQUENCE"]) for e in (before, changed, cancelled)] == [0, 1, 2]
    assert changed[0].decoded("DTSTART") - before[0].decoded("DTSTART") == timedelta(hours=1)
    assert str(changed[0]["SUMMARY"]) == "Nieuwe tijd"
    assert (str(before[0]["STATUS"]), str(cancelled[0]["STATUS"])) == ("CONFIRMED", "CANCELLED")


def test_the_confirmation_mail_carries_a_parsable_invitation_with_the_link(app, dst_session, outbox, monkeypatch):
    from course.live import services as live_services

    monkeypatch.setattr(live_services, "utcnow", lambda: at("2026-10-01 10:00"))
    user = factories.make_user()
    live_services.sign_up(user, dst_session)
    [mail] = outbox()
    [attachment] = build_message(mail).iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    _, events = _events(attachment.get_payload(decode=True))
    assert len(events) == 2 and all("meet.example.org/ochtend" in str(e["DESCRIPTION"]) for e in events)


def test_the_feed_lists_my_sessions_only_and_parses(client, login_as, course):
    mine = make_live_session(course, title="Mijn ochtend")
    other = make_live_session(course, title="Andermans middag")
    me, someone = factories.make_user(), factories.make_user()
    services.sign_up(me, mine)
    services.sign_up(someone, other)
    token = feeds.new_feed(me)
    response = client.get(f"/agenda/{token}.ics")
    calendar, events = _events(response.get_data())
    assert [str(e["SUMMARY"]) for e in events] == ["Mijn ochtend"]
    assert calendar.walk("VTIMEZONE")
    assert response.headers["Cache-Control"] == "private, no-store"
