"""One way to write a date on screen, in the reader's language and time zone:
"1 dec 2026" and "1 dec 2026, 09:01". Documents (certificates, workbooks) may spell
the month out; screens, lists and messages use these."""
from datetime import UTC, datetime

from flask import g, has_request_context
from flask_babel import format_date, format_time, get_locale, get_timezone


def display_date(moment, _style=None) -> str:
    """`_style` is accepted and ignored: screens have one date format. A list of 500
    learners has a few dozen distinct days, so each day is formatted once per request;
    a datetime is first moved to the reader's time zone, as Flask-Babel does."""
    if not moment:
        return ""
    if not has_request_context():
        return format_date(moment, "medium")
    if isinstance(moment, datetime):
        zone = g.get("_date_zone")
        if zone is None:
            zone = g._date_zone = get_timezone()
        # naive datetimes are UTC (models/base.py), as Flask-Babel's to_user_timezone
        moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(zone).date()
    labels = g.setdefault("_date_labels", {})
    key = (moment, str(get_locale()))
    if key not in labels:
        labels[key] = format_date(moment, "medium")
    return labels[key]


def display_datetime(moment, _style=None) -> str:
    if not moment:
        return ""
    return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"
