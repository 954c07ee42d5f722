from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import Permission, by_token, requires
from ..accounts.models import StaffUser
from ..audit import services as audit
from ..audit.models import AuditAction
from ..candidates.models import Registration, RegistrationStatus
from ..core.labels import labeller, options
from ..employers.models import BookingStatus, StandBooking
from ..employers.services import booking_for_token
from ..extensions import db, limiter
from ..scheduling.models import Event
from . import services
from .forms import (
    AssignFollowUpsForm,
    ConversationForm,
    FollowUpDoneForm,
    FollowUpForm,
    OutcomeForm,
    StaffConversationForm,
)
from .models import (
    CONTRACT_TYPES,
    FOLLOW_UP_STATUS_LABELS,
    INTEREST_LABELS,
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    RECORDED_BY_LABELS,
    Conversation,
    FollowUp,
    FollowUpStatus,
    Interest,
    NextStep,
    OutcomeKind,
    RecordedBy,
)

bp = Blueprint("followup", __name__)


def refusal_message(reason: str) -> str:
    return {
        "unknown": _("This code is not known. Please check it, or choose from the list."),
        "other_event": _("This badge belongs to another Meet & Greet."),
        "cancelled": _("This registration is cancelled. Please send the person to the door."),
        "no_consent": _("This person has not agreed to share their details with employers. "
                        "Please ask a staff member to record the conversation."),
        "closed": _("Conversations can be recorded from shortly before the event until the "
                    "day after."),
        "no_stand": _("This stand is not confirmed."),
    }[reason]


next_step_label = labeller(NEXT_STEP_LABELS)
for name, helper in (("interest_label", labeller(INTEREST_LABELS)),
                     ("next_step_label", next_step_label),
                     ("outcome_label", labeller(OUTCOME_LABELS)),
                     ("recorded_by_label", labeller(RECORDED_BY_LABELS)),
                     ("follow_up_status_label", labeller(FOLLOW_UP_STATUS_LABELS))):
    bp.add_app_template_global(helper, name)


@bp.app_template_global()
def contract_type_label(value: str) -> str:
    return str(dict(CONTRACT_TYPES).get(value, value))


@bp.after_request
def no_store(response):
    # Personal data on every page here (and a secret link on the stand page).
    response.headers["Cache-Control"] = "no-store"
    return response


def _people(registrations: list[Registration]) -> list[tuple[str, str]]:
    """The pick list shows first name and languages only: what the candidate agreed to share."""
    from ..core.reference import language_name

    return [(r.ref, "{} ({})".format(
        r.candidate.first_name,
        ", ".join(language_name(lang.code) for lang in r.candidate.languages) or "-"))
        for r in registrations]


def _chosen_registration(form: ConversationForm, event: Event, *, for_employer: bool):
    """The badge code wins over the list; a refusal becomes a field error."""
    if (form.code.data or "").strip():
        try:
            return services.registration_for_code(event, form.code.data,
                                                  for_employer=for_employer)
        except services.ConversationRefused as refused:
            form.code.errors.append(refusal_message(refused.reason))
            return None
    registration = services.registration_by_ref(form.candidate.data, event)
    if registration is None:
        form.candidate.errors.append(_("Please choose someone from the list."))
    return registration


# --- at the stand: the employer's manage link ----------------------------------------------


