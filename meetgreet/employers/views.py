
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.access import Permission, by_token, public, requires
from ..audit import services as audit
from ..audit.models import AuditAction
from ..core.contact import display_phone
from ..core.i18n import current_locale
from ..core.labels import labeller
from ..core.reference import language_name, sector_label
from ..core.spreadsheet import csv_text
from ..extensions import db, limiter
from ..interpreters.services import floor_rows
from ..scheduling.models import Event
from ..scheduling.services import public_event_or_none
from .forms import (
    MAX_VACANCIES,
    CancelForm,
    DeclineForm,
    LinkRequestForm,
    ReservationForm,
    StandDetailsForm,
)
from .models import (
    BOOKING_STATUS_LABELS,
    InvalidTransition,
    Organisation,
    StandBooking,
)
from .notifications import send_outcome, send_outcomes, send_prefill_link
from .services import (
    AlreadyBooked,
    Outcome,
    ReservationRefused,
    StandNumberError,
    accept_offer,
    approve_booking,
    assign_stand_numbers,
    booking_for_token,
    can_cancel,
    can_change,
    cancel_booking,
    change_deadline,
    decline_booking,
    event_bookings,
    fresh_links,
    last_booking,
    organisation_for_prefill,
    organisation_history,
    participating,
    request_prefill_link,
    reservation_counts,
    reservation_refusal,
    reserve_stand,
    set_needs_approval,
    stands_free,
    suggest_by_sector,
    update_booking,
    waiting_position,
    waiting_positions,
)

bp = Blueprint("employers", __name__)

# Pages opened by a personal link: no browser or proxy cache may keep them.
PRIVATE_ENDPOINTS = frozenset({"employers.manage", "employers.cancel", "employers.accept",
                               "employers.reserve"})


@bp.after_request
def no_store_for_personal_pages(response):
    if request.endpoint in PRIVATE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
    return response


def _rate_limit() -> str:
    return current_app.config.get("STAND_RATE_LIMIT", "10 per minute")


@bp.app_template_global()
def stand_reservation_open(event: Event) -> bool:
    return reservation_refusal(event) is None


@bp.app_template_global()
def participating_stands(event: Event) -> list[StandBooking]:
    return participating(event)


booking_status_label = labeller(BOOKING_STATUS_LABELS)
bp.add_app_template_global(booking_status_label, "booking_status_label")


# --- public: reserve ---------------------------------------------------------------------


