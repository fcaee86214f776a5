import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
def seed_command():
    """Create the demo accounts and data. Safe to run again: it changes nothing twice."""
    from .seed import seed_all

    for line in seed_all():
        click.echo(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
