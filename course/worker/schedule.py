"""When a scheduled job is due, in the installation's local time.

A job is due once its time has passed in the current period and no run for that
period is recorded. A worker that was down at 07:00 therefore still sends the
day's digest when it comes back, and never sends it twice."""
from dataclasses import dataclass
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def parse_time(value: str) -> time:
    """"07:00" -> time(7, 0); a clear error for anything else."""
    try:
        hours, minutes = (int(part) for part in str(value).strip().split(":"))
        return time(hours, minutes)
    except ValueError as error:
        raise ValueError(f"Expected a time like 07:00, got {value!r}.") from error


def parse_weekday(value: str) -> int:
    name = str(value).strip().lower()
    if name not in WEEKDAYS:
        raise ValueError(f"Expected a weekday ({', '.join(WEEKDAYS)}), got {value!r}.")
    return WEEKDAYS.index(name)


@dataclass(frozen=True)
class Daily:
    at: time

    def period(self, local: datetime) -> str | None:
        """The period key when the job is due at `local`, else None."""
        return local.date().isoformat() if local.time() >= self.at else None


@dataclass(frozen=True)
class Weekly:
    weekday: int  # 0 = Monday
    at: time

    def period(self, local: datetime) -> str | None:
        if (local.weekday(), local.time()) < (self.weekday, self.at):
            return None
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Hourly:
    """Every hour, at `minute` past (e.g. the live-session reminders, issue 13)."""

    minute: int = 0

    def period(self, local: datetime) -> str | None:
        return local.strftime("%Y-%m-%dT%H") if local.minute >= self.minute else None


def local_now(timezone: str, now: datetime | None = None) -> datetime:
    """`now` is naive UTC (as utcnow() gives); the result is naive local time."""
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return now.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