@bp.route("/events/<int:event_id>/stand", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@public
def reserve(event_id: int):
    event = public_event_or_none(event_id) or abort(404)
    refusal = reservation_refusal(event)
    if refusal:
        return render_template("employers/public_closed.html", event=event, refusal=refusal)
    form = ReservationForm(max_representatives=event.max_representatives)
    if request.method == "GET":
        form.locale.data = "en" if current_locale() == "en" else "nl"
        form.representatives.data = 1
        if request.args.get("prefill"):
            _prefill(form, request.args["prefill"])
    if form.validate_on_submit():
        try:
            outcome = reserve_stand(event.id, form.as_data())
        except ReservationRefused as refused:
            return render_template("employers/public_closed.html", event=event,
                                   refusal=refused.reason)
        except AlreadyBooked as already:
            send_outcome(Outcome(already.booking, "already", already.token))
            return render_template("employers/public_already.html", event=event)
        send_outcome(outcome)
        flash(_RESERVED_MESSAGES[outcome.kind](), "success")
        return redirect(url_for(".manage", token=outcome.token))
    return render_template("employers/public_reserve.html", event=event, form=form,
                           free=stands_free(event), max_vacancies=MAX_VACANCIES)


def _prefill(form: ReservationForm, token: str) -> None:
    """Fill the form from a returning employer's record and last reservation."""
    organisation = organisation_for_prefill(token)
    if organisation is None:
        flash(_("This link has expired. Please fill in the form, or ask for a new link."),
              "error")
        return
    for name in ("name", "kvk_number", "sector", "website", "town", "contact_name",
                 "contact_email"):
        form[name if name != "name" else "organisation_name"].data = getattr(organisation, name)
    form.contact_phone.data = display_phone(organisation.contact_phone) \
        if organisation.contact_phone else ""
    last = last_booking(organisation)
    if last is not None:
        form.locale.data = last.locale
        form.representatives.data = min(last.representatives, form.max_representatives)
        form.languages.data = last.languages
        form.interpreter_languages.data = last.interpreters_wanted
        _fill_vacancies(form, last)


def _fill_vacancies(form: StandDetailsForm, booking: StandBooking) -> None:
    for entry, vacancy in zip(form.vacancies.entries, booking.vacancies, strict=False):
        for name in ("title", "sector", "hours_per_week", "location", "dutch_level",
                     "route_possible", "description"):
            entry.form[name].data = getattr(vacancy, name)


@bp.route("/events/<int:event_id>/stand/returning", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@public
def returning(event_id: int):
    event = public_event_or_none(event_id) or abort(404)
    form = LinkRequestForm()
    if form.validate_on_submit():
        found = request_prefill_link(form.email.data)
        if found is not None:
            organisation, token = found
            send_prefill_link(organisation, event, token)
        # The same answer whether or not we know the address.
        flash(_("If we know this e-mail address, we have sent a link that fills in the form "
                "for you. Please check your e-mail."), "success")
        return redirect(url_for(".reserve", event_id=event.id))
    return render_template("employers/returning.html", event=event, form=form)


_RESERVED_MESSAGES = {
    "confirmed": lambda: _("Your stand is confirmed. We have sent you an e-mail."),
    "pending": lambda: _("Thank you. Our staff will check your reservation; "
                         "we have sent you an e-mail."),
    "waiting": lambda: _("All stands are taken: you are on the waiting list. "
                         "We have sent you an e-mail."),
}


# --- public: the manage link -------------------------------------------------------------


def _invalid_link():
    return render_template("employers/link_invalid.html", form=LinkRequestForm()), 404


def _details_form(booking: StandBooking) -> StandDetailsForm:
    form = StandDetailsForm(max_representatives=booking.event.max_representatives)
    if request.method == "GET":
        form.representatives.data = booking.representatives
        form.languages.data = booking.languages
        form.interpreter_languages.data = booking.interpreters_wanted
        form.remarks.data = booking.remarks
        _fill_vacancies(form, booking)
    return form


@bp.route("/stands/manage/<token>", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@by_token("stand")
def manage(token: str):
    booking = booking_for_token(token)
    if booking is None:
        return _invalid_link()
    form = _details_form(booking)
    changeable = can_change(booking)
    if request.method == "POST" and not changeable:
        flash(_("The deadline for changes has passed. Please contact us."), "error")
        return redirect(url_for(".manage", token=token))
    if form.validate_on_submit():
        outcome = update_booking(
            booking, representatives=form.representatives.data,
            languages=form.languages.data or [],
            interpreter_languages=form.interpreter_languages.data or [],
            remarks=form.remarks.data or "", vacancies=form.vacancy_data(),
        )
        send_outcome(outcome, token=token)
        flash(_("Your changes are saved. We have sent you an e-mail."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template(
        "employers/manage.html", booking=booking, event=booking.event, form=form,
        token=token, changeable=changeable, cancellable=can_cancel(booking),
        deadline=change_deadline(booking.event), position=waiting_position(booking),
        accept_form=CancelForm(),
    )


@bp.route("/stands/manage/<token>/cancel", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@by_token("stand")
def cancel(token: str):
    booking = booking_for_token(token)
    if booking is None:
        return _invalid_link()
    if not can_cancel(booking):
        flash(_("This reservation can no longer be cancelled online. Please contact us."),
              "error")
        return redirect(url_for(".manage", token=token))
    form = CancelForm()
    if form.validate_on_submit():
        outcomes = cancel_booking(booking)
        send_outcomes(outcomes)
        flash(_("Your reservation is cancelled. We have sent you an e-mail."), "success")
        return redirect(url_for(".manage", token=token))
    return render_template("employers/manage_cancel.html", booking=booking,
                           event=booking.event, form=form, token=token)


@bp.route("/stands/manage/<token>/accept", methods=["POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@by_token("stand")
def accept(token: str):
    booking = booking_for_token(token)
    if booking is None:
        return _invalid_link()
    if not CancelForm().validate_on_submit():
        abort(400)
    try:
        outcome = accept_offer(booking)
    except (ValueError, InvalidTransition):
        flash(_("This offer is no longer open."), "error")
        return redirect(url_for(".manage", token=token))
    send_outcome(outcome, token=token)
    flash(_("Thank you: the stand is yours. We have sent you an e-mail."), "success")
    return redirect(url_for(".manage", token=token))


@bp.route("/stands/link", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@public
def request_link():
    form = LinkRequestForm()
    if form.validate_on_submit():
        for outcome in fresh_links(form.email.data):
            send_outcome(outcome)
        # The same answer whether or not we know the address.
        flash(_("If we have a reservation for this e-mail address, we have sent a new link "
                "to it. Please check your e-mail."), "success")
        return redirect(url_for(".request_link"))
    return render_template("employers/link_request.html", form=form)


# --- staff -------------------------------------------------------------------------------


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _booking_or_404(booking_id: int) -> StandBooking:
    return db.session.get(StandBooking, booking_id) or abort(404)


@bp.route("/staff/events/<int:event_id>/stands", methods=["GET", "POST"])
@requires(Permission.EMPLOYERS)
def staff_stands(event_id: int):
    event = _event_or_404(event_id)
    form = CancelForm()
    if form.validate_on_submit():
        set_needs_approval(event, request.form.get("needs_approval") == "1")
        flash(_("Saved."), "success")
        return redirect(url_for(".staff_stands", event_id=event.id))
    bookings = event_bookings(event.id)
    return render_template(
        "employers/staff_stands.html", event=event, bookings=bookings, form=form,
        free=stands_free(event), positions=waiting_positions(bookings),
        reservations=reservation_counts(booking.organisation_id for booking in bookings))


@bp.route("/staff/stands/<int:booking_id>/approve", methods=["POST"])
@requires(Permission.EMPLOYERS)
def staff_approve(booking_id: int):
    booking = _booking_or_404(booking_id)
    if not CancelForm().validate_on_submit():
        abort(400)
    try:
        outcome = approve_booking(booking)
    except InvalidTransition:
        flash(_("This reservation cannot be approved in its current state."), "error")
    else:
        send_outcome(outcome)
        flash(_("%(name)s is approved and has been told by e-mail.",
                name=booking.organisation.name), "success")
    return redirect(url_for(".staff_stands", event_id=booking.event_id))


@bp.route("/staff/stands/<int:booking_id>/decline", methods=["GET", "POST"])
@requires(Permission.EMPLOYERS)
def staff_decline(booking_id: int):
    booking = _booking_or_404(booking_id)
    form = DeclineForm()
    if form.validate_on_submit():
        try:
            outcomes = decline_booking(booking, form.reason.data)
        except InvalidTransition:
            flash(_("This reservation cannot be declined in its current state."), "error")
        else:
            send_outcomes(outcomes)
            flash(_("%(name)s is declined and has been told by e-mail.",
                    name=booking.organisation.name), "success")
        return redirect(url_for(".staff_stands", event_id=booking.event_id))
    return render_template("employers/staff_decline.html", booking=booking, form=form)


@bp.route("/staff/events/<int:event_id>/stands.csv")
@requires(Permission.EMPLOYERS)
def staff_stands_csv(event_id: int):
    event = _event_or_404(event_id)
    header = [_("Stand"), _("Status"), _("Organisation"), _("KvK number"), _("Sector"),
              _("Contact"), _("E-mail"), _("Phone"), _("Representatives"),
              _("Languages"), _("Interpreter languages"), _("Vacancies"), _("Remarks")]
    rows = [(
        booking.stand_number or "", booking_status_label(booking.status),
        booking.organisation.name, booking.organisation.kvk_number,
        sector_label(booking.organisation.sector), booking.contact_name,
        booking.contact_email, booking.contact_phone, booking.representatives,
        ", ".join(language_name(c) for c in booking.languages),
        ", ".join(language_name(c) for c in booking.interpreters_wanted),
        " | ".join(v.title for v in booking.vacancies), booking.remarks,
    ) for booking in event_bookings(event.id)]
    audit.record(AuditAction.EXPORTED_LIST, event, "stands.csv")
    # csv_text adds the BOM, so Excel reads UTF-8 (Cyrillic, Arabic) correctly.
    return Response(
        csv_text(header, rows), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="stands-{event.id}.csv"'},
    )


@bp.route("/staff/events/<int:event_id>/floorplan", methods=["GET", "POST"])
@requires(Permission.EMPLOYERS)
def staff_floorplan(event_id: int):
    event = _event_or_404(event_id)
    form = CancelForm()
    bookings = [b for b in event_bookings(event.id) if b.holds_stand]
    chosen = {b.id: b.stand_number for b in bookings}
    suggested = False
    if form.validate_on_submit():
        if request.form.get("action") == "suggest":
            chosen = suggest_by_sector(event)
            suggested = True
        else:
            wanted = {}
            for booking in bookings:
                raw = request.form.get(f"stand-{booking.id}", "")
                wanted[booking.id] = int(raw) if raw.isdecimal() else None
            try:
                assign_stand_numbers(event, wanted)
            except StandNumberError as error:
                flash(_("Two stands cannot have the same number. Nothing was changed.")
                      if str(error) == "duplicate" else
                      _("That stand number does not exist here. Nothing was changed."), "error")
                chosen = wanted
            else:
                flash(_("The floor plan is saved."), "success")
                return redirect(url_for(".staff_floorplan", event_id=event.id))
    by_number = {number: b for b in bookings if (number := chosen.get(b.id))}
    return render_template("employers/staff_floorplan.html", event=event, bookings=bookings,
                           chosen=chosen, by_number=by_number, rows=floor_rows(event), form=form,
                           suggested=suggested)


@bp.route("/staff/organisations/<int:organisation_id>")
@requires(Permission.EMPLOYERS)
def staff_organisation(organisation_id: int):
    organisation = db.session.get(Organisation, organisation_id) or abort(404)
    return render_template("employers/staff_organisation.html", organisation=organisation,
                           bookings=organisation_history(organisation))