@bp.route("/stands/manage/<token>/conversations", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
@by_token("stand")
def stand_conversations(token: str):
    booking = booking_for_token(token)
    if booking is None:
        from ..employers.forms import LinkRequestForm

        return render_template("employers/link_invalid.html", form=LinkRequestForm()), 404
    event = booking.event
    is_open = services.recording_open(booking)
    form = ConversationForm(people=_people(services.shareable_candidates(event)))
    if request.method == "POST":
        if not is_open:
            flash(refusal_message("closed"), "error")
            return redirect(url_for(".stand_conversations", token=token))
        if form.validate_on_submit():
            registration = _chosen_registration(form, event, for_employer=True)
            if registration is not None:
                try:
                    services.record_conversation(
                        booking, registration, interest=Interest(form.interest.data),
                        next_step=NextStep(form.next_step.data), note=form.note.data or "",
                        recorded_by=RecordedBy.EMPLOYER)
                except services.ConversationRefused as refused:
                    flash(refusal_message(refused.reason), "error")
                else:
                    flash(_("Saved: your conversation with %(name)s.",
                            name=registration.candidate.first_name), "success")
                    return redirect(url_for(".stand_conversations", token=token))
    conversations = [services.shared_view(c)
                     for c in services.employer_conversations(booking)]
    return render_template("followup/stand_conversations.html", booking=booking, event=event,
                           form=form, token=token, is_open=is_open,
                           conversations=conversations)


@bp.route("/stands/manage/<token>/conversations/badge", methods=["POST"])
@limiter.limit("60 per minute")
@by_token("stand")
def stand_badge(token: str):
    """A badge scanned by the camera at the stand: whom it names, or why it cannot be used.

    POST with JSON (the code is personal: never in a URL) and the page's CSRF token in the
    X-CSRFToken header. The answer shows no more than the stand's pick list does."""
    booking = booking_for_token(token)
    if booking is None:
        return {"status": "invalid", "message": _("This link does not work")}, 404
    if not services.recording_open(booking):
        return {"status": "closed", "message": refusal_message("closed")}
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    try:
        registration = services.registration_for_code(
            booking.event, code if isinstance(code, str) else "", for_employer=True)
    except services.ConversationRefused as refused:
        return {"status": refused.reason, "message": refusal_message(refused.reason)}
    (ref, label), = _people([registration])
    return {"status": "ok", "ref": ref, "message": _("Badge scanned: %(person)s", person=label)}


# --- staff: on the employer's behalf, follow-ups, outcomes ---------------------------------


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


def _owner_choices():
    return options((user.id, user.name) for user in services.possible_owners())


@bp.route("/staff/events/<int:event_id>/conversations", methods=["GET", "POST"])
@requires(Permission.FOLLOW_UP)
def staff_conversations(event_id: int):
    event = _event_or_404(event_id)
    stands = [b for b in db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED))]
    stands.sort(key=lambda b: (b.stand_number is None, b.stand_number or 0,
                               b.organisation.name.casefold()))
    everyone = sorted(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.REGISTERED)),
        key=lambda r: (r.candidate.last_name.casefold(), r.candidate.first_name.casefold()))
    form = StaffConversationForm(
        people=[(r.ref, r.candidate.display_name) for r in everyone])
    form.stand.choices = options((b.id, f"{b.stand_number or '-'} · {b.organisation.name}")
                                 for b in stands)
    if form.validate_on_submit():
        booking = next(b for b in stands if b.id == form.stand.data)
        registration = _chosen_registration(form, event, for_employer=False)
        if registration is not None:
            try:
                services.record_conversation(
                    booking, registration, interest=Interest(form.interest.data),
                    next_step=NextStep(form.next_step.data), note=form.note.data or "",
                    recorded_by=RecordedBy(form.recorded_by.data), user=current_user)
            except services.ConversationRefused as refused:
                flash(refusal_message(refused.reason), "error")
            else:
                flash(_("The conversation is saved."), "success")
                return redirect(url_for(".staff_conversations", event_id=event.id))
    return render_template("followup/staff_conversations.html", event=event, form=form,
                           stands=stands, conversations=services.event_conversations(event))


def _conversation_or_404(conversation_ref: str) -> Conversation:
    return db.session.scalar(select(Conversation).where(
        Conversation.ref == conversation_ref[:12])) or abort(404)


def _follow_up_form(**kwargs) -> FollowUpForm:
    form = FollowUpForm(**kwargs)
    form.owner.choices = _owner_choices()
    return form


def _apply_follow_up_error(form, error: services.FollowUpError) -> None:
    """A follow-up or outcome refusal: on its field, or flashed when the form has none."""
    messages = {
        "past": _("The due date cannot be in the past."),
        "not_owner": _("Please choose an active staff member."),
        "closed": _("Follow-up for this person has ended (18 months after their first "
                    "event)."),
        "other_candidate": _("This conversation is about someone else."),
        "none_chosen": _("Please tick at least one follow-up."),
        "gone": _("Some of the ticked follow-ups are done or gone meanwhile. Please look at "
                  "the list again."),
        "far_future": _("Please give the date it happened or starts (at most two months "
                        "ahead)."),
        "hours": _("Please give the hours per week (1 to 60)."),
        "type": _("Please choose the kind of contract."),
    }
    target = getattr(form, error.field, None)
    if target is not None:
        target.errors = [*target.errors, messages[error.reason]]
    else:
        flash(messages[error.reason], "error")


@bp.route("/staff/conversations/<conversation_ref>/follow-up", methods=["GET", "POST"])
@requires(Permission.FOLLOW_UP)
def plan_follow_up(conversation_ref: str):
    conversation = _conversation_or_404(conversation_ref)
    candidate = conversation.registration.candidate
    form = _follow_up_form(data=None if request.method == "POST" else {
        "owner": candidate.coach_id or current_user.id,
        "action": next_step_label(conversation.next_step)
        if conversation.next_step is not NextStep.NONE else ""})
    if form.validate_on_submit():
        owner = db.session.get(StaffUser, form.owner.data)
        try:
            services.create_follow_up(candidate, owner, form.due_on.data,
                                      conversation=conversation, action=form.action.data or "")
        except services.FollowUpError as error:
            _apply_follow_up_error(form, error)
        else:
            flash(_("The follow-up is planned."), "success")
            return redirect(url_for(".staff_conversations", event_id=conversation.event_id))
    return render_template("followup/plan.html", conversation=conversation, form=form,
                           candidate=candidate,
                           closes_on=services.follow_up_closes_on(candidate))


def _assign_form(**kwargs) -> AssignFollowUpsForm:
    form = AssignFollowUpsForm(**kwargs)
    form.owner.choices = options([("", _("(choose)")),
                                  *((user.id, user.name) for user in services.possible_owners())])
    return form


