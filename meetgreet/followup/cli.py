import click
from flask.cli import AppGroup

from .notifications import send_reminders

followup_cli = AppGroup("followup", help="Follow-up after the events.")


@followup_cli.command("remind")
def remind_command() -> None:
    """Mail each owner their overdue follow-ups (at most once a week per follow-up).

    Run it from cron weekly, e.g. Monday 07:00. Links in the mails use PUBLIC_BASE_URL.
    """
    click.echo(f"{send_reminders()} reminder mail(s) sent.")
