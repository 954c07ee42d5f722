"""`make bench`: runs every benchmark and writes the figures to bench/RESULTS.md.

Figures come from this machine (2 cores); they are for comparing changes, not promises.
"""

import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from meetgreet import create_app
from meetgreet.demo.services import load_demo
from meetgreet.extensions import db

from . import badges, checkin, interpreters

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def bench_demo_load(workdir: Path) -> list[str]:
    """Fresh schema plus the whole demo region, as `make run` does the first time."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}"})
    with app.app_context():
        started = time.perf_counter()
        upgrade()
        migrated = time.perf_counter()
        load_demo()
        loaded = time.perf_counter()
        db.engine.dispose()
    return [
        f"| migrate an empty SQLite database | {1000 * (migrated - started):.0f} ms |",
        f"| load the demo region (300 candidates, 30 employers) | "
        f"{1000 * (loaded - migrated):.0f} ms |",
    ]


def bench_public_page(workdir: Path, requests: int = 300) -> list[str]:
    """The public event list rendered in-process (no network), with the demo data."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{workdir / 'bench.sqlite'}"})
    client = app.test_client()
    client.get("/")
    started = time.perf_counter()
    for _ in range(requests):
        assert client.get("/", headers={"Accept-Language": "uk"}).status_code == 200
    elapsed = time.perf_counter() - started
    return [f"| public event list, in-process | {requests / elapsed:.0f} pages/s "
            f"({1000 * elapsed / requests:.1f} ms each) |"]


def main() -> None:
    rows: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for benchmark in (bench_demo_load, bench_public_page):
            rows += benchmark(workdir)
    # The pure parts need no database.
    for module in (badges, interpreters):
        rows += module.run()
    # The check-in API under gunicorn needs PostgreSQL (BENCH_DATABASE_URL), else it says so.
    rows += checkin.run()
    report = "\n".join([
        "# Benchmark figures",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `make bench` on "
        f"{platform.machine()}, Python {sys.version.split()[0]}.",
        "",
        "| what | figure |",
        "|---|---|",
        *rows,
        "",
    ])
    RESULTS.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
