import click
from flask.cli import AppGroup

from .services import DEMO_PASSWORD, DEMO_STAFF, is_loaded, load_demo

demo_cli = AppGroup("demo", help="Demo data for trying the product.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo region is there already.")
def load_command(if_empty: bool) -> None:
    """Load a lived-in demo region (safe to run twice)."""
    if if_empty and is_loaded():
        click.echo("Demo data already loaded.")
        return
    added = load_demo()
    click.echo("Demo data loaded: " + ", ".join(f"{n} {kind}" for kind, n in added.items()) + ".")


@demo_cli.command("logins")
def logins_command() -> None:
    """Print the demo staff logins."""
    for email, _name, role in DEMO_STAFF:
        click.echo(f"  {role.value:<8} {email:<22} password: {DEMO_PASSWORD}")
