"""The check-in API under gunicorn with PostgreSQL, loaded from a second process.

Target from the issue: at least 500 scans/s with p99 under 50 ms on this 2-core machine. The
same run measures /healthz (one `SELECT 1`) on the same server, so the ratio says how much
the check-in itself costs. Every scan is a first check-in of a different ticket (the write
path: conditional UPDATE plus the logged attempt), authenticated by a device token.

The server runs as in production: gunicorn with the top-level gunicorn.conf.py, rate limits
in Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0). The load comes from CONNECTIONS
keep-alive connections, each one scanner sending its next scan as soon as the answer arrives:
12, the top of what a busy door has (4 to 12 devices), so the figure is a door's worst case
and the throughput is capacity to spare, not a promise that 12 people scan 40 times a second.

Because figures on a shared machine are noisy, the run also measures CPU time per request in
this process (Flask test client, same database and Redis), which load on other cores hardly
moves: a scan's cost against /healthz's.

Needs PostgreSQL: BENCH_DATABASE_URL (a database it may empty!) and Redis. Without them the
benchmark is skipped with a message, not silently.
"""

import json
import os
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 12
SECONDS = 5.0
TICKETS = 8000
IN_PROCESS = 500  # scans (and /healthz calls) timed in this process, on tickets of their own


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


def _scan_lines(event_id: int, codes: list[str], token: str) -> list[dict]:
    return [{"method": "POST", "path": f"/api/events/{event_id}/checkins",
             "headers": {"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
             "body": json.dumps({"code": code, "nonce": uuid.uuid4().hex})} for code in codes]


def _cpu_per_request(settings: dict, lines: list[dict]) -> tuple[float, float]:
    """Milliseconds of this process's CPU per /healthz and per scan, through the test client."""
    from meetgreet import create_app
    from meetgreet.extensions import db

    app = create_app(settings)
    client = app.test_client()

    def cpu_ms(requests: list[dict]) -> float:
        started = time.process_time()
        for line in requests:
            response = client.open(line["path"], method=line.get("method", "GET"),
                                   headers=line.get("headers"), data=line.get("body"))
            assert response.status_code == 200, response.get_data(as_text=True)
        return 1000 * (time.process_time() - started) / len(requests)

    cpu_ms([{"path": "/healthz"}] * 50)  # warm up: first requests compile and connect
    health, scans = cpu_ms([{"path": "/healthz"}] * len(lines)), cpu_ms(lines)
    with app.app_context():
        db.engine.dispose()
    return health, scans


def _redis_down(url: str) -> str | None:
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError as error:
        return str(error)
    return None


def run() -> list[str]:
    url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    problem = ("set BENCH_DATABASE_URL to a PostgreSQL database the benchmark may empty"
               if not url else None) or (
        f"Redis at {redis_url} unreachable ({down}); set BENCH_REDIS_URL"
        if (down := _redis_down(redis_url)) else None)
    if problem:
        message = f"check-in API under gunicorn | skipped: {problem}"
        print(message, file=sys.stderr)
        return [f"| {message} |"]
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    event_id, codes, token = _prepare(url)
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "CHECKIN_RATE_LIMIT": "1000000 per minute",
           "RATELIMIT_STORAGE_URI": redis_url, "SECRET_KEY": uuid.uuid4().hex}
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "app:app"],
        cwd=ROOT, env=env)
    try:
        _wait_until_up(port)
        health = _drive(port, [{"path": "/healthz"}])
        scans = _drive(port, _scan_lines(event_id, codes[:-IN_PROCESS], token))
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert scans["errors"] == 0 and set(scans["statuses"]) == {"200"}, scans
    cpu_health, cpu_scan = _cpu_per_request(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": redis_url,
         "CHECKIN_RATE_LIMIT": env["CHECKIN_RATE_LIMIT"]},
        _scan_lines(event_id, codes[-IN_PROCESS:], token))
    ratio = scans["per_second"] / health["per_second"]
    setup = (f"gunicorn.conf.py: {settings['workers']} workers × {settings['threads']} "
             f"threads; PostgreSQL, Redis rate limits; {CONNECTIONS} keep-alive connections "
             f"(scanners) from a separate process, {SECONDS:.0f} s each")
    return [
        f"| check-in API, first check-ins ({setup}) | {scans['per_second']:.0f} scans/s, "
        f"p50 {scans['p50_ms']:.1f} ms, p99 {scans['p99_ms']:.1f} ms |",
        f"| /healthz on the same server, same run | {health['per_second']:.0f} requests/s, "
        f"p50 {health['p50_ms']:.1f} ms, p99 {health['p99_ms']:.1f} ms |",
        f"| check-in throughput as a share of /healthz | {100 * ratio:.0f} % |",
        f"| app CPU per request, in-process ({IN_PROCESS} each, test client) | scan "
        f"{cpu_scan:.2f} ms, /healthz {cpu_health:.2f} ms ({cpu_scan / cpu_health:.1f}×) |",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
