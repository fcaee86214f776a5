"""The trainer dashboard: review queue, rubric grading, progress overview, reports."""
from flask import Blueprint

bp = Blueprint("review", __name__)

from . import (  # noqa: E402,F401
    override_routes,
    routes,
    summary,  # noqa: E402,F401  (keeps the progress summary in step with the events)
)


def _register_nav_counter() -> None:
    from course.templating import NAV_COUNTERS

    from .queries.queue import waiting_count

    NAV_COUNTERS["review_waiting"] = waiting_count


_register_nav_counter()


@bp.app_template_filter("submission_status")
def _submission_status_filter(status) -> str:
    """`submission.status|submission_status`: the status in words, in the user's language."""
    from .queries.grades import status_label

    return status_label(status)


_WAITED: dict[tuple, str] = {}  # (locale, unit, number) -> the words, per process


@bp.app_template_filter("waited")
def _waited_filter(delta) -> str:
    """How long something waited, in words ("3 dagen"). Babel's words depend only on the
    unit and the rounded number it picks (the same choice below, for granularity "hour"
    and threshold 1.5): the queue asks this 25 times per page, Babel is asked once per
    locale, unit and number (issue 16)."""
    if delta is None:
        return ""
    from babel.dates import TIMEDELTA_UNITS
    from flask_babel import format_timedelta, get_locale

    seconds = abs(delta.total_seconds())
    key = None
    for unit, seconds_per_unit in TIMEDELTA_UNITS:
        value = seconds / seconds_per_unit
        if value >= 1.5 or unit == "hour":
            if unit == "hour" and value > 0:
                value = max(1, value)
            key = (str(get_locale()), unit, int(round(value)))
            break
    text = _WAITED.get(key)
    if text is None:
        text = format_timedelta(delta, granularity="hour", threshold=1.5)
        if len(_WAITED) < 10_000:
            _WAITED[key] = text
    return text
