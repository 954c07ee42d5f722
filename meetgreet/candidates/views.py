import base64

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
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.access import Permission, by_token, public, requires
from ..accounts.models import Role, StaffUser
from ..audit import services as audit
from ..audit.models import AuditAction
from ..core.i18n import current_locale
from ..core.labels import options
from ..core.reference import SECTORS, language_choices
from ..core.web import personal
from ..extensions import db, limiter
from ..followup.services import FOLLOW_UP_MONTHS
from ..scheduling.models import Event, EventStatus
from ..scheduling.services import event_invitation
from . import importing, services
from .forms import (
    ImportForm,
    ProfileForm,
    RegistrationForm,
    StaffCandidateForm,
    WalkInForm,
)
from .models import (
    REGISTRATION_STATUS_LABELS,
    InvitationBatch,
    Registration,
    RegistrationStatus,
)
from .transliteration import to_latin

bp = Blueprint("candidates", __name__)

LEGAL_BASES = {
    "public_task": _l("We do this as a public task of the municipality: helping people "
                      "find work (GDPR article 6(1)(e))."),
    "consent": _l("We do this with your consent (GDPR article 6(1)(a)). "
                  "You can withdraw it at any time."),
    "legitimate_interest": _l("We do this because it is needed to organise the event "
                              "(GDPR article 6(1)(f))."),
}
REFUSALS = {
    "cancelled": _l("This Meet & Greet has been cancelled."),
    "not_yet": _l("Registration has not opened yet. Please come back later."),
    "closed": _l("Registration for this Meet & Greet is closed. "
                 "You can still come: register at the door."),
}


