"""Fixtures: the app on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL, a real SMTP
server, a live HTTP server and a real Chromium. In CI a missing part fails instead of skipping."""

import contextvars
import os
import re
import socket
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from meetgreet import create_app
from meetgreet.accounts.models import Role
from meetgreet.accounts.services import create_staff_user
from meetgreet.extensions import db, limiter

from .support.mail import SmtpRecorder

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PASSWORD = "correct horse battery"


def missing(reason: str):
    """Skip on a developer's machine; fail in CI, where every part must be present."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: a missing part may not pass silently)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_server():
    recorder = SmtpRecorder(port=free_port())
    recorder.start()
    yield recorder
    recorder.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.messages.clear()
    return smtp_server


@pytest.fixture
def mail_server_down(app, monkeypatch):
    """Mail goes to a port where nothing listens: every send fails to connect."""
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())


def _database_url(backend: str, tmp_path_factory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        missing("TEST_DATABASE_URL is not set, so the PostgreSQL run is skipped")
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _reset_schema() -> None:
    """Start the session from an empty database, whatever an earlier run left behind."""
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory, smtp_server):
    from flask_migrate import upgrade

    engine_options = {}
    if request.param == "postgresql":
        # Room for the concurrency tests' parallel requests through the threaded live server
        # (max_connections is 100 and another test database may share the server).
        engine_options.update(pool_size=5, max_overflow=35)
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(request.param, tmp_path_factory),
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "SERVER_NAME": None,
    })
    app.config["DATABASE_BACKEND"] = request.param
    with app.app_context():
        try:
            db.session.execute(text("SELECT 1"))
        except Exception as error:  # noqa: BLE001
            missing(f"database {request.param} unreachable: {error}")
        _reset_schema()
        upgrade(revision="heads")  # the real migrations build the schema the tests run on
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Each test starts with empty tables and fresh rate limits."""
    if "app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
        yield
        db.session.rollback()
        db.session.remove()
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - our own names


class Client(FlaskClient):
    """A test client that fills in the CSRF token the way a browser form does.

    Each request runs in an empty context, as on a real server: otherwise Flask would reuse
    the test's app context, and `g` (the logged-in user) and the db session would leak
    from one request into the next.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def csrf_token(self, url: str = "/login") -> str:
        page = self.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
            r'name="csrf_token" value="([^"]+)"', page
        )
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, *, form_url: str | None = None, **kw):
        data = {"csrf_token": self.csrf_token(form_url or url), **(data or {})}
        return self.post(url, data=data, **kw)


@pytest.fixture
def client(app):
    app.test_client_class = Client
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_staff(app):
    counter = iter(range(1, 10_000))

    def make(role: Role | str = Role.ADMIN, *, email: str | None = None, name: str = "Sam Staff"):
        role = Role(role)
        email = email or f"{role.value}{next(counter)}@example.org"
        return create_staff_user(email, name, role, PASSWORD)

    return make


@pytest.fixture
def login(client, make_staff):
    """Log the test client in as a new staff member of `role`; returns that user."""

    def log_in(role: Role | str = Role.ADMIN):
        user = make_staff(role)
        response = client.submit("/login", {"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return log_in


# --- a live server and a real browser -------------------------------------------------


@pytest.fixture(scope="session")
def live_server(app):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        missing(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # A phone-sized screen: most candidates and door volunteers use one.
    context = browser.new_context(
        base_url=live_server, viewport={"width": 390, "height": 844}, locale="nl-NL",
        bypass_csp=True,  # only so the test can inject axe-core; the app's CSP stays strict
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
