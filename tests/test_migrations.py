"""The migrations build the schema the models describe, on SQLite and PostgreSQL alike."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from meetgreet.extensions import db


def test_migrations_and_models_agree(app):
    # The `app` fixture built its schema with `flask db upgrade` from an empty database.
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_schema_has_every_table(app):
    with app.app_context():
        names = set(inspect(db.engine).get_table_names())
    assert {"staff_user", "event", "venue", "series", "candidate", "organisation",
            "interpreter", "outbox_message", "alembic_version"} <= names
