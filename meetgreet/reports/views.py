from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm

from ..accounts.access import Permission, by_token, requires
from ..accounts.models import StaffUser
from ..core.spreadsheet import csv_text
from ..employers.models import StandBooking
from ..employers.services import booking_for_token
from ..extensions import db
from ..followup.services import possible_owners
from ..scheduling.models import Event
from . import lists, notifications, pdf

bp = Blueprint("reports", __name__)
FORMATS = ("pdf", "csv")


@bp.after_request
def no_store(response):
    # Lists of people: no browser or proxy cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _download(table: lists.ListTable, list_format: str, stem: str) -> Response:
    if list_format == "pdf":
        return Response(pdf.render(table), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{stem}.pdf"'})
    if list_format == "csv":
        return Response(csv_text([c.label for c in table.columns], table.csv_rows()),
                        mimetype="text/csv", headers={
                            "Content-Disposition": f'attachment; filename="{stem}.csv"'})
    abort(404)


@bp.route("/staff/events/<int:event_id>/lists")
@requires(Permission.LISTS)
def event_lists(event_id: int):
    event = _event_or_404(event_id)
    tables = {name: build(event) for name, build in lists.EVENT_LISTS.items()}
    return render_template(
        "reports/lists.html", event=event, tables=tables, owners=possible_owners(),
        stands=lists._confirmed_stands(event), send_form=FlaskForm(),
        with_conversations=notifications.bookings_with_conversations(event))


@bp.route("/staff/events/<int:event_id>/lists/<list_name>.<list_format>")
@requires(Permission.LISTS)
def event_list(event_id: int, list_name: str, list_format: str):
    event = _event_or_404(event_id)
    build = lists.EVENT_LISTS.get(list_name) or abort(404)
    return _download(build(event), list_format, f"{list_name}-{event.starts_at:%Y-%m-%d}")


@bp.route("/staff/events/<int:event_id>/lists/owner/<int:user_id>.<list_format>")
@requires(Permission.LISTS)
def owner_list(event_id: int, user_id: int, list_format: str):
    event = _event_or_404(event_id)
    owner = db.session.get(StaffUser, user_id) or abort(404)
    return _download(lists.follow_up(event, owner=owner), list_format,
                     f"follow-up-{event.starts_at:%Y-%m-%d}-{owner.id}")


@bp.route("/staff/events/<int:event_id>/lists/employer/<int:booking_id>.<list_format>")
@requires(Permission.LISTS)
def employer_list(event_id: int, booking_id: int, list_format: str):
    booking = db.session.get(StandBooking, booking_id)
    if booking is None or booking.event_id != event_id:
        abort(404)
    return _download(lists.for_employer(booking), list_format,
                     f"conversations-{booking.event.starts_at:%Y-%m-%d}-{booking.id}")


@bp.route("/staff/events/<int:event_id>/lists/send-to-employers", methods=["POST"])
@requires(Permission.LISTS)
def send_to_employers(event_id: int):
    event = _event_or_404(event_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    sent = notifications.send_employer_lists(event)
    if sent:
        flash(_("Lists sent to %(count)d employer(s).", count=sent), "success")
    else:
        flash(_("No employer had conversations recorded, so nothing was sent."), "warning")
    return redirect(url_for(".event_lists", event_id=event.id))


@bp.route("/stands/manage/<token>/conversations.<list_format>")
@by_token("stand")
def stand_list(token: str, list_format: str):
    booking = booking_for_token(token) or abort(404)
    return _download(lists.for_employer(booking), list_format,
                     f"conversations-{booking.event.starts_at:%Y-%m-%d}")
