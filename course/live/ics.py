"""iCalendar (RFC 5545) for live sessions: the per-session download, the mail
attachment and the personal feed.

Every part of a session is one VEVENT whose UID is stable (session and part ids), so
a change or a cancellation of the same session updates the same events in the
person's calendar: SEQUENCE is the session's `ics_sequence`, raised on each change,
and a cancelled session's events carry STATUS:CANCELLED. Times are written in
Europe/Amsterdam with a VTIMEZONE (the EU summer-time rule since 1996).
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import current_app

from course.urls import external_url

if TYPE_CHECKING:  # icalendar is imported where a calendar is made: it costs each web worker
    import icalendar  # about 7 MB, and most workers never write one (issue 16)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TZID = "Europe/Amsterdam"
PRODID = "-//Leerlijn//Live sessions//NL"


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def local(naive_utc: datetime) -> datetime:
    return naive_utc.replace(tzinfo=UTC).astimezone(AMSTERDAM)


def wall_time_exists(day: date, moment: time) -> bool:
    """False for a time the clock skips in Europe/Amsterdam (02:00–02:59 on the last
    Sunday of March): converted to UTC and back it comes out an hour later."""
    there = datetime.combine(day, moment).replace(tzinfo=AMSTERDAM)
    back = there.astimezone(UTC).astimezone(AMSTERDAM)
    return (back.date(), back.time().replace(tzinfo=None)) == (day, moment)


def _vtimezone() -> icalendar.Timezone:
    import icalendar

    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    tz.add_component(_transition(icalendar.TimezoneDaylight(), "CEST", datetime(1981, 3, 29, 2, 0, 0), 1, 2))
    tz.add_component(_transition(icalendar.TimezoneStandard(), "CET", datetime(1996, 10, 27, 3, 0, 0), 2, 1))
    return tz


def _transition(part, name: str, start: datetime, before: int, after: int):
    """Summer or winter time: from `start`, yearly on the last Sunday of its month, the
    offset goes from UTC+`before` to UTC+`after`."""
    part.add("tzname", name)
    part.add("dtstart", start)
    part.add("tzoffsetfrom", _offset(before))
    part.add("tzoffsetto", _offset(after))
    part.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1su"})
    return part


def _offset(hours: int) -> timedelta:
    return timedelta(hours=hours)


def _host() -> str:
    return urlsplit(current_app.config["BASE_URL"]).hostname or "leerlijn"


def _uid(session, part) -> str:
    return f"sessie-{session.public_id}-{part.id}@{_host()}"


@dataclass(frozen=True)
class RemovedPart:
    """A part an edit took away: its event goes out once more, cancelled, so a calendar
    that imported the earlier invitation drops it (audit13)."""

    id: int
    starts_at: datetime  # naive UTC
    ends_at: datetime


def _event(session, part, index: int, total: int, *, with_link: bool, stamp: datetime,
           cancelled: bool = False) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", _uid(session, part))
    event.add("dtstamp", stamp)
    event.add("sequence", session.ics_sequence)
    event.add("dtstart", local(part.starts_at))
    event.add("dtend", local(part.ends_at))
    title = session.title if total == 1 else f"{session.title} ({index}/{total})"
    event.add("summary", title)
    location = session.place.strip()
    if with_link and session.online_url:
        location = f"{location} — {session.online_url}" if location else session.online_url
    if location:
        event.add("location", location)
    description = session.note.strip()
    link = external_url("live.detail", public_id=session.public_id)
    if with_link and session.online_url:
        description = f"{description}\n\n{session.online_url}".strip()
    event.add("description", f"{description}\n\n{link}".strip())
    event.add("url", link)
    event.add("status", "CANCELLED" if session.is_cancelled or cancelled else "CONFIRMED")
    event.add("last-modified", session.updated_at.replace(tzinfo=UTC))
    return event


def calendar_for(sessions: Iterable, *, with_link: bool | dict = False, name: str | None = None,
                 removed: Iterable[RemovedPart] = (), cancelled: bool = False) -> bytes:
    """One VCALENDAR with every part of every session. `with_link` is a bool for all,
    or a {session_id: bool} (the feed: the link only where the person has a place).
    `removed`: parts an edit of the (one) session took away, sent as cancelled events.
    `cancelled`: every event cancelled (the person cancelled their own place)."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
    cal.add_component(_vtimezone())
    stamp = datetime.now(UTC).replace(microsecond=0)
    for session in sessions:
        link = with_link.get(session.id, False) if isinstance(with_link, dict) else with_link
        parts = list(session.parts)
        for index, part in enumerate(parts, start=1):
            cal.add_component(_event(session, part, index, len(parts), with_link=link, stamp=stamp,
                                     cancelled=cancelled))
        for part in removed:
            cal.add_component(_event(session, part, 1, 1, with_link=False, stamp=stamp, cancelled=True))
    return cal.to_ical()
