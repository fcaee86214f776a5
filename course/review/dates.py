"""Feedback target dates: a number of working days (Monday to Friday) after submitting."""
from datetime import date, datetime, timedelta


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends skipped)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def feedback_due(submitted_at: datetime | None, feedback_days: int, stored: date | None = None) -> date | None:
    """The target date: the one stored at submit time, else computed from the submit time."""
    if stored is not None:
        return stored
    if submitted_at is None:
        return None
    return add_working_days(submitted_at.date(), feedback_days)


def is_overdue(due_on: date | None, today: date) -> bool:
    return due_on is not None and due_on < today
