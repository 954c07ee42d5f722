from flask import Blueprint, render_template

from ..accounts.access import Permission, requires
from ..scheduling.services import upcoming_events

bp = Blueprint("checkin", __name__)


@bp.route("/door/")
@requires(Permission.CHECK_IN)
def choose_event():
    """The door starts by choosing the event; scanning arrives with the check-in issue."""
    return render_template("checkin/choose_event.html", events=upcoming_events(limit=5))
