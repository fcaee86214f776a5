"""`flask privacy purge`: apply the retention terms (idempotent; safe to run nightly)."""
import click
from flask import Flask
from flask.cli import AppGroup

privacy_cli = AppGroup("privacy", help="Privacy: retention terms.")


@privacy_cli.command("purge")
def purge_command():
    """Delete what is past its retention term; warn, then erase, inactive accounts."""
    from .retention import purge

    click.echo(str(purge()))


def init_app(app: Flask) -> None:
    app.cli.add_command(privacy_cli)
