"""The worker's schedule and job registry: due times in local time, one run per period."""
import threading
from datetime import datetime, time

import pytest
import sqlalchemy as sa

from course.extensions import db
from course.models import ScheduledRun
from course.worker.jobs import JOBS, Job, daily, weekly
from course.worker.runs import claim_run, run_if_due
from course.worker.schedule import Daily, Hourly, Weekly, local_now, parse_time, parse_weekday

CALLS: list[str] = []


def count_call():
    CALLS.append("ran")


def fail_once():
    CALLS.append("failed")
    if CALLS.count("failed") == 1:
        raise RuntimeError("the job broke")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_daily_is_due_from_its_time_on_that_day():
    schedule = Daily(time(7, 0))
    assert schedule.period(datetime(2026, 12, 1, 6, 59)) is None
    assert schedule.period(datetime(2026, 12, 1, 7, 0)) == "2026-12-01"
    assert schedule.period(datetime(2026, 12, 1, 23, 0)) == "2026-12-01", "a worker that was down catches up"


def test_weekly_is_due_from_its_weekday_and_time_in_that_iso_week():
    schedule = Weekly(parse_weekday("Tuesday"), time(9, 0))
    assert schedule.period(datetime(2026, 11, 30, 12, 0)) is None  # Monday
    assert schedule.period(datetime(2026, 12, 1, 8, 59)) is None
    assert schedule.period(datetime(2026, 12, 1, 9, 0)) == "2026-W49"
    assert schedule.period(datetime(2026, 12, 6, 23, 0)) == "2026-W49"  # Sunday, same week


def test_hourly_is_due_from_its_minute_in_that_hour():
    assert Hourly(30).period(datetime(2026, 12, 1, 9, 29)) is None
    assert Hourly(30).period(datetime(2026, 12, 1, 9, 30)) == "2026-12-01T09"
    assert Hourly().period(datetime(2026, 12, 1, 10, 0)) == "2026-12-01T10"


def test_times_are_amsterdam_time_in_summer_and_winter():
    assert local_now("Europe/Amsterdam", datetime(2026, 7, 1, 5, 0)) == datetime(2026, 7, 1, 7, 0)
    assert local_now("Europe/Amsterdam", datetime(2026, 12, 1, 6, 0)) == datetime(2026, 12, 1, 7, 0)


def test_bad_settings_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="07:00"):
        parse_time("7 uur")
    with pytest.raises(ValueError, match="weekday"):
        parse_weekday("maandag")


def test_the_registry_holds_the_digest_daily_and_the_reminders_weekly(app):
    schedules = {job.name: job.schedule(app.config) for job in JOBS}
    assert schedules["review_digest"] == Daily(time(7, 0))
    assert schedules["org_reminders"] == Weekly(0, time(9, 0))
    assert schedules["live_session_reminders"] == Hourly(0), "due in every minute, so a worker never waits"
    for job in JOBS:
        assert callable(job.function())


def test_a_job_runs_once_per_period(app):
    app.config["DIGEST_TIME"] = "07:00"
    job = Job("counted", daily("DIGEST_TIME"), "tests.test_worker_jobs:count_call")
    before = datetime(2026, 12, 1, 5, 30)  # 06:30 in Amsterdam
    assert run_if_due(job, now=before) is False
    assert run_if_due(job, now=datetime(2026, 12, 1, 6, 0)) is True
    assert run_if_due(job, now=datetime(2026, 12, 1, 20, 0)) is False, "once that day"
    assert run_if_due(job, now=datetime(2026, 12, 2, 6, 5)) is True, "and again the next day"
    assert CALLS == ["ran", "ran"]
    runs = db.session.scalars(sa.select(ScheduledRun).order_by(ScheduledRun.id)).all()
    assert [(r.job, r.period) for r in runs] == [("counted", "2026-12-01"), ("counted", "2026-12-02")]
    assert all(r.finished_at is not None and r.worker for r in runs)


def test_a_nightly_slot_runs_a_purge_like_job_once_a_night(app):
    app.config["PURGE_TIME"] = "03:00"
    job = Job("nightly", daily("PURGE_TIME"), "tests.test_worker_jobs:count_call")
    for hour in (1, 2, 5, 20):  # UTC: 02:00 is 03:00 in Amsterdam in winter
        run_if_due(job, now=datetime(2026, 12, 1, hour, 0))
    assert CALLS == ["ran"]


def test_a_weekly_job_runs_once_a_week(app):
    app.config.update(REMINDER_WEEKDAY="monday", REMINDER_TIME="09:00")
    job = Job("weekly", weekly("REMINDER_WEEKDAY", "REMINDER_TIME"), "tests.test_worker_jobs:count_call")
    days = [datetime(2026, 11, 30, 9, 0)] + [datetime(2026, 12, day, 9, 0) for day in range(1, 8)]
    for day in days:  # 09:00 UTC is 10:00 in Amsterdam
        run_if_due(job, now=day)
    assert CALLS == ["ran", "ran"], "Monday 30 Nov and Monday 7 Dec"


def test_a_failed_run_gives_its_claim_back_and_is_retried(app):
    job = Job("flaky", daily("DIGEST_TIME"), "tests.test_worker_jobs:fail_once")
    now = datetime(2026, 12, 1, 12, 0)
    with pytest.raises(RuntimeError):
        run_if_due(job, now=now)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledRun)) == 0
    assert run_if_due(job, now=now) is True
    assert run_if_due(job, now=now) is False


def test_racing_workers_claim_a_period_once(app):
    """Eight threads, each with its own connection, claim the same period at once."""
    job = Job("raced", daily("DIGEST_TIME"), "tests.test_worker_jobs:count_call")
    start = threading.Barrier(8)
    won = []

    def claim():
        with app.app_context():
            start.wait()
            if claim_run(job, "2026-12-01") is not None:
                won.append(1)
            db.session.remove()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ScheduledRun)) == 1


def test_worker_once_runs_the_due_jobs_and_delivers(app, tmp_path):
    app.config.update(DIGEST_TIME="00:00", REMINDER_WEEKDAY="monday", REMINDER_TIME="00:00")
    from tests.test_mail import _queue

    _queue()
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "review_digest: ran" in result.output and "org_reminders: ran" in result.output
    assert "Sent 1" in result.output
    assert len(list((tmp_path / "mail").glob("*.eml"))) == 1
    again = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert "review_digest: not due or already ran" in again.output


def test_worker_refuses_a_bad_time_setting_at_start(app):
    app.config["DIGEST_TIME"] = "zeven uur"
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code != 0 and "review_digest" in result.output and "07:00" in result.output


def test_the_nightly_purge_is_scheduled_and_applies_the_retention_terms(app):
    """The worker, not cron, runs `flask privacy purge`: a kept form older than its term goes."""
    from datetime import timedelta

    from course.models import FormStash, utcnow
    from course.privacy import retention

    [job] = [j for j in JOBS if j.name == "privacy_purge"]
    assert job.function() is retention.purge
    db.session.add(FormStash(path="/x", data={"a": ["b"]}, created_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    assert run_if_due(job, now=datetime(2026, 12, 1, 3, 30)) is True
    assert db.session.scalars(sa.select(FormStash)).all() == []
