from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from ..accounts.access import Permission, by_token, public, requires
from ..core.i18n import current_locale
from ..extensions import db
from . import services
from .forms import BlackoutForm, EventForm, MoveEventForm, PlanForm, SeriesForm, VenueForm
from .models import Event, EventStatus, Series, Venue, VenueBlackout

bp = Blueprint("scheduling", __name__)

EVENT_FIELDS = (
    "stand_count", "candidate_capacity", "theme", "employer_registration_opens_at",
    "employer_registration_closes_at", "candidate_registration_opens_at",
    "candidate_registration_closes_at", "description_nl", "description_en", "description_uk",
    "description_ru", "description_ar",
)
WINDOW_FIELDS = EVENT_FIELDS[3:7]


def _ics(body: bytes, filename: str) -> Response:
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'inline; filename="{filename}"'})


# --- public ------------------------------------------------------------------------


@bp.route("/")
@public
def public_events():
    series = db.session.scalars(select(Series).order_by(Series.name)).all()
    return render_template("public/events.html", events=services.upcoming_events(public_only=True),
                           series_list=series)


@bp.route("/events/<int:event_id>")
@public
def public_event(event_id: int):
    event = services.public_event_or_none(event_id) or abort(404)
    return render_template("public/event.html", event=event)


@bp.route("/events/<int:event_id>/event.ics")
@public
def event_ics(event_id: int):
    event = services.public_event_or_none(event_id) or abort(404)
    return _ics(services.event_invitation(event), f"meet-and-greet-{event.id}.ics")


@bp.route("/calendar/all.ics")
@public
def feed_all():
    return _ics(services.feed(), "meet-and-greet.ics")


@bp.route("/calendar/series/<int:series_id>.ics")
@public
def feed_series(series_id: int):
    series = db.session.get(Series, series_id) or abort(404)
    return _ics(services.feed(series=series), f"meet-and-greet-{series.id}.ics")


@bp.route("/calendar/staff/<token>.ics")
@by_token("staff-feed")
def feed_staff(token: str):
    if not services.staff_feed_token_matches(token):
        abort(404)
    return _ics(services.feed(include_drafts=True), "meet-and-greet-staff.ics")


# --- staff: dashboard and feeds ---------------------------------------------------------


@bp.route("/staff/")
@requires(Permission.DASHBOARD)
def dashboard():
    return render_template("staff/dashboard.html", events=services.upcoming_events(limit=12))


@bp.route("/staff/calendar-feeds")
@requires(Permission.EVENTS)
def calendar_feeds():
    return render_template("scheduling/feeds.html", token=services.staff_feed_token(),
                           series_list=db.session.scalars(select(Series)).all())


@bp.route("/staff/calendar-feeds/rotate", methods=["POST"])
@requires(Permission.STAFF_ACCOUNTS)
def rotate_staff_feed():
    services.rotate_staff_feed_token()
    flash(_("The staff calendar has a new address; the old one no longer works."), "success")
    return redirect(url_for(".calendar_feeds"))


# --- staff: venues -------------------------------------------------------------------------


@bp.route("/staff/venues")
@requires(Permission.EVENTS)
def venues():
    return render_template("scheduling/venues.html",
                           venues=db.session.scalars(select(Venue).order_by(Venue.name)).all())


@bp.route("/staff/venues/new", methods=["GET", "POST"])
@bp.route("/staff/venues/<int:venue_id>", methods=["GET", "POST"])
@requires(Permission.EVENTS)
def edit_venue(venue_id: int | None = None):
    venue = (db.session.get(Venue, venue_id) or abort(404)) if venue_id else None
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        if venue is None:
            venue = Venue()
            db.session.add(venue)
        form.populate_obj(venue)
        db.session.commit()
        flash(_("Venue saved."), "success")
        return redirect(url_for(".edit_venue", venue_id=venue.id))
    return render_template("scheduling/venue.html", venue=venue, form=form,
                           blackout_form=BlackoutForm(prefix="blackout"))


