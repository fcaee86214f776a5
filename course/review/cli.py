"""`flask digest send`: the daily mail to each trainer with waiting work (for cron);
`flask progress summarise`: (re)write every enrolment's progress summary."""
import click
from flask import Flask
from flask.cli import AppGroup

digest_cli = AppGroup("digest", help="The trainers' daily digest of waiting work.")


@digest_cli.command("send")
def send_command():
    """Queue a digest mail for every trainer with submissions waiting (once per day).
    The mail goes out with `flask mail send`."""
    from .services import send_digests

    queued = send_digests()
    for email, waiting in queued:
        click.echo(f"{email}: {waiting} waiting")
    click.echo(f"Queued {len(queued)} digest mail(s).")


progress_cli = AppGroup("progress", help="The progress summary behind the matrix and team progress.")


@progress_cli.command("summarise")
def summarise_command():
    """Write the progress summary of every enrolment (after bulk imports or an upgrade;
    the events keep it up to date from then on)."""
    from course.extensions import db

    from .summary import rebuild

    click.echo(f"Progress summaries written: {rebuild(db.session)}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(digest_cli)
    app.cli.add_command(progress_cli)
