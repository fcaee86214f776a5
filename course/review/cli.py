"""`flask digest send`: the daily mail to each trainer with waiting work (for cron)."""
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


def init_app(app: Flask) -> None:
    app.cli.add_command(digest_cli)
