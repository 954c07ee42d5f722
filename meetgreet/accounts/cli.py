import click
from flask.cli import AppGroup

from .models import Role
from .services import StaffAccountError, create_staff_user

staff_cli = AppGroup("staff", help="Manage staff accounts.")


@staff_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([role.value for role in Role]), required=True)
@click.password_option(help="Asked for when not given.")
def create_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = create_staff_user(email, name, role, password)
    except StaffAccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.value} account {user.email}.")
