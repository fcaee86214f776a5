"""`flask worker`: deliver mail and run the scheduled jobs, until stopped (Ctrl-C / SIGINT)."""
import logging

import click
from flask import Flask, current_app


@click.command("worker")
@click.option("--threads", type=int, default=None, help="Worker threads (default WORKER_THREADS, at least 2).")
@click.option("--once", is_flag=True, help="Run the due jobs and deliver the due mail once, then stop.")
def worker_command(threads, once):
    """Relay the outbox (SMTP, or files in instance/mail/) and run the digest, reminders
    and the other scheduled jobs at their configured times."""
    from .jobs import JOBS
    from .queue import make_consumer, make_huey

    _check_schedules(JOBS)
    if once:
        _run_once(JOBS)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    app = current_app._get_current_object()
    huey = make_huey(app)
    storage = "Redis" if app.config.get("REDIS_URL") else app.config["WORKER_SQLITE_PATH"]
    click.echo(f"Worker started (queue storage: {storage}). Stop with Ctrl-C.")
    make_consumer(app, huey, threads).run()


def _check_schedules(jobs) -> None:
    """A typo in DIGEST_TIME must stop the worker at start, not at 07:00."""
    for job in jobs:
        try:
            job.schedule(current_app.config)
        except (KeyError, ValueError) as error:
            raise click.ClickException(f"Job {job.name}: {error}") from error


def _run_once(jobs) -> None:
    from course.mail.sender import send_queued

    from .runs import run_if_due

    for job in jobs:
        click.echo(f"{job.name}: {'ran' if run_if_due(job) else 'not due or already ran'}")
    sent, failed = send_queued()
    click.echo(f"Sent {sent}, not delivered {failed}.")
    from course.xapi.relay import send_statements

    xapi_sent, xapi_failed = send_statements()
    click.echo(f"xAPI statements: sent {xapi_sent}, not delivered {xapi_failed}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(worker_command)
