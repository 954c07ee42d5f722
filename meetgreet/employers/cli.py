import click
from flask.cli import AppGroup

from .notifications import send_outcomes
from .services import due_reminders, expire_offers

stands_cli = AppGroup("stands", help="Stand reservations.")


@stands_cli.command("expire-offers")
def expire_offers_command() -> None:
    """Pass offered stands that were not confirmed in time to the next on the waiting list.

    Run it from cron, e.g. every 15 minutes. Links in the mails use PUBLIC_BASE_URL.
    """
    outcomes = expire_offers()
    send_outcomes(outcomes)
    expired = sum(1 for outcome in outcomes if outcome.kind == "offer_expired")
    click.echo(f"{expired} offer(s) expired, {len(outcomes) - expired} new offer(s) sent.")


@stands_cli.command("send-reminders")
def send_reminders_command() -> None:
    """Remind confirmed employers two days before their event (each one once).

    Run it from cron, e.g. hourly.
    """
    outcomes = due_reminders()
    send_outcomes(outcomes)
    click.echo(f"{len(outcomes)} reminder(s) sent.")
