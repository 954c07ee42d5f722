from flask import Blueprint, render_template

from ..accounts.access import Permission, requires
from .services import upcoming_events

bp = Blueprint("scheduling", __name__)


@bp.route("/")
def public_events():
    return render_template("public/events.html", events=upcoming_events(public_only=True))


@bp.route("/staff/")
@requires(Permission.DASHBOARD)
def dashboard():
    return render_template("staff/dashboard.html", events=upcoming_events(limit=12))