@bp.route("/staff/venues/<int:venue_id>/blackouts", methods=["POST"])
@requires(Permission.EVENTS)
def add_blackout(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = BlackoutForm(prefix="blackout")
    if not form.validate_on_submit():
        return render_template("scheduling/venue.html", venue=venue, form=VenueForm(obj=venue),
                               blackout_form=form), 400
    venue.blackouts.append(VenueBlackout(starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                         reason=form.reason.data.strip()))
    db.session.commit()
    flash(_("Unavailable period added."), "success")
    return redirect(url_for(".edit_venue", venue_id=venue.id))


@bp.route("/staff/venues/<int:venue_id>/blackouts/<int:blackout_id>/delete", methods=["POST"])
@requires(Permission.EVENTS)
def delete_blackout(venue_id: int, blackout_id: int):
    blackout = db.session.get(VenueBlackout, blackout_id)
    if blackout is None or blackout.venue_id != venue_id:
        abort(404)
    db.session.delete(blackout)
    db.session.commit()
    flash(_("Unavailable period removed."), "success")
    return redirect(url_for(".edit_venue", venue_id=venue_id))


# --- staff: series and planning ----------------------------------------------------------


def _venue_choices(form: SeriesForm) -> None:
    form.venue_id.choices = [(v.id, v.name) for v in
                             db.session.scalars(select(Venue).order_by(Venue.name))]


@bp.route("/staff/series")
@requires(Permission.EVENTS)
def series_list():
    return render_template("scheduling/series_list.html",
                           series_list=db.session.scalars(select(Series).order_by(Series.name)).all())


@bp.route("/staff/series/new", methods=["GET", "POST"])
@requires(Permission.EVENTS)
def create_series():
    form = SeriesForm()
    _venue_choices(form)
    if not form.venue_id.choices:
        flash(_("Add a venue first."), "error")
        return redirect(url_for(".edit_venue"))
    if form.validate_on_submit():
        series = Series()
        form.populate_obj(series)
        series.name = series.name.strip()
        db.session.add(series)
        db.session.commit()
        return redirect(url_for(".plan_series", series_id=series.id))
    return render_template("scheduling/series_form.html", form=form)


@bp.route("/staff/series/<int:series_id>")
@requires(Permission.EVENTS)
def show_series(series_id: int):
    series = db.session.get(Series, series_id) or abort(404)
    rows, previous = [], None
    for event in series.events:
        gap = ((services.local_day(event.starts_at) - previous).days
               if previous and event.status is not EventStatus.CANCELLED else None)
        rows.append((event, gap))
        if event.status is not EventStatus.CANCELLED:
            previous = services.local_day(event.starts_at)
    return render_template("scheduling/series.html", series=series, rows=rows)


@bp.route("/staff/series/<int:series_id>/plan", methods=["GET", "POST"])
@requires(Permission.EVENTS)
def plan_series(series_id: int):
    series = db.session.get(Series, series_id) or abort(404)
    # Looking at a proposal changes nothing (GET, no CSRF); confirming it does (POST).
    form = PlanForm(request.values or None, meta={"csrf": request.method == "POST"})
    plan = None
    if request.values and form.validate():
        try:
            plan = services.propose(series, first_date=form.first_date.data, count=form.count.data,
                                    until=form.until.data, language=current_locale())
        except services.SchedulingError as error:
            form.first_date.errors.append(str(error))
        else:
            if request.method == "POST" and request.form.get("confirm"):
                created = services.confirm_plan(series, plan)
                flash(ngettext("%(num)d event planned as a draft.",
                               "%(num)d events planned as drafts.", len(created)), "success")
                return redirect(url_for(".show_series", series_id=series.id))
    return render_template("scheduling/plan.html", series=series, form=form, plan=plan,
                           describe=services.describe_blockers)


# --- staff: one event ----------------------------------------------------------------------


def _event_form(event: Event, formdata=None) -> EventForm:
    form = EventForm(formdata, obj=event, venue=event.venue)
    if formdata is None:
        start = event.starts_at.astimezone(services.AMSTERDAM)
        form.day.data, form.starts_at.data = start.date(), start.time()
        form.ends_at.data = event.ends_at.astimezone(services.AMSTERDAM).time()
        form.version.data = event.version
        for name in WINDOW_FIELDS:
            value = getattr(event, name)
            getattr(form, name).data = (value.astimezone(services.AMSTERDAM).replace(tzinfo=None)
                                        if value else None)
    return form


def _render_event(event: Event, form: EventForm, move_form: MoveEventForm | None = None,
                  status: int = 200):
    move_form = move_form or MoveEventForm(version=event.version)
    return render_template(
        "scheduling/event.html", event=event, form=form, move_form=move_form,
        transitions=services.allowed_transitions(event),
        spacing=services.spacing_warning(event),
    ), status


@bp.route("/staff/events/<int:event_id>", methods=["GET", "POST"])
@requires(Permission.EVENTS)
def edit_event(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    if request.method == "GET":
        return _render_event(event, _event_form(event))
    form = _event_form(event, request.form)
    if not form.validate():
        return _render_event(event, form, status=400)
    fields = {name: getattr(form, name).data for name in EVENT_FIELDS}
    for name in WINDOW_FIELDS:
        if fields[name] is not None:
            fields[name] = fields[name].replace(tzinfo=services.AMSTERDAM).astimezone(services.UTC)
    for name in EVENT_FIELDS:
        if isinstance(fields[name], str):
            fields[name] = fields[name].strip()
    try:
        services.update_event(event, expected_version=_version(form.version.data),
                              day=form.day.data, starts_at=form.starts_at.data,
                              ends_at=form.ends_at.data, **fields)
    except services.VersionConflict as error:
        db.session.rollback()
        db.session.refresh(event)
        form.version.errors.append(str(error))
        flash(_("Not saved: someone else changed this event. Reload to see their changes."),
              "error")
        return _render_event(event, form, status=409)
    flash(_("Event saved."), "success")
    return redirect(url_for(".edit_event", event_id=event.id))


def _version(raw) -> int:
    return int(raw) if str(raw).isdecimal() else -1


@bp.route("/staff/events/<int:event_id>/status", methods=["POST"])
@requires(Permission.EVENTS)
def change_status(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    try:
        new_status = EventStatus(request.form.get("status", ""))
        if new_status is EventStatus.CANCELLED:
            abort(400)  # cancelling has its own confirmation step
        if _version(request.form.get("version")) != event.version:
            raise services.VersionConflict(_("Someone else changed this event in the meantime."))
        services.change_status(event, new_status)
    except ValueError as error:
        flash(str(error) if isinstance(error, services.SchedulingError)
              else _("This change of status is not possible."), "error")
    else:
        flash(_("Status changed."), "success")
    return redirect(url_for(".edit_event", event_id=event.id))


@bp.route("/staff/events/<int:event_id>/move", methods=["POST"])
@requires(Permission.EVENTS)
def move_event(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    move_form = MoveEventForm()
    if not move_form.validate_on_submit():
        return _render_event(event, _event_form(event), move_form, status=400)
    try:
        replans = services.move_event(event, move_form.day.data,
                                      expected_version=_version(move_form.version.data),
                                      language=current_locale())
    except services.SchedulingError as error:
        db.session.rollback()
        move_form.day.errors.append(str(error))
        return _render_event(event, _event_form(event), move_form, status=400)
    _report_replans(replans)
    return redirect(url_for(".edit_event", event_id=event.id))


@bp.route("/staff/events/<int:event_id>/cancel", methods=["GET", "POST"])
@requires(Permission.EVENTS)
def cancel_event(event_id: int):
    event = db.session.get(Event, event_id) or abort(404)
    if EventStatus.CANCELLED not in services.allowed_transitions(event):
        abort(404)
    if request.method == "POST":
        try:
            replans = services.cancel_event(event, expected_version=_version(
                request.form.get("version")), language=current_locale())
        except services.SchedulingError as error:
            flash(str(error), "error")
            return redirect(url_for(".edit_event", event_id=event.id))
        flash(_("The event is cancelled."), "success")
        _report_replans(replans)
        return redirect(url_for(".edit_event", event_id=event.id))
    return render_template("scheduling/cancel.html", event=event,
                           participants=len(services.event_participants(event)))


def _report_replans(replans) -> None:
    moved = [r for r in replans if r.new_date and r.new_date != r.old_date]
    flagged = [r for r in replans if r.flagged]
    if moved:
        flash(ngettext("%(num)d later draft event was moved to keep the 4–6 week rhythm.",
                       "%(num)d later draft events were moved to keep the 4–6 week rhythm.",
                       len(moved)), "success")
    if flagged:
        flash(ngettext("%(num)d later published event now breaks the rhythm; check it.",
                       "%(num)d later published events now break the rhythm; check them.",
                       len(flagged)), "error")
