"""Command-line groups. Each area adds its own commands through `<area>/cli.py`."""
import time

import click
from flask import Flask
from flask.cli import AppGroup

from .extensions import db
from .models import Role

users_cli = AppGroup("users", help="Manage user accounts.")
mail_cli = AppGroup("mail", help="Deliver the mail outbox.")



@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.LEARNER.value)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--locale", type=click.Choice(["nl", "en"]), default="nl")
def create_user_command(email, name, role, password, locale):
    """Create a user, e.g. `flask users create --role admin --email a@b.nl --name Ann`."""
    from .auth.services import EmailInvalid, EmailTaken, create_user

    try:
        user = create_user(email, name, password, role=Role(role), locale=locale)
    except (EmailTaken, EmailInvalid) as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role.value}).")


@users_cli.command("erase")
@click.option("--email", required=True)
@click.confirmation_option(prompt="This deletes the account's personal data for good. Continue?")
def erase_user_command(email):
    """Erase an account: personal data and texts removed, badges revoked."""
    from .auth.services import erase_account, find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account with e-mail address {email}.")
    erase_account(user, actor=None)
    click.echo("The account has been erased.")


@mail_cli.command("send")
@click.option("--watch", is_flag=True, help="Keep running and deliver new mail as it arrives.")
@click.option("--interval", default=10, show_default=True, help="Seconds between rounds with --watch.")
@click.option("--rounds", default=0, help="With --watch: stop after this many rounds (0 = forever).")
def send_mail_command(watch, interval, rounds):
    """Deliver queued mail over SMTP (or to instance/mail/ without SMTP)."""
    from .mail.sender import send_queued

    done = 0
    while True:
        sent, failed = send_queued()
        if sent or failed or not watch:
            click.echo(f"Sent {sent}, not delivered {failed} (will be retried).")
        done += 1
        if not watch or (rounds and done >= rounds):
            break
        time.sleep(interval)


@mail_cli.command("retry")
@click.option("--id", "mail_id", type=int, default=None, help="Only this mail (its number in the outbox).")
def retry_mail_command(mail_id):
    """Put failed mail back in the queue (a mail whose link has expired is cancelled instead)."""
    from .mail.retry import retry_failed

    result = retry_failed(mail_id)
    if mail_id is not None and not (result.requeued or result.cancelled):
        raise click.ClickException(f"Mail {mail_id} does not exist or has not failed.")
    click.echo(f"Re-queued {result.requeued} failed mail(s); cancelled {result.cancelled} with an expired link.")


def register(app: Flask) -> None:
    from . import maintenance
    from .admin import cli as admin_cli
    from .audit import cli as audit_cli
    from .backup import cli as backup_cli
    from .content import cli as content_cli
    from .demo import cli as demo_cli
    from .org import cli as org_cli
    from .privacy import cli as privacy_cli
    from .review import cli as review_cli
    from .staff import cli as staff_cli
    from .worker import cli as worker_cli
    from .xapi import cli as xapi_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(mail_cli)
    for area in (content_cli, demo_cli, review_cli, org_cli, admin_cli, staff_cli, backup_cli, audit_cli,
                 privacy_cli, worker_cli, xapi_cli, maintenance):
        area.init_app(app)
