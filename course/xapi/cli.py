"""`flask xapi send` (for installations that use cron instead of the worker) and `flask xapi retry`."""
import click
from flask import Flask
from flask.cli import AppGroup

xapi_cli = AppGroup("xapi", help="Deliver learning records (xAPI statements) to the LRS.")


@xapi_cli.command("send")
def send_command():
    """Deliver the due statements once."""
    from .relay import send_statements

    sent, failed = send_statements()
    click.echo(f"Sent {sent}, not delivered {failed}.")


@xapi_cli.command("retry")
def retry_command():
    """Queue the statements that were given up again."""
    from .relay import retry_failed

    click.echo(f"Queued again: {retry_failed()}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(xapi_cli)
