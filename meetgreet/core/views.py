from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, session, url_for
from sqlalchemy import text

from ..accounts.access import public
from ..extensions import db
from .i18n import LOCALES

bp = Blueprint("core", __name__)


@bp.route("/language", methods=["POST"])
@public
def switch_language():
    locale = request.form.get("locale", "")
    if locale not in LOCALES:
        abort(400)
    session["locale"] = locale
    # Back to the page the switch was pressed on, same site only: a path starting // or /\
    # is another site to a browser.
    target = urlsplit(request.referrer or "")
    if (target.netloc == request.host and target.path.startswith("/")
            and not target.path.startswith(("//", "/\\"))):
        return redirect(target.path + (f"?{target.query}" if target.query else ""))
    return redirect(url_for("scheduling.public_events"))


@bp.route("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "database": "ok"}
