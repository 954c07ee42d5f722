"""The check-in API under gunicorn with PostgreSQL, loaded from a second process.

Target from the issue: at least 500 scans/s with p99 under 50 ms on this 2-core machine. The
same run measures /healthz (one `SELECT 1`) on the same server, so the ratio says how much
the check-in itself costs. Every scan is a first check-in of a different ticket (the write
path: conditional UPDATE plus the logged attempt), authenticated by a device token.

Needs PostgreSQL: BENCH_DATABASE_URL (a database it may empty!). Without it the benchmark is
skipped with a message, not silently.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
THREADS = 4
CONNECTIONS = 16
SECONDS = 5.0
TICKETS = 8000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(url: str) -> tuple[int, list[str], str]:
    """A fresh schema with one event, TICKETS registrations and a device token."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text

    from meetgreet import create_app
    from meetgreet.candidates.models import Candidate, Registration
    from meetgreet.checkin.services import issue_device
    from meetgreet.core.tokens import new_code, new_link_token
    from meetgreet.extensions import db
    from meetgreet.scheduling.models import Event, EventStatus, Venue

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()
        venue = Venue(name="Bench", address="Benchstraat 1", town="Amsterdam", stand_count=24,
                      candidate_capacity=TICKETS)
        starts = datetime.now(UTC).replace(microsecond=0)
        event = Event(venue=venue, starts_at=starts, ends_at=starts + timedelta(hours=3),
                      status=EventStatus.PUBLISHED, stand_count=24, candidate_capacity=TICKETS)
        db.session.add(event)
        db.session.commit()
        codes = [new_code() for _ in range(TICKETS)]
        candidate_ids = db.session.scalars(insert(Candidate).returning(Candidate.id), [
            {"first_name": f"Kandidaat {n}", "last_name": "Bench", "latin_name": "",
             "locale": "nl", "dutch_level": "none", "needs_interpreter": False,
             "experience": "", "education_level": "", "municipality": ""}
            for n in range(TICKETS)]).all()
        db.session.execute(insert(Registration), [
            {"event_id": event.id, "candidate_id": candidate_id, "ticket_code": code,
             "link_token_hash": new_link_token(), "ref": new_code(10), "locale": "nl",
             "status": "registered", "walk_in": False}
            for candidate_id, code in zip(candidate_ids, codes, strict=True)])
        db.session.commit()
        _device, token = issue_device("bench", None)
        event_id = event.id
        db.engine.dispose()
    return event_id, codes, token


def _drive(port: int, lines: list[dict]) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "127.0.0.1", str(port), str(SECONDS),
         str(CONNECTIONS)],
        input="\n".join(json.dumps(line) for line in lines), capture_output=True, text=True,
        check=True, timeout=SECONDS + 60)
    return json.loads(result.stdout)


def _wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not come up")


def run() -> list[str]:
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        message = ("check-in API under gunicorn | skipped: set BENCH_DATABASE_URL to a "
                   "PostgreSQL database the benchmark may empty")
        print(message, file=sys.stderr)
        return [f"| {message} |"]
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    event_id, codes, token = _prepare(url)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "CHECKIN_RATE_LIMIT": "1000000 per minute",
           "SECRET_KEY": uuid.uuid4().hex}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(WORKERS), "--threads", str(THREADS),
         "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "app:app"], cwd=ROOT, env=env)
    try:
        _wait_until_up(port)
        health = _drive(port, [{"path": "/healthz"}])
        scans = _drive(port, [
            {"method": "POST", "path": f"/api/events/{event_id}/checkins",
             "headers": {"Authorization": f"Bearer {token}",
                         "Content-Type": "application/json"},
             "body": json.dumps({"code": code, "nonce": uuid.uuid4().hex})}
            for code in codes])
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert scans["errors"] == 0 and set(scans["statuses"]) == {"200"}, scans
    ratio = scans["per_second"] / health["per_second"]
    setup = (f"gunicorn {WORKERS} workers × {THREADS} threads, PostgreSQL, {CONNECTIONS} "
             f"keep-alive connections from a separate process, {SECONDS:.0f} s each")
    return [
        f"| check-in API, first check-ins ({setup}) | {scans['per_second']:.0f} scans/s, "
        f"p50 {scans['p50_ms']:.1f} ms, p99 {scans['p99_ms']:.1f} ms |",
        f"| /healthz on the same server, same run | {health['per_second']:.0f} requests/s, "
        f"p50 {health['p50_ms']:.1f} ms, p99 {health['p99_ms']:.1f} ms |",
        f"| check-in throughput as a share of /healthz | {100 * ratio:.0f} % |",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