def _public_event(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None or services.registration_state(event) == "not_public":
        abort(404)
    return event


# --- public: register, the ticket, change, cancel -----------------------------------------------


@bp.route("/events/<int:event_id>/register", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public
def register(event_id: int):
    event = _public_event(event_id)
    state = services.registration_state(event)
    if state != "open":
        return render_template("candidates/register_closed.html", event=event,
                               message=REFUSALS[state]), 200 if request.method == "GET" else 409
    full = services.places_left(event) == 0
    form = RegistrationForm()
    if form.validate_on_submit():
        details = form.details()
        locale = current_locale()
        if not details.latin_name:
            details.latin_name = to_latin(f"{details.first_name} {details.last_name}",
                                          hint=locale)
        try:
            result = services.register(event, details, locale=locale, share_consent=True)
        except services.RegistrationRefused as refusal:
            return render_template("candidates/register_closed.html", event=event,
                                   message=REFUSALS[refusal.reason]), 409
        if result.resent:
            return render_template("candidates/already_registered.html", event=event)
        if result.registration.status is RegistrationStatus.WAITING:
            flash(_("The Meet & Greet is full. You are on the waiting list."), "success")
        else:
            flash(_("You are registered. Show this QR code at the door."), "success")
        return redirect(url_for("candidates.ticket", token=result.link_token))
    return render_template("candidates/register.html", event=event, form=form, full=full,
                           legal_basis=_legal_basis(),
                           retention_days=current_app.config["RETENTION_REGISTRATION_DAYS"],
                           follow_up_months=FOLLOW_UP_MONTHS)


def _legal_basis() -> str:
    basis = current_app.config["PRIVACY_LEGAL_BASIS"]
    return str(LEGAL_BASES.get(basis, basis))


def _by_token(token: str) -> Registration:
    return services.registration_by_token(token) or abort(404)


@bp.route("/my/<token>")
@by_token("candidate")
def ticket(token: str):
    registration = _by_token(token)
    qr = None
    if registration.status is RegistrationStatus.REGISTERED:
        qr = "data:image/png;base64," + base64.b64encode(
            services.qr_png(registration.ticket_code)).decode("ascii")
    position = (services.waiting_position(registration)
                if registration.status is RegistrationStatus.WAITING else None)
    return personal(render_template("candidates/ticket.html", registration=registration,
                                     event=registration.event, candidate=registration.candidate,
                                     token=token, qr=qr, position=position))


@bp.route("/my/<token>/meet-and-greet.ics")
@by_token("candidate")
def ticket_ics(token: str):
    registration = _by_token(token)
    return personal(Response(
        event_invitation(registration.event, "PUBLISH"), mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="meet-and-greet.ics"'},
    ))


@bp.route("/my/<token>/ticket.pdf")
@by_token("candidate")
def ticket_pdf(token: str):
    registration = _by_token(token)
    if registration.status is not RegistrationStatus.REGISTERED:
        abort(404)
    return personal(Response(
        services.ticket_pdf_bytes(registration), mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="meet-and-greet-ticket.pdf"'},
    ))


@bp.route("/my/<token>/change", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@by_token("candidate")
def change(token: str):
    registration = _by_token(token)
    candidate = registration.candidate
    form = ProfileForm(data=None if request.method == "POST" else {
        "languages": {lang.code: lang.level for lang in candidate.languages},
        "dutch_level": candidate.dutch_level,
        "needs_interpreter": "yes" if candidate.needs_interpreter else "no",
        "sectors": [sector.code for sector in candidate.sectors],
        "experience": candidate.experience,
    })
    if form.validate_on_submit():
        services.set_languages(candidate, form.languages.data)
        services.set_sectors(candidate, form.sectors.data or [])
        candidate.dutch_level = form.dutch_level.data
        candidate.needs_interpreter = form.needs_interpreter.data == "yes"
        candidate.experience = form.experience.data or ""
        db.session.commit()
        flash(_("Your changes are saved."), "success")
        return redirect(url_for("candidates.ticket", token=token))
    return personal(render_template("candidates/change.html", form=form, token=token,
                                     event=registration.event))


@bp.route("/my/<token>/cancel", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@by_token("candidate")
def cancel(token: str):
    registration = _by_token(token)
    if request.method == "POST":

        services.cancel(registration)
        flash(_("Your registration is cancelled. Your QR code no longer works."), "success")
        return redirect(url_for("candidates.ticket", token=token))
    return personal(render_template("candidates/cancel.html", registration=registration,
                                     event=registration.event, token=token))


# --- staff ------------------------------------------------------------------------------------


def _staff_event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _staff_registration(event: Event, ref: str) -> Registration:
    return db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.ref == ref)).first() or abort(404)


def _filters() -> dict[str, str]:
    args = request.args
    status = args.get("status", "")
    return {
        "query": args.get("q", "")[:100],
        "language": args.get("language", "") if args.get("language") in dict(
            language_choices()) else "",
        "sector": args.get("sector", "") if args.get("sector") in dict(SECTORS) else "",
        "status": status if status in {s.value for s in RegistrationStatus} else "",
    }


@bp.route("/staff/events/<int:event_id>/candidates")
@requires(Permission.CANDIDATES)
def staff_list(event_id: int):
    event = _staff_event(event_id)
    filters = _filters()
    registrations = services.event_registrations(event, **filters)
    return render_template("candidates/staff/list.html", event=event, filters=filters,
                           registrations=registrations, languages=language_choices(),
                           sectors=SECTORS, statuses=REGISTRATION_STATUS_LABELS,
                           registered=services.registered_count(event))


@bp.route("/staff/events/<int:event_id>/candidates.csv")
@requires(Permission.CANDIDATES)
def staff_csv(event_id: int):
    event = _staff_event(event_id)
    registrations = services.event_registrations(event, **_filters())
    audit.record(AuditAction.EXPORTED_LIST, event, "candidates.csv")
    return Response(
        services.registrations_csv(registrations), mimetype="text/csv",
        headers={"Content-Disposition":
                 f'attachment; filename="candidates-{event.starts_at:%Y-%m-%d}.csv"',
                 "Cache-Control": "no-store"},
    )


def _coaches() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).where(
        StaffUser.active.is_(True), StaffUser.role.in_((Role.COACH, Role.PLANNER, Role.ADMIN)))
        .order_by(StaffUser.name)))


