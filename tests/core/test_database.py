"""Pooled connections: one that sat idle is checked before use, one just used is not."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from meetgreet.core.database import ping_idle_connections
from meetgreet.extensions import db


def _backend_of_pooled_connection(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(text("SELECT pg_backend_pid()"))


def _cut(backend: int) -> None:
    """As a database restart or a firewall does to a connection waiting in the pool."""
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    time.sleep(0.2)


@pytest.fixture
def postgresql(app):
    if app.config["DATABASE_BACKEND"] != "postgresql":
        pytest.skip("only a database server cuts connections")


def test_a_connection_cut_while_idle_is_replaced_unnoticed(app, postgresql):
    db.session.remove()
    engine = db.engine  # as create_app set it up: pinged after a second idle
    backend = _backend_of_pooled_connection(engine)
    _cut(backend)
    time.sleep(app.config["DATABASE_PING_AFTER_IDLE"])
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT pg_backend_pid()")) != backend


def test_a_connection_used_a_moment_ago_is_not_pinged(app, postgresql):
    """The saving: no round trip before each request under load. (Proof that the test above
    depends on the ping: without it, the cut connection fails.)"""
    engine = create_engine(db.engine.url.render_as_string(hide_password=False), pool_size=1)
    ping_idle_connections(engine, idle_seconds=60)
    try:
        _cut(_backend_of_pooled_connection(engine))
        with pytest.raises(DBAPIError), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
