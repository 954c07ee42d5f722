from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select

from ..accounts.access import Permission, by_token, requires
from ..accounts.models import StaffUser
from ..audit import services as audit
from ..audit.models import AuditAction
from ..core.contact import display_phone
from ..core.labels import options
from ..core.reference import dutch_level_label, language_name, sector_label
from ..core.spreadsheet import csv_text, xlsx_bytes
from ..employers.models import StandBooking
from ..employers.services import booking_for_token
from ..extensions import db
from ..followup.services import local_today, possible_owners
from ..scheduling.models import Event, EventStatus
from . import dashboard, groups, lists, notifications, pdf
from .forms import GroupForm, PeriodForm

bp = Blueprint("reports", __name__)


@bp.after_request
def no_store(response):
    # Lists of people: no browser or proxy cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


LIST_FORMATS = ("pdf", "csv", "xlsx")


def _download(build: Callable[[], lists.ListTable], list_format: str, stem: str) -> Response:
    """The list in one of LIST_FORMATS; an unknown format is a 404 before any list is built
    or any export is recorded."""
    if list_format not in LIST_FORMATS:
        abort(404)
    table = build()
    audit.record(AuditAction.EXPORTED_LIST, detail=f"{stem}.{list_format}")
    if list_format == "pdf":
        return Response(pdf.render(table), mimetype="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{stem}.pdf"'})
    if list_format == "csv":
        return Response(csv_text([c.label for c in table.columns], table.csv_rows()),
                        mimetype="text/csv", headers={
                            "Content-Disposition": f'attachment; filename="{stem}.csv"'})
    return Response(
        xlsx_bytes(table.title, [c.label for c in table.columns], table.csv_rows()),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


@bp.route("/staff/lists")
@requires(Permission.LISTS)
def all_lists():
    """Events of the last year and the coming ones, newest first: where the lists are."""
    today = local_today()
    events = dashboard.events_between(today - timedelta(days=365), today + timedelta(days=365))
    return render_template("reports/events.html", events=list(reversed(events)))


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
    return _download(lambda: build(event), list_format, f"{list_name}-{event.starts_at:%Y-%m-%d}")


@bp.route("/staff/events/<int:event_id>/lists/owner/<int:user_id>.<list_format>")
@requires(Permission.LISTS)
def owner_list(event_id: int, user_id: int, list_format: str):
    event = _event_or_404(event_id)
    owner = db.session.get(StaffUser, user_id) or abort(404)
    return _download(lambda: lists.follow_up(event, owner=owner), list_format,
                     f"follow-up-{event.starts_at:%Y-%m-%d}-{owner.id}")


@bp.route("/staff/events/<int:event_id>/lists/employer/<int:booking_id>.<list_format>")
@requires(Permission.LISTS)
def employer_list(event_id: int, booking_id: int, list_format: str):
    booking = db.session.get(StandBooking, booking_id)
    if booking is None or booking.event_id != event_id:
        abort(404)
    return _download(lambda: lists.for_employer(booking), list_format,
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
    return _download(lambda: lists.for_employer(booking), list_format,
                     f"conversations-{booking.event.starts_at:%Y-%m-%d}")


# --- dashboard ------------------------------------------------------------------------------


FUNNEL_LABELS = {
    "registered": _l("Registered"), "attended": _l("Came"), "talked": _l("Talked with an "
                                                                         "employer"),
    "follow_up": _l("Follow-up"), "interview": _l("Interview"), "placed": _l("Placed"),
}


def _period() -> tuple[PeriodForm, list[Event], str]:
    """The events the figures cover, from the GET form; a wrong date is a field error."""
    form = PeriodForm(request.args)
    all_events = list(db.session.scalars(
        select(Event).where(Event.status != EventStatus.CANCELLED)
        .order_by(Event.starts_at.desc())))
    form.event.choices = options([("", _("All events in the period")),
                                  *((str(e.id), f"{e.title} · {format_date(e.starts_at)}")
                                    for e in all_events)])
    today = local_today()
    if not form.validate():
        form.start.data = form.end.data = None
    chosen = next((e for e in all_events if str(e.id) == form.event.data), None)
    if chosen is not None:
        return form, [chosen], chosen.title
    start = form.start.data or today - timedelta(days=365)
    end = form.end.data or today
    return form, dashboard.events_between(start, end), _(
        "%(start)s to %(end)s", start=format_date(start), end=format_date(end))


def _chart_args() -> dict:
    return {key: value for key, value in request.args.items()
            if key in ("event", "start", "end") and value}


@bp.route("/staff/dashboard/outcomes")
@requires(Permission.DASHBOARD)
def outcomes_dashboard():
    form, events, scope = _period()
    result = dashboard.figures(events)
    return render_template(
        "reports/dashboard.html", form=form, result=result, scope=scope,
        funnel=[(str(FUNNEL_LABELS[key]), value) for key, value in result.funnel()],
        national=dashboard.NATIONAL_WORK_SHARE, chart_args=_chart_args(),
        interpreters=dashboard.interpreter_coverage(events))


def _svg(data: bytes) -> Response:
    response = Response(data, mimetype="image/svg+xml")
    # The chart carries its own <style>; as an image it runs nothing and loads nothing.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    return response


@bp.route("/staff/dashboard/outcomes/<chart>.svg")
@requires(Permission.DASHBOARD)
def outcomes_chart(chart: str):
    _form, events, scope = _period()
    if chart == "interpreters":
        coverage = dashboard.interpreter_coverage(events)
        return _svg(dashboard.coverage_svg(
            coverage, {row.language: language_name(row.language) for row in coverage.languages},
            _("Interpreting need per language"), _("Need"), _("Covered by the plan")))
    result = dashboard.figures(events)
    if chart == "funnel":
        labels = [(str(FUNNEL_LABELS[key]), value) for key, value in result.funnel()]
        return _svg(dashboard.funnel_svg(labels, _("From registering to a place")))
    if chart == "within":
        return _svg(dashboard.within_svg(
            result, _("Placed within months of the first event"), _("Work"),
            _("Work, internship or training"), _("National: 11% work in three years")))
    abort(404)


# --- groups ---------------------------------------------------------------------------------


def _group_from_args():
    form = GroupForm(request.args)
    searched = any(request.args.get(key) for key in ("sector", "dutch_level", "experience"))
    if not searched or not form.validate():
        return form, None
    return form, groups.find_group(
        sector=form.sector.data or "", dutch_level=form.dutch_level.data or "",
        experience=form.experience.data or "", minimum=form.minimum.data or 8)


@bp.route("/staff/groups")
@requires(Permission.LISTS)
def find_groups():
    form, group = _group_from_args()
    return render_template("reports/groups.html", form=form, group=group,
                           csv_args={k: v for k, v in request.args.items() if v})


@bp.route("/staff/groups.csv")
@requires(Permission.LISTS)
def groups_csv():
    _form, group = _group_from_args()
    people = group.people if group else []
    header = [_("First name"), _("Last name"), _("Latin letters"), _("E-mail"), _("Phone"),
              _("Languages"), _("Dutch"), _("Sectors"), _("Experience"), _("Coach")]
    rows = [(c.first_name, c.last_name, c.latin_name, c.email or "",
             display_phone(c.phone) if c.phone else "",
             ", ".join(language_name(lang.code) for lang in c.languages),
             dutch_level_label(c.dutch_level), ", ".join(sector_label(s.code) for s in c.sectors),
             c.experience, c.coach.name if c.coach else "") for c in people]
    audit.record(AuditAction.EXPORTED_LIST, detail="group.csv")
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="group.csv"'})
