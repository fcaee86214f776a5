"""The Huey side of the worker: storage, the periodic tasks, and the consumer.

Storage is a SQLite file in instance/ on one machine, Redis (REDIS_URL) when
several workers share the work. Every tick (a minute) the scheduler enqueues the
outbox relay and every job of the registry; the tasks themselves decide whether
there is anything to do. Huey locks keep one job from running in two places at
once; the ScheduledRun row (runs.py) and the outbox claims (mail/sender.py) are
what make each run and each mail happen once, even across machines."""
import logging
import threading
import time
from pathlib import Path

from flask import Flask
from huey import RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer, Scheduler
from huey.exceptions import TaskLockedException

from .jobs import JOBS, Job

log = logging.getLogger(__name__)


def make_huey(app: Flask, jobs: list[Job] | None = None):
    """A Huey instance with the relay and the jobs registered for this app."""
    name = app.config["WORKER_QUEUE_NAME"]
    if app.config.get("REDIS_URL"):
        huey = RedisHuey(name, url=app.config["REDIS_URL"], results=False)
    else:
        path = Path(app.config["WORKER_SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey(name, filename=str(path), results=False)
    huey.stopping = threading.Event()
    _register_relay(huey, app)
    for job in JOBS if jobs is None else jobs:
        _register_job(huey, app, job)
    return huey


def _register_relay(huey, app: Flask) -> None:
    # Process-local on purpose: workers on other machines relay too, and the outbox
    # claims keep them from sending the same mail.
    busy = threading.Lock()

    @huey.periodic_task(crontab(), name="relay_outbox")
    def relay_outbox():
        if not busy.acquire(blocking=False):
            return  # this worker's relay from the previous tick is still running
        try:
            with app.app_context():
                _relay_until_next_tick(huey, app)
        finally:
            busy.release()


def _relay_until_next_tick(huey, app: Flask) -> None:
    """Deliver due mail every MAIL_POLL_SECONDS until the next tick takes over."""
    from course.mail.sender import send_queued
    from course.xapi.relay import send_statements

    poll = app.config["MAIL_POLL_SECONDS"]
    deadline = time.monotonic() + app.config["WORKER_TICK_SECONDS"] - poll
    while True:
        send_queued()
        send_statements()  # xAPI learning records, next to the mail
        if huey.stopping.is_set() or time.monotonic() + poll > deadline:
            return
        huey.stopping.wait(poll)


def _register_job(huey, app: Flask, job: Job) -> None:
    from .runs import run_if_due

    lock = huey.lock_task(f"job.{job.name}")

    def run_job():
        try:
            with lock, app.app_context():
                run_if_due(job)
        except TaskLockedException:
            log.info("Job %s is running on another worker", job.name)

    huey.periodic_task(crontab(), name=f"job.{job.name}")(run_job)


class WorkerConsumer(Consumer):
    """Huey's consumer with a configurable tick, that tells the relay to stop."""

    def __init__(self, huey, tick_seconds: int, **options):
        self.scheduler_class = type("TickScheduler", (Scheduler,), {"periodic_task_seconds": tick_seconds})
        # A worker killed while holding a job lock would block that job forever; at
        # start-up its locks are cleared (the ScheduledRun row still prevents a double run).
        super().__init__(huey, flush_locks=True, **options)

    def stop(self, graceful=False):
        self.huey.stopping.set()
        super().stop(graceful=graceful)


def make_consumer(app: Flask, huey, threads: int | None = None) -> WorkerConsumer:
    # Two threads at least: the relay holds one for most of each tick.
    threads = max(threads or app.config["WORKER_THREADS"], 2)
    return WorkerConsumer(huey, tick_seconds=app.config["WORKER_TICK_SECONDS"], workers=threads,
                          worker_type="thread")