@bp.route("/staff/follow-ups", methods=["GET", "POST"])
@requires(Permission.FOLLOW_UP)
def my_follow_ups():
    """Open follow-ups, mine or (show=all) everyone's; ticked ones can get a new owner."""
    show_all = request.args.get("show") == "all"
    form = _assign_form()
    if form.validate_on_submit():
        owner = db.session.get(StaffUser, form.owner.data)
        try:
            assigned = services.assign_follow_ups(form.follow_ups.data or [], owner)
        except services.FollowUpError as error:
            _apply_follow_up_error(form, error)
        else:
            for item in assigned:
                audit.record(AuditAction.ASSIGNED_FOLLOW_UP, item, f"owner {owner.id}")
            flash(ngettext("%(num)d follow-up now belongs to %(owner)s.",
                           "%(num)d follow-ups now belong to %(owner)s.", len(assigned),
                           owner=owner.name), "success")
            return redirect(url_for(".my_follow_ups", show="all" if show_all else None))
    elif request.method == "POST" and not form.follow_ups.data:  # say both at once
        _apply_follow_up_error(form, services.FollowUpError("follow_ups", "none_chosen"))
    follow_ups = (services.open_follow_ups() if show_all
                  else services.open_follow_ups_for(current_user))
    chosen = set(form.follow_ups.data or [])
    return render_template("followup/mine.html", follow_ups=follow_ups, form=form,
                           show_all=show_all, chosen=chosen,
                           today=services.local_today(), latest_ref=services.latest_ref)


def _follow_up_or_404(follow_up_ref: str) -> FollowUp:
    return db.session.scalar(select(FollowUp).where(
        FollowUp.ref == follow_up_ref[:12])) or abort(404)


@bp.route("/staff/follow-ups/<follow_up_ref>", methods=["GET", "POST"])
@requires(Permission.FOLLOW_UP)
def follow_up(follow_up_ref: str):
    item = _follow_up_or_404(follow_up_ref)
    edit = _follow_up_form(data=None if request.method == "POST" else {
        "owner": item.owner_id, "due_on": item.due_on, "action": item.action})
    done = FollowUpDoneForm()
    if request.method == "POST" and "done" in request.form:
        if done.validate_on_submit():
            services.set_follow_up_status(item, FollowUpStatus.DONE, result=done.result.data)
            flash(_("The follow-up is done."), "success")
            return redirect(url_for(".my_follow_ups"))
    elif request.method == "POST" and "reopen" in request.form:
        if done.validate_on_submit():
            services.set_follow_up_status(item, FollowUpStatus.OPEN)
            flash(_("The follow-up is open again."), "success")
            return redirect(url_for(".follow_up", follow_up_ref=item.ref))
    elif edit.validate_on_submit():
        owner = db.session.get(StaffUser, edit.owner.data)
        try:
            services.reassign_follow_up(item, owner, edit.due_on.data)
        except services.FollowUpError as error:
            _apply_follow_up_error(edit, error)
        else:
            flash(_("The follow-up is saved."), "success")
            return redirect(url_for(".follow_up", follow_up_ref=item.ref))
    return render_template("followup/follow_up.html", item=item, edit=edit, done=done,
                           candidate_ref=services.latest_ref(item.candidate),
                           today=services.local_today())


def _candidate_or_404(ref: str):
    return services.candidate_by_ref(ref) or abort(404)


@bp.route("/staff/candidates/<ref>/timeline", methods=["GET", "POST"])
@requires(Permission.FOLLOW_UP)
def timeline(ref: str):
    candidate = _candidate_or_404(ref)
    outcome_form = OutcomeForm()
    plan_form = _follow_up_form(data=None if request.method == "POST" else {
        "owner": candidate.coach_id or current_user.id})
    if request.method == "POST" and "kind" in request.form:
        if outcome_form.validate_on_submit():
            try:
                services.record_outcome(
                    candidate, OutcomeKind(outcome_form.kind.data),
                    outcome_form.happened_on.data, user=current_user,
                    contract_hours=outcome_form.contract_hours.data,
                    contract_type=outcome_form.contract_type.data or "",
                    note=outcome_form.note.data or "")
            except services.FollowUpError as error:
                _apply_follow_up_error(outcome_form, error)
            else:
                flash(_("The outcome is saved."), "success")
                return redirect(url_for(".timeline", ref=ref))
    elif request.method == "POST" and plan_form.validate_on_submit():
        owner = db.session.get(StaffUser, plan_form.owner.data)
        try:
            services.create_follow_up(candidate, owner, plan_form.due_on.data,
                                      action=plan_form.action.data or "")
        except services.FollowUpError as error:
            _apply_follow_up_error(plan_form, error)
        else:
            flash(_("The follow-up is planned."), "success")
            return redirect(url_for(".timeline", ref=ref))
    return render_template(
        "followup/timeline.html", candidate=candidate, ref=ref,
        entries=services.timeline(candidate), outcome_form=outcome_form, plan_form=plan_form,
        closes_on=services.follow_up_closes_on(candidate),
        is_open=services.follow_up_open(candidate), today=services.local_today())
