"""The check-in API under gunicorn with PostgreSQL, loaded from a second process (wrk).

Target from the issue: at least 500 scans/s with p99 under 50 ms on this 2-core machine. The
same server also answers /healthz (one `SELECT 1`), so the ratio says how much the check-in
itself costs. Every scan is a first check-in of a different ticket (the write path: the claim
with its logged attempt), authenticated by a device token.

The server runs as in production: gunicorn with the top-level gunicorn.conf.py, rate limits
in Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/0). The load is wrk (C, one thread,
so the load itself takes little of the two cores) with CONNECTIONS keep-alive connections,
each one scanner sending its next scan as soon as the answer arrives: 12, the top of what a
busy door has (4 to 12 devices), so the figure is a door's worst case and the throughput is
capacity to spare, not a promise that 12 people scan 50 times a second. bench/checkin.lua
gives each request the next ticket.

A door runs for hours: a short warm-up (pooled connections opened, statements prepared)
comes before RUNS measured runs of SECONDS each, each on tickets of its own; the run with
the median throughput is the figure, and all runs are listed, because a shared machine moves
these figures from run to run. For the same reason the run also measures CPU time per request
in this process (Flask test client, same database and Redis), which load on other cores
hardly moves: a scan's cost against /healthz's.

Needs PostgreSQL (BENCH_DATABASE_URL: a database it may empty!), Redis and wrk (`make bench`
installs Debian's package when it can). Without one of them the benchmark is skipped with a
message, not silently.
"""

import json
import os
import runpy
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 12
WARM_UP_SECONDS = 2
SECONDS = 10
RUNS = 3
PER_RUN = 9000  # tickets per measured run: more than the fastest run scans
WARM_UP = 2000
IN_PROCESS = 500  # scans (and /healthz calls) timed in this process, on tickets of their own
TICKETS = WARM_UP + RUNS * PER_RUN + IN_PROCESS


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
        # As after any bulk load, well before an event: statistics fresh, no autovacuum to come.
        with db.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                text("VACUUM ANALYZE"))
        db.engine.dispose()
    return event_id, codes, token


def _drive(port: int, path: str, seconds: float, bodies: list[str] | None = None,
           token: str = "") -> dict:
    """wrk against `path`: GET, or POST of each of `bodies` once (see bench/checkin.lua)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl") as file:
        file.write("".join(f"{body}\n" for body in bodies or ()))
        file.flush()
        result = subprocess.run(
            ["wrk", "--threads", "1", "--connections", str(CONNECTIONS), "--duration",
             f"{seconds}s", "--script", str(ROOT / "bench" / "checkin.lua"),
             f"http://127.0.0.1:{port}", "--", file.name if bodies else ""],
            env={**os.environ, "BENCH_PATH": path, "BENCH_AUTHORIZATION": f"Bearer {token}"},
            capture_output=True, text=True, check=True, timeout=seconds + 60)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["status_errors"] == figures["socket_errors"] == 0, result.stdout
    # Each ticket once: a run that went through them all would scan some a second time.
    assert bodies is None or figures["requests"] < len(bodies), "raise PER_RUN"
    return figures


def _wait_until_up(port: int) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("gunicorn did not come up")


def _scan_bodies(codes: list[str]) -> list[str]:
    return [json.dumps({"code": code, "nonce": uuid.uuid4().hex}) for code in codes]


def _cpu_per_request(settings: dict, path: str, bodies: list[str], token: str
                     ) -> tuple[float, float]:
    """Milliseconds of this process's CPU per /healthz and per scan, through the test client."""
    from meetgreet import create_app
    from meetgreet.extensions import db

    app = create_app(settings)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def cpu_ms(requests: list[tuple[str, str | None]]) -> float:
        started = time.process_time()
        for url, body in requests:
            response = (client.post(url, headers=headers, data=body) if body
                        else client.get(url))
            assert response.status_code == 200, response.get_data(as_text=True)
        return 1000 * (time.process_time() - started) / len(requests)

    cpu_ms([("/healthz", None)] * 50)  # warm up: first requests compile and connect
    health = cpu_ms([("/healthz", None)] * len(bodies))
    scans = cpu_ms([(path, body) for body in bodies])
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


def _missing() -> str | None:
    url = os.environ.get("BENCH_DATABASE_URL")
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    if not url:
        return "set BENCH_DATABASE_URL to a PostgreSQL database the benchmark may empty"
    if down := _redis_down(redis_url):
        return f"Redis at {redis_url} unreachable ({down}); set BENCH_REDIS_URL"
    if shutil.which("wrk") is None:
        return "wrk not found (Debian: apt-get install wrk)"
    return None


def _figures(figures: dict) -> str:
    return (f"{figures['requests'] / figures['seconds']:.0f} scans/s, "
            f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms")


def run() -> list[str]:
    if problem := _missing():
        message = f"check-in API under gunicorn | skipped: {problem}"
        print(message, file=sys.stderr)
        return [f"| {message} |"]
    url = os.environ["BENCH_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    event_id, codes, token = _prepare(url)
    path = f"/api/events/{event_id}/checkins"
    bodies = _scan_bodies(codes)
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
        _drive(port, path, WARM_UP_SECONDS, bodies[:WARM_UP], token)
        health = _drive(port, "/healthz", SECONDS)
        runs = [_drive(port, path, SECONDS,
                       bodies[WARM_UP + n * PER_RUN:WARM_UP + (n + 1) * PER_RUN], token)
                for n in range(RUNS)]
    finally:
        server.terminate()
        server.wait(timeout=30)
    cpu_health, cpu_scan = _cpu_per_request(
        {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_STORAGE_URI": redis_url,
         "CHECKIN_RATE_LIMIT": env["CHECKIN_RATE_LIMIT"]}, path, bodies[-IN_PROCESS:], token)
    runs.sort(key=lambda figures: figures["requests"])
    median = runs[len(runs) // 2]
    ratio = (median["requests"] / median["seconds"]) / (health["requests"] / health["seconds"])
    setup = (f"gunicorn.conf.py: {settings['workers']} workers × {settings['threads']} "
             f"threads; PostgreSQL, Redis rate limits; wrk, {CONNECTIONS} keep-alive "
             f"connections (scanners); {WARM_UP_SECONDS} s warm-up, then {RUNS} runs of "
             f"{SECONDS} s")
    return [
        f"| check-in API, first check-ins ({setup}): median run | {_figures(median)} |",
        f"| check-in API, each run | {'; '.join(_figures(figures) for figures in runs)} |",
        f"| /healthz on the same server, same connections | "
        f"{health['requests'] / health['seconds']:.0f} requests/s, "
        f"p50 {health['p50_ms']:.1f} ms, p99 {health['p99_ms']:.1f} ms |",
        f"| check-in throughput (median run) as a share of /healthz | {100 * ratio:.0f} % |",
        f"| app CPU per request, in-process ({IN_PROCESS} each, test client) | scan "
        f"{cpu_scan:.2f} ms, /healthz {cpu_health:.2f} ms ({cpu_scan / cpu_health:.1f}×) |",
    ]


if __name__ == "__main__":
    print("\n".join(run()))
