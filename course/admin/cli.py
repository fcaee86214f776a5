"""`flask organisations list`: the organisations with their seat usage."""
import click
from flask import Flask
from flask.cli import AppGroup

organisations_cli = AppGroup("organisations", help="Organisations and their seats.")


@organisations_cli.command("list")
def list_command():
    """Print every organisation with seats used / seats."""
    from .services import organisation_rows

    for row in organisation_rows():
        click.echo(f"{row.organisation.name}: {row.seats_used}/{row.seats} seats, {row.cohorts} groups")


def init_app(app: Flask) -> None:
    app.cli.add_command(organisations_cli)
