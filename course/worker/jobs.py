"""The worker's job registry: what runs when. One entry per scheduled job.

To add a job (the nightly purge, another issue's follow-up mail), add one `Job` to
JOBS: a unique name, when it runs, and the "module:function" it calls. The function
takes no arguments, runs in an app context, owns its transaction(s) and must be
idempotent (a run that fails part-way is retried in the same period). The worker
guarantees one run per period across all workers, see course/worker/runs.py.

    Job("followup_mail", weekly("FOLLOWUP_WEEKDAY", "FOLLOWUP_TIME"), "course.followup:send_due"),
"""
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from .schedule import Daily, Hourly, Weekly, parse_time, parse_weekday

Schedule = Daily | Weekly | Hourly


def daily(time_setting: str) -> Callable[[dict], Schedule]:
    """Every day at the local time in config[time_setting] (e.g. DIGEST_TIME="07:00")."""
    return lambda config: Daily(parse_time(config[time_setting]))


def hourly(minute: int = 0) -> Callable[[dict], Schedule]:
    """Every hour at `minute` past."""
    return lambda config: Hourly(minute)


def weekly(weekday_setting: str, time_setting: str) -> Callable[[dict], Schedule]:
    """Once a week, on config[weekday_setting] ("monday") at config[time_setting]."""
    return lambda config: Weekly(parse_weekday(config[weekday_setting]), parse_time(config[time_setting]))


@dataclass(frozen=True)
class Job:
    name: str
    schedule: Callable[[dict], Schedule]
    target: str  # "module:function"

    def function(self) -> Callable[[], object]:
        module, _, attribute = self.target.partition(":")
        return getattr(import_module(module), attribute)


JOBS: list[Job] = [
    Job("review_digest", daily("DIGEST_TIME"), "course.review.services:send_digests"),
    Job("org_reminders", weekly("REMINDER_WEEKDAY", "REMINDER_TIME"), "course.org.reminders:send_reminders"),
    Job("privacy_purge", daily("PURGE_TIME"), "course.privacy.retention:purge"),
    Job("followup_checkins", daily("FOLLOWUP_TIME"), "course.followup.services:send_due_checkins"),
    Job("live_session_reminders", hourly(), "course.live.reminders:send_due_reminders"),
    Job("discussion_digest", daily("DIGEST_TIME"), "course.discussion.services:send_digests"),
    Job("planner_statistics", daily("STATISTICS_TIME"), "course.maintenance:refresh_statistics"),
]
