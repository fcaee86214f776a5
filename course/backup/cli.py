"""`flask backup create [PATH]` and `flask backup restore PATH --yes`."""
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from . import services

backup_cli = AppGroup("backup", help="Back up and restore the database.")


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--keep", default=0, show_default=True,
              help="Then delete all but the newest N backups in BACKUP_DIR (0: keep all).")
def create_command(path, keep):
    """Make a consistent copy while the app runs (default: BACKUP_DIR/leerlijn-<time>.sqlite|.dump)."""
    try:
        made = services.create(path)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {made}.")
    if keep:
        for old in services.prune(Path(current_app.config["BACKUP_DIR"]), keep):
            click.echo(f"Deleted old backup {old}.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.confirmation_option("--yes", prompt="This replaces everything in the database with the backup; "
                                           "what was written since is lost. Continue?")
def restore_command(path):
    """Put a backup back into the configured database (stop the app and the worker first)."""
    try:
        services.restore(path)
    except services.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {path}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(backup_cli)
