"""Running a due job exactly once per period, whichever worker gets there first.

The claim is a row with a unique (job, period) key, committed before the job runs:
a second worker's insert fails and it skips the job. A job that raises gives its
claim back, so a later tick retries it; a worker killed mid-job leaves the claim,
so that period is skipped rather than run twice (no mail is ever sent twice)."""
import logging
import os
import socket
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from course.extensions import db
from course.models import ScheduledRun, utcnow

from .jobs import Job
from .schedule import local_now

log = logging.getLogger(__name__)


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


def due_period(job: Job, now: datetime | None = None) -> str | None:
    config = current_app.config
    return job.schedule(config).period(local_now(config["WORKER_TIMEZONE"], now))


def claim_run(job: Job, period: str) -> ScheduledRun | None:
    already = db.session.scalar(sa.select(ScheduledRun.id).where(ScheduledRun.job == job.name,
                                                                  ScheduledRun.period == period))
    if already is not None:
        db.session.rollback()
        return None
    run = ScheduledRun(job=job.name, period=period, worker=worker_identity())
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:  # another worker claimed it between our check and our insert
        db.session.rollback()
        return None
    return run


def run_if_due(job: Job, now: datetime | None = None) -> bool:
    """Run `job` when its period has come and nobody ran it yet. True when it ran here."""
    period = due_period(job, now)
    if period is None:
        return False
    run = claim_run(job, period)
    if run is None:
        return False
    run_id = run.id
    log.info("Job %s for %s started", job.name, period)
    try:
        job.function()()
    except Exception:
        db.session.rollback()
        db.session.execute(sa.delete(ScheduledRun).where(ScheduledRun.id == run_id))
        db.session.commit()
        raise
    db.session.execute(sa.update(ScheduledRun).where(ScheduledRun.id == run_id).values(finished_at=utcnow()))
    db.session.commit()
    log.info("Job %s for %s finished", job.name, period)
    return True
