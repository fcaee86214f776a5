"""Feedback target dates: a number of working days (Monday to Friday) after submitting."""
from datetime import date, datetime

from course.calendar import add_working_days  # noqa: F401  (re-exported for the review area)


def feedback_due(submitted_at: datetime | None, feedback_days: int, stored: date | None = None) -> date | None:
    """The target date: the one stored at submit time, else computed from the submit time."""
    if stored is not None:
        return stored
    if submitted_at is None:
        return None
    return add_working_days(submitted_at.date(), feedback_days)


def is_overdue(due_on: date | None, today: date) -> bool:
    return due_on is not None and due_on < today
