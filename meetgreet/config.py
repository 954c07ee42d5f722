"""Configuration from environment variables, with safe defaults for development."""

import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production below


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'meetgreet.sqlite'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigError(RuntimeError):
    """The environment does not allow the app to start safely."""


def from_environment() -> dict:
    production = os.environ.get("MEETGREET_ENV", os.environ.get("FLASK_ENV", "")) == "production"
    secret_key = os.environ.get("SECRET_KEY", "")
    if production and (len(secret_key) < 32 or secret_key == DEV_SECRET_KEY):
        raise ConfigError(
            "SECRET_KEY must be set to a random string of at least 32 characters in production."
        )
    # Memory is fine for one development process; production runs several (gunicorn workers,
    # app servers) that must share the limits, so it needs a shared store such as Redis.
    ratelimit_storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    if production and ratelimit_storage.startswith("memory://"):
        raise ConfigError(
            "RATELIMIT_STORAGE_URI must point to a shared store in production, "
            "e.g. redis://127.0.0.1:6379/0."
        )
    return {
        "PRODUCTION": production,
        "SECRET_KEY": secret_key or DEV_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        # Pooled connections idle this long are pinged before use (core/database.py).
        "DATABASE_PING_AFTER_IDLE": float(os.environ.get("DATABASE_PING_AFTER_IDLE", "1")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "RATELIMIT_STORAGE_URI": ratelimit_storage,
        # Redis down must not close the door: each process then counts on its own until it is back.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        # An unreachable store raises limits' StorageError, which the door's own limit catches.
        "RATELIMIT_STORAGE_OPTIONS": {"wrap_exceptions": True},
        # X-RateLimit-* headers cost two Redis round trips per request and no client reads them.
        "RATELIMIT_HEADERS_ENABLED": os.environ.get("RATELIMIT_HEADERS_ENABLED", "") == "1",
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "smtp" if production else "outbox"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Meet & Greet <meetgreet@localhost>"),
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "10")),
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "WerkgeversServicepunt"),
        # Stands: links in mails sent from cron (no request to take the host from).
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Per scanner (device token or staff member): generous, a busy door scans ~2 per second.
        "CHECKIN_RATE_LIMIT": os.environ.get("CHECKIN_RATE_LIMIT", "600 per minute"),
        "STAND_RATE_LIMIT": os.environ.get("STAND_RATE_LIMIT", "10 per minute"),
        "OFFER_HOURS": int(os.environ.get("OFFER_HOURS", "48")),
        # Only the concurrency control test turns this off, to show the race it prevents.
        "STAND_LOCKING": True,
        # The privacy text on the candidate form: "consent", "public_task" or
        # "legitimate_interest" pick a translated sentence; any other text is shown as it is.
        "PRIVACY_LEGAL_BASIS": os.environ.get("PRIVACY_LEGAL_BASIS", "public_task"),
        # The retention run (`flask privacy retention`, daily from cron): how long each kind
        # of data is kept. Candidates in follow-up are kept until it ends (18 months); the
        # registration form tells candidates RETENTION_REGISTRATION_DAYS.
        "RETENTION_REGISTRATION_DAYS": int(os.environ.get("RETENTION_REGISTRATION_DAYS", "90")),
        "RETENTION_EMPLOYER_MONTHS": int(os.environ.get("RETENTION_EMPLOYER_MONTHS", "24")),
        "RETENTION_AUDIT_MONTHS": int(os.environ.get("RETENTION_AUDIT_MONTHS", "24")),
        "RETENTION_CHECKIN_LOG_DAYS": int(os.environ.get("RETENTION_CHECKIN_LOG_DAYS", "90")),
        "RETENTION_OUTBOX_DAYS": int(os.environ.get("RETENTION_OUTBOX_DAYS", "30")),
    }
