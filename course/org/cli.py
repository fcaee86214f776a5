"""`flask reminders send`: remind inactive cohort learners, for cron."""
import click
from flask import Flask
from flask.cli import AppGroup

reminders_cli = AppGroup("reminders", help="Reminders to inactive learners.")


@reminders_cli.command("send")
@click.option("--days", type=int, default=None,
              help="Inactive for more than this many days (default: REMINDER_INACTIVE_DAYS or 14).")
def send_reminders_command(days):
    """Queue a reminder for every inactive cohort learner: at most one per learner per
    week, none once completed, none while waiting on the trainer. Run `flask mail send` after."""
    from .reminders import send_reminders

    sent = send_reminders(inactive_days=days)
    click.echo(f"Reminders queued: {sent}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(reminders_cli)
