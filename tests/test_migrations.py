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


def test_people_known_before_the_name_keys_get_them(tmp_path):
    """The migration that adds the duplicate check's keys fills them for everyone known."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from meetgreet import create_app

    older = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'older.sqlite'}"})
    with older.app_context():
        upgrade(revision="fe374820b4ed")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO candidate (first_name, last_name, latin_name, locale, dutch_level,"
                " needs_interpreter, experience, municipality, created_at) VALUES ('Олена',"
                " ' КОВАЛЕНКО', 'Olena  Kovalenko', 'uk', 'A1', false, '', '', '2026-01-05')"))
        upgrade()
        keys = db.session.execute(text("SELECT name_key, latin_key FROM candidate")).one()
        db.session.remove()
        db.engine.dispose()
    assert tuple(keys) == ("олена коваленко", "olena kovalenko")
