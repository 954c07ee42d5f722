from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.access import Permission, requires
from ..audit import services as audit
from ..audit.models import AuditAction
from ..candidates.models import Registration
from ..checkin.models import BadgeCode
from ..extensions import db
from ..scheduling.models import Event
from . import services
from .render import LAYOUTS, render_badges

bp = Blueprint("badges", __name__)


def _event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _pdf(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # names of people
    return response


@bp.route("/staff/events/<int:event_id>/badges")
@requires(Permission.LISTS)
def event_page(event_id: int):
    """Read-only: counts what each print would hold; the badge codes are made at printing."""
    event = _event(event_id)
    registrations = services.candidate_registrations(event)
    staff_members = services.staff_members()
    counts = {"candidates": len(registrations),
              "employers": services.employer_badge_count(event),
              "interpreters": services.interpreter_badge_count(),
              "staff": len(staff_members)}
    # (value, name) for the selection forms: candidates by reference, staff by account number
    people = [(registration.ref, registration.candidate.display_name)
              for registration in registrations]
    staff = [(str(user.id), user.name) for user in staff_members]
    return render_template("badges/event.html", event=event, counts=counts,
                           layouts=list(LAYOUTS), people=people, staff=staff)


@bp.route("/staff/events/<int:event_id>/badges.pdf")
@requires(Permission.LISTS)
def event_pdf(event_id: int):
    event = _event(event_id)
    kind = request.args.get("kind", "candidates")
    layout = request.args.get("layout", "a4-10")
    if kind not in services.KINDS or layout not in LAYOUTS:
        abort(400)
    refs = request.args.getlist("ref") or None
    data = services.event_badges_pdf(event, kind, layout, refs)
    if data is None:
        flash(_("There are no badges to print for this choice."), "warning")
        return redirect(url_for("badges.event_page", event_id=event.id))
    audit.record(AuditAction.PRINTED_BADGES, event, f"{kind}, {layout}")
    return _pdf(data, f"badges-{event.starts_at:%Y-%m-%d}-{kind}-{layout}.pdf")


def _one_badge(badge, subject):
    """One badge from the door, on a label unless another layout is asked for."""
    layout = request.args.get("layout", "label-90x54")
    if layout not in LAYOUTS:
        abort(400)
    data = render_badges([badge], layout)
    audit.record(AuditAction.PRINTED_BADGES, subject, layout)
    return _pdf(data, f"badge-{layout}.pdf")


@bp.route("/door/events/<int:event_id>/badges/<ref>.pdf")
@requires(Permission.CHECK_IN)
def door_badge(event_id: int, ref: str):
    """One candidate's badge, straight from the check-in answer or the walk-in form."""
    event = _event(event_id)
    registration = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.ref == ref)).first() or abort(404)
    return _one_badge(services.candidate_badge(registration), registration)


@bp.route("/door/events/<int:event_id>/badge-codes/<int:badge_id>.pdf")
@requires(Permission.CHECK_IN)
def door_badge_code(event_id: int, badge_id: int):
    """A representative's or an interpreter's badge, from the check-in answer."""
    event = _event(event_id)
    badge = db.session.scalars(select(BadgeCode).where(
        BadgeCode.event_id == event.id, BadgeCode.id == badge_id)).first() or abort(404)
    return _one_badge(services.badge_code_badge(badge), badge)
