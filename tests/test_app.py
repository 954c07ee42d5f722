import pytest

from meetgreet import create_app
from meetgreet.config import ConfigError


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("MEETGREET_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        create_app()


def test_production_refuses_rate_limits_kept_per_process(monkeypatch):
    monkeypatch.setenv("MEETGREET_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "memory://")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


def test_production_uses_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("MEETGREET_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'p.sqlite'}")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAIL_BACKEND"] == "smtp"


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/meetgreet")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/meetgreet"


def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    # A PostgreSQL port where nothing listens stands for a database that is down.
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
    })
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_app_module_exposes_the_app_for_the_flask_cli():
    import app as entry_point

    assert "staff" in entry_point.app.cli.commands
    assert "demo" in entry_point.app.cli.commands


def test_security_headers_on_every_page(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    # Scripts and styles fall back to default-src: our own server only, nothing inline.
    assert "default-src 'self'" in policy
    assert "script-src" not in policy and "style-src" not in policy
    assert "'unsafe-inline'" not in policy and "*" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