@bp.route("/staff/events/<int:event_id>/candidates/<ref>", methods=["GET", "POST"])
@requires(Permission.CANDIDATES)
def staff_edit(event_id: int, ref: str):
    event = _staff_event(event_id)
    registration = _staff_registration(event, ref)
    candidate = registration.candidate
    coaches = _coaches()
    form = StaffCandidateForm(coaches=coaches, data=None if request.method == "POST" else {
        "first_name": candidate.first_name, "last_name": candidate.last_name,
        "latin_name": candidate.latin_name, "phone": candidate.phone, "email": candidate.email,
        "municipality": candidate.municipality,
        "languages": {lang.code: lang.level for lang in candidate.languages},
        "dutch_level": candidate.dutch_level,
        "needs_interpreter": "yes" if candidate.needs_interpreter else "no",
        "sectors": [sector.code for sector in candidate.sectors],
        "experience": candidate.experience,
        "coach": str(candidate.coach_id or ""),
    })
    if form.validate_on_submit():
        for name in ("first_name", "last_name", "latin_name", "municipality", "dutch_level",
                     "experience"):
            setattr(candidate, name, getattr(form, name).data or "")
        candidate.phone = form.phone.data or None
        candidate.email = form.email.data or None
        candidate.needs_interpreter = form.needs_interpreter.data == "yes"
        candidate.coach = next((c for c in coaches if str(c.id) == form.coach.data), None)
        services.set_languages(candidate, form.languages.data)
        services.set_sectors(candidate, form.sectors.data or [])
        db.session.commit()
        audit.record(AuditAction.CHANGED_CANDIDATE, candidate)
        flash(_("Saved."), "success")
        return redirect(url_for("candidates.staff_list", event_id=event.id))
    audit.record(AuditAction.VIEWED_CANDIDATE, candidate)
    return render_template("candidates/staff/edit.html", event=event, form=form,
                           registration=registration, candidate=candidate,
                           history=services.candidate_history(candidate),
                           statuses=REGISTRATION_STATUS_LABELS)


@bp.route("/staff/events/<int:event_id>/candidates/<ref>/duplicate", methods=["POST"])
@requires(Permission.CANDIDATES)
def staff_duplicate(event_id: int, ref: str):
    """Staff decide about a possible duplicate: the same person (merge) or not."""
    event = _staff_event(event_id)
    candidate = _staff_registration(event, ref).candidate
    known = candidate.possible_duplicate_of or abort(404)
    if request.form.get("decision") == "same":
        services.merge_into(candidate, known)
        flash(_("Merged: one person now."), "success")
        return redirect(url_for("candidates.staff_list", event_id=event.id))
    services.not_a_duplicate(candidate)
    flash(_("Marked as a different person."), "success")
    return redirect(url_for("candidates.staff_edit", event_id=event.id, ref=ref))


@bp.route("/staff/events/<int:event_id>/candidates/<ref>/cancel", methods=["POST"])
@requires(Permission.CANDIDATES)
def staff_cancel(event_id: int, ref: str):
    event = _staff_event(event_id)
    registration = _staff_registration(event, ref)
    promoted = services.cancel(registration)
    audit.record(AuditAction.CANCELLED_REGISTRATION, registration)
    flash(_("Registration cancelled.") + (" " + _(
        "%(num)d from the waiting list moved up.", num=len(promoted)) if promoted else ""),
        "success")
    return redirect(url_for("candidates.staff_list", event_id=event.id))


MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _invitable_events() -> list[Event]:
    return list(db.session.scalars(select(Event).where(
        Event.status == EventStatus.PUBLISHED).order_by(Event.starts_at)))


