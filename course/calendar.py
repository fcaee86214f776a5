"""Working days: feedback target dates count Monday to Friday."""
from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (weekends skipped)."""
    current = start
    remaining = max(days, 0)
    while remaining:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
