"""Pooled database connections are checked before use, but only when they may have died."""

import time

from sqlalchemy import Engine, event, exc


def ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Like `pool_pre_ping`, but only for connections that sat in the pool `idle_seconds` or
    longer. A database restart or a firewall cuts connections while they wait there; one that
    was in use a moment ago is alive, and pinging it anyway would cost every request a round
    trip, the busy check-in API included. Should one die within that moment all the same, the
    request fails once and SQLAlchemy drops the pool's older connections (a door re-sends)."""

    @event.listens_for(engine, "checkin")
    def remember_return(_dbapi_connection, record):
        if record is not None:
            record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def ping_if_idle(dbapi_connection, record, _proxy):
        # A new connection has no "returned_at" yet (`info` is emptied when one is replaced).
        returned_at = record.info.get("returned_at")
        if returned_at is None or time.monotonic() - returned_at < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool then throws this connection away and checks out another.
            raise exc.DisconnectionError from error
