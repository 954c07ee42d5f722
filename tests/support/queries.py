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


def page_queries(client, url: str) -> list[str]:
    """The statements one GET of `url` costs, as in a fresh request: nothing loaded before."""
    db.session.expire_all()
    with counting_queries() as statements:
        assert client.get(url).status_code == 200
    return statements
