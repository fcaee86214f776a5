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


@bp.app_template_filter("waited")
def _waited_filter(delta) -> str:
    """How long something waited, in words ("3 dagen")."""
    from flask_babel import format_timedelta

    return format_timedelta(delta, granularity="hour", threshold=1.5) if delta is not None else ""
