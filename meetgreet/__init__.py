"""meetgreet: the employer Meet & Greets of a WerkgeversServicepunt."""

from pathlib import Path

from flask import Flask

from . import config
from .extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(config.INSTANCE_DIR),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _bind_extensions(app)
    _register_blueprints(app)
    _register_cli(app)

    from .core import errors, web

    errors.register(app)
    web.register(app)
    return app


def _bind_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - every table known to SQLAlchemy and Alembic
    from .accounts.services import load_session_user
    from .core.database import ping_idle_connections
    from .core.i18n import select_locale

    db.init_app(app)
    with app.app_context():
        ping_idle_connections(db.engine, app.config["DATABASE_PING_AFTER_IDLE"])
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(load_session_user)


def _register_blueprints(app: Flask) -> None:
    from .accounts.views import bp as accounts
    from .audit.views import bp as audit
    from .badges.views import bp as badges
    from .candidates.views import bp as candidates
    from .checkin.views import bp as checkin
    from .core.views import bp as core
    from .employers.views import bp as employers
    from .followup.views import bp as followup
    from .interpreters.views import bp as interpreters
    from .mail.views import bp as mail
    from .privacy.views import bp as privacy
    from .reports.views import bp as reports
    from .scheduling.views import bp as scheduling

    for blueprint in (core, accounts, scheduling, employers, candidates, interpreters, checkin,
                      badges, mail, audit, followup, reports, privacy):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from .accounts.cli import staff_cli
    from .badges.cli import badges_cli
    from .demo.cli import demo_cli
    from .employers.cli import stands_cli
    from .followup.cli import followup_cli
    from .privacy.cli import privacy_cli

    app.cli.add_command(staff_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(stands_cli)
    app.cli.add_command(followup_cli)
    app.cli.add_command(badges_cli)
    app.cli.add_command(privacy_cli)
