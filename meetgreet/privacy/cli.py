import click
from flask.cli import AppGroup

from . import retention

privacy_cli = AppGroup("privacy", help="Retention and erasure of personal data.")

LABELS = {
    "candidates_after_event": "candidates anonymised (last event long enough ago)",
    "candidates_after_follow_up": "candidates anonymised (follow-up ended)",
    "employer_bookings": "stand bookings: contact details cleared",
    "organisations": "organisations: contact details cleared",
    "interpreter_links": "interpreter answer links closed",
    "audit_entries": "audit trail entries deleted",
    "check_in_attempts": "door scan log entries deleted",
    "outbox_messages": "outbox messages deleted",
}


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="Only report what would be removed.")
def retention_command(dry_run: bool) -> None:
    """Apply the retention rules (RETENTION_* settings). Safe to run again: what is gone stays
    gone, the second run finds nothing. Run it daily from cron or a systemd timer."""
    report = retention.run(dry_run=dry_run)
    click.echo("Dry run: nothing changed." if dry_run else "Retention applied.")
    for kind in retention.KINDS:
        click.echo(f"{report.counts[kind]:6d}  {LABELS[kind]}")
    click.echo(f"{report.total:6d}  in total")
