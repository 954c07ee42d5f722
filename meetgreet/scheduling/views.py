from flask import Blueprint, Response, abort, render_template

from ..accounts.access import Permission, requires
from .services import event_invitation, public_event_or_none, upcoming_events

bp = Blueprint("scheduling", __name__)


@bp.route("/")
def public_events():
    return render_template("public/events.html", events=upcoming_events(public_only=True))


@bp.route("/events/<int:event_id>")
def public_event(event_id: int):
    event = public_event_or_none(event_id) or abort(404)
    return render_template("public/event.html", event=event)


@bp.route("/events/<int:event_id>/event.ics")
def event_ics(event_id: int):
    event = public_event_or_none(event_id) or abort(404)
    return Response(
        event_invitation(event),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="meet-and-greet-{event.id}.ics"'},
    )


@bp.route("/staff/")
@requires(Permission.DASHBOARD)
def dashboard():
    return render_template("staff/dashboard.html", events=upcoming_events(limit=12))