@bp.route("/staff/candidates/import", methods=["GET", "POST"])
@requires(Permission.CANDIDATES)
def staff_import():
    """Step 1: upload and see every row checked. Step 2 (action=import): write the valid rows.

    The file travels back with the preview as a hidden field, so nothing is kept on the
    server between the steps and the check runs again on what is written."""
    events = _invitable_events()
    form = ImportForm()
    form.event.choices = options([("", _("Do not invite now"))] + [
        (str(event.id), f"{event.title} · {format_date(event.starts_at, 'medium')}")
        for event in events])
    if request.form.get("action") == "import":
        try:
            filename = request.form.get("filename", "")
            data = base64.b64decode(request.form.get("data", ""), validate=True)
            rows = importing.check_table(importing.read_table(filename, data))
        except (ValueError, importing.ImportFileError):
            abort(400)
        candidates = importing.import_rows(rows)
        audit.record(AuditAction.IMPORTED_CANDIDATES, detail=f"{len(candidates)} rows")
        event = next((e for e in events if str(e.id) == request.form.get("event")), None)
        batch = importing.start_invitations(candidates, event) if event else None
        return render_template("candidates/staff/import_done.html", rows=rows,
                               imported=candidates, batch=batch)
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            form.file.errors.append(_("The file is too large (at most 2 MB)."))
        else:
            try:
                rows = importing.check_table(importing.read_table(form.file.data.filename, data))
            except importing.ImportFileError as error:
                form.file.errors.append(str(error))
            else:
                return render_template(
                    "candidates/staff/import_preview.html", rows=rows, form=form,
                    filename=form.file.data.filename,
                    data=base64.b64encode(data).decode("ascii"),
                    valid=sum(row.valid for row in rows),
                    event=next((e for e in events if str(e.id) == form.event.data), None))
    return render_template("candidates/staff/import.html", form=form)


@bp.route("/staff/invitations/<int:batch_id>")
@requires(Permission.CANDIDATES)
def staff_invitations(batch_id: int):
    batch = db.session.get(InvitationBatch, batch_id) or abort(404)
    return render_template("candidates/staff/invitations.html", batch=batch,
                           progress=importing.batch_progress(batch))


@bp.route("/staff/invitations/<int:batch_id>/send", methods=["POST"])
@requires(Permission.CANDIDATES)
def staff_send_invitations(batch_id: int):
    """One chunk per call: the progress page calls it until nothing is pending."""
    batch = db.session.get(InvitationBatch, batch_id) or abort(404)
    importing.send_next(batch)
    progress = importing.batch_progress(batch)
    if request.accept_mimetypes.best == "application/json":
        return progress
    return redirect(url_for("candidates.staff_invitations", batch_id=batch.id))


# --- the door: walk-ins -------------------------------------------------------------------------


@bp.route("/door/events/<int:event_id>/walk-in", methods=["GET", "POST"])
@requires(Permission.CHECK_IN)
def walk_in(event_id: int):
    event = _staff_event(event_id)
    if event.status not in services.WALK_IN_STATUSES:
        abort(404)
    form = WalkInForm()
    if form.validate_on_submit():
        details = form.details()
        details.latin_name = to_latin(f"{details.first_name} {details.last_name}")
        result = services.register(event, details, locale=current_locale(),
                                   share_consent=form.consent.data, walk_in=True)
        name = result.registration.candidate.display_name
        if result.resent:
            flash(_("%(name)s was already registered and is now checked in.", name=name),
                  "success")
        else:
            flash(_("%(name)s is registered and checked in.", name=name), "success")
        # The next page offers this person's badge (a staff reference, nothing personal).
        return redirect(url_for("candidates.walk_in", event_id=event.id,
                                badge=result.registration.ref))
    badge = request.args.get("badge", "")
    return render_template("candidates/door_walk_in.html", event=event, form=form,
                           badge=badge if badge.isalnum() and len(badge) <= 12 else "")
