"""One way to write a date on screen, in the reader's language and time zone:
"1 dec 2026" and "1 dec 2026, 09:01". Documents (certificates, workbooks) may spell
the month out; screens, lists and messages use these."""
from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import g, has_request_context
from flask_babel import format_date, format_time, get_locale, get_timezone, to_user_timezone
from markupsafe import Markup, escape


def request_locale():
    """Flask-Babel's `get_locale()`, read straight from where Flask-Babel keeps it for the
    request when it is there (a list page asks thousands of times; `refresh()` removes
    it, and then `get_locale()` chooses again)."""
    babel = g.get("_flask_babel")
    locale = getattr(babel, "babel_locale", None)
    return locale if locale is not None else get_locale()


def _date_state() -> tuple:
    """(locale, time zone, {day: label}, {UTC quarter hour: local day}) of this request,
    made again when the language changes. The labels are the process's for that
    language: a day reads the same on every request (Babel's data and the date format
    do not change), so every page's dates are formatted once per process (issue 16)."""
    locale = request_locale()
    state = g.get("_date_state")
    if state is None or state[0] is not locale:  # a new request, or the language changed
        labels = _DAY_LABELS.setdefault(str(locale), {})
        if len(labels) > 10_000:  # about 27 years of days: never grows without bound
            labels.clear()
        state = g._date_state = (locale, get_timezone(), labels, {})
    return state


_DAY_LABELS: dict[str, dict[date, str]] = {}


def to_reader_zone(moment: datetime) -> datetime:
    """Flask-Babel's `to_user_timezone` (a naive datetime is UTC), with the zone looked up
    once per request: a CSV of 500 learners asks 1,500 times (issue 16)."""
    if not has_request_context():
        return to_user_timezone(moment)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(_date_state()[1])


def local_day(moment: datetime) -> date:
    """The reader's day of `moment` (naive datetimes are UTC, models/base.py). Every time
    zone's offset is a whole number of quarter hours, so all moments in one UTC quarter
    hour fall on the same local day: one conversion per quarter hour, not per row."""
    if not has_request_context():
        return to_user_timezone(moment).date()
    return _local_day(_date_state(), moment)


def _local_day(state: tuple, moment: datetime) -> date:
    if moment.tzinfo is not None:
        return moment.astimezone(state[1]).date()
    days = state[3]
    quarter = (moment.toordinal(), moment.hour, moment.minute // 15)
    day = days.get(quarter)
    if day is None:
        day = days[quarter] = moment.replace(tzinfo=UTC).astimezone(state[1]).date()
    return day


def _label(state: tuple, moment) -> str:
    if isinstance(moment, datetime):
        moment = _local_day(state, moment)
    labels = state[2]
    label = labels.get(moment)
    if label is None:
        label = labels[moment] = format_date(moment, "medium")
    return label


def display_date(moment, _style=None) -> str:
    """`_style` is accepted and ignored: screens have one date format. A list of 500
    learners has a few dozen distinct days, so each day is formatted once per request;
    a datetime is first moved to the reader's time zone, as Flask-Babel does."""
    if not moment:
        return ""
    if not has_request_context():
        return format_date(moment, "medium")
    return _label(_date_state(), moment)


def date_labels() -> Callable[[date | datetime | None], Markup]:
    """`display_date`, HTML-escaped, bound to this request's language and time zone: the
    list pages write two or three dates in each of hundreds of rows, and looking the
    request up again for each was a tenth of their cost (issue 16)."""
    if not has_request_context():
        return lambda moment: escape(display_date(moment))
    state, escaped = _date_state(), {}

    def label(moment) -> Markup:
        if not moment:
            return Markup()
        text = escaped.get(moment)
        if text is None:
            text = escaped[moment] = escape(_label(state, moment))
        return text

    return label


def csv_days() -> Callable[[date | datetime | None], str]:
    """A day for a CSV (2026-12-01), in the reader's time zone, bound to this request."""
    if not has_request_context():
        return lambda moment: moment.strftime("%Y-%m-%d") if moment else ""
    state = _date_state()

    def day(moment) -> str:
        if not moment:
            return ""
        return (_local_day(state, moment) if isinstance(moment, datetime) else moment).isoformat()

    return day


def display_datetime(moment, _style=None) -> str:
    """As display_date, with the time; the same moment in the same language and zone
    is formatted once per process (a page shows the same few moments on every visit)."""
    if not moment:
        return ""
    if not has_request_context():
        return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"
    locale, zone = _date_state()[:2]
    key = (str(locale), str(zone), moment)
    label = _MOMENT_LABELS.get(key)
    if label is None:
        if len(_MOMENT_LABELS) > 10_000:  # never grows without bound
            _MOMENT_LABELS.clear()
        label = _MOMENT_LABELS[key] = f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"
    return label


_MOMENT_LABELS: dict[tuple, str] = {}
