from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from ..scheduling.models import Event
from .render import LAYOUTS
from .services import KINDS, event_badges_pdf

badges_cli = AppGroup("badges", help="Badges as PDF.")


@badges_cli.command("print")
@click.option("--event", "event_id", type=int, required=True, help="The event's number.")
@click.option("--kind", type=click.Choice(KINDS), default="candidates", show_default=True)
@click.option("--layout", type=click.Choice(list(LAYOUTS)), default="a4-10", show_default=True)
@click.option("--ref", "refs", multiple=True,
              help="Only these: candidates by staff reference, staff by account number.")
@click.option("--locale", default="nl", show_default=True,
              help="Language of the printed words (language and sector names).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def print_command(event_id: int, kind: str, layout: str, refs: tuple[str, ...],
                  locale: str, out: Path) -> None:
    """Write an event's badges to a PDF, e.g. to print them the day before."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise click.ClickException(f"no event {event_id}")
    # Language names are translated as on a page: the printing runs in a request's context.
    with current_app.test_request_context(), force_locale(locale):
        data = event_badges_pdf(event, kind, layout, list(refs) or None)
    if data is None:
        raise click.ClickException("nobody to print for this choice")
    out.write_bytes(data)
    click.echo(f"{out}: {kind} badges, layout {layout}, {len(data) // 1024} kB")
