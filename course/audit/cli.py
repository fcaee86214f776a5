"""`flask audit erasures` and `flask audit erase-again`: erasures survive a restore.

A backup made before an erasure still holds the person. After restoring it, erase
again everyone the (old) audit log shows as erased since the backup.
"""
from datetime import datetime

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup

from course.extensions import db
from course.models import AuditAction, AuditEvent, User

audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("erasures")
@click.option("--since", required=True, type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date of the backup you are about to restore (YYYY-MM-DD).")
def erasures_command(since: datetime):
    """Print the ids of the accounts erased since a date, one per line."""
    ids = db.session.scalars(sa.select(AuditEvent.subject_id).where(
        AuditEvent.action == AuditAction.ACCOUNT_ERASED.value, AuditEvent.created_at >= since,
        AuditEvent.subject_id.is_not(None)).order_by(AuditEvent.id)).all()
    for user_id in dict.fromkeys(ids):
        click.echo(user_id)


@audit_cli.command("erase-again")
@click.argument("user_ids", nargs=-1, type=int, required=True)
@click.confirmation_option("--yes", prompt="Erase these accounts (again) for good?")
def erase_again_command(user_ids):
    """Erase the accounts with these ids, unless they already are (after a restore)."""
    from course.auth.services import erase_account

    for user_id in user_ids:
        user = db.session.get(User, user_id)
        if user is None or user.erased_at is not None:
            click.echo(f"{user_id}: nothing to do.")
            continue
        erase_account(user, actor=None)
        click.echo(f"{user_id}: erased.")


def init_app(app: Flask) -> None:
    app.cli.add_command(audit_cli)
