"""Counting SQL statements, to pin that a list costs the same for 3 people or 300 (no N+1)."""

from contextlib import contextmanager

from sqlalchemy import event

from meetgreet.extensions import db


@contextmanager
def counting_queries():
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
