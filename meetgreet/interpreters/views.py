from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from ..accounts.access import Permission, by_token, requires
from ..core.contact import display_phone
from ..core.labels import labeller, options
from ..core.types import utcnow
from ..extensions import db, limiter
from ..scheduling.models import Event, EventStatus
from .assignment import validate
from .forms import AnswerForm, EmptyForm, InterpreterForm, InviteForm, RuleForm
from .issues import issue_message
from .labels import window_label
from .models import ANSWER_LABELS, Answer, RuleKind
from .notifications import send_invitation, send_plans
from .pdf import plan_pdf, signs_pdf
from .services import (
    PlanInputs,
    add_rule,
    available,
    coverage,
    event_demand,
    event_problem,
    event_window_by_name,
    floor_rows,
    interpreter_by_ref,
    invitation_for_token,
    invitations,
    invite,
    placed_bookings,
    plan_inputs,
    pool,
    remove_rule,
    save_interpreter,
    saved_plan,
    saved_posts,
    set_answer,
    solve_event,
    supply,
    windows,
    windows_of,
)

bp = Blueprint("interpreters", __name__)


@bp.after_request
def no_store_for_personal_pages(response):
    if request.endpoint == "interpreters.answer":
        response.headers["Cache-Control"] = "no-store"
    return response


bp.add_app_template_global(labeller(ANSWER_LABELS), "answer_label")


bp.add_app_template_global(window_label, "window_label")


@bp.app_template_global()
def need_number(value: float) -> str:
    """Weighted need, one decimal, in the reader's notation (3,5 in Dutch)."""
    return format_decimal(value, "0.0")


@bp.app_template_global()
def percent(share: float) -> str:
    """A small share as a percentage with enough decimals to show it (0,04 %)."""
    return format_percent(share, "#,##0.00%" if share < 0.1 else "#,##0%")


# --- the pool ----------------------------------------------------------------------------


@bp.route("/staff/interpreters")
@requires(Permission.INTERPRETERS)
def pool_list():
    return render_template("interpreters/pool.html", interpreters=pool(),
                           display_phone=display_phone)


@bp.route("/staff/interpreters/new", methods=["GET", "POST"])
@requires(Permission.INTERPRETERS)
def pool_new():
    form = InterpreterForm()
    if form.validate_on_submit():
        interpreter = save_interpreter(form.as_data())
        flash(_("%(name)s is added to the pool.", name=interpreter.name), "success")
        return redirect(url_for(".pool_list"))
    return render_template("interpreters/edit.html", form=form, interpreter=None)


@bp.route("/staff/interpreters/<interpreter_ref>", methods=["GET", "POST"])
@requires(Permission.INTERPRETERS)
def pool_edit(interpreter_ref: str):
    interpreter = interpreter_by_ref(interpreter_ref) or abort(404)
    form = InterpreterForm(obj=interpreter if request.method == "GET" else None)
    if request.method == "GET":
        form.languages.data = interpreter.language_codes
        form.phone.data = display_phone(interpreter.phone) if interpreter.phone else ""
    if form.validate_on_submit():
        save_interpreter(form.as_data(), interpreter)
        flash(_("Saved."), "success")
        return redirect(url_for(".pool_list"))
    return render_template("interpreters/edit.html", form=form, interpreter=interpreter)


# --- per event: invitations ---------------------------------------------------------------


def _event_or_404(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


@bp.route("/staff/events/<int:event_id>/interpreters", methods=["GET", "POST"])
@requires(Permission.INTERPRETERS)
def event_invitations(event_id: int):
    event = _event_or_404(event_id)
    interpreters = [person for person in pool() if person.active]
    form = InviteForm()
    form.interpreters.choices = options((person.ref, person.name) for person in interpreters)
    if form.validate_on_submit():
        chosen = [person for person in interpreters if person.ref in form.interpreters.data]
        sent = sum(send_invitation(invitation, token)
                   for invitation, token in invite(event, chosen))
        flash(_("Invited: %(invited)d, of whom %(mailed)d by e-mail. Call the others.",
                invited=len(chosen), mailed=sent), "success")
        return redirect(url_for(".event_invitations", event_id=event.id))
    by_interpreter = invitations(event)
    yes = available(event)
    return render_template("interpreters/invitations.html", event=event, form=form,
                           interpreters=interpreters, invited=by_interpreter,
                           windows=windows(event, yes), yes_count=len(yes))


@bp.route("/staff/events/<int:event_id>/interpreters/<interpreter_ref>/answer",
          methods=["GET", "POST"])
@requires(Permission.INTERPRETERS)
def staff_answer(event_id: int, interpreter_ref: str):
    event = _event_or_404(event_id)
    interpreter = interpreter_by_ref(interpreter_ref) or abort(404)
    invitation = invitations(event).get(interpreter.id)
    form = AnswerForm(event, staff=True)
    if request.method == "GET":
        if invitation is not None:
            _fill_answer(form, invitation)
        else:
            form.answer.data = Answer.NONE.value
    if form.validate_on_submit():
        if invitation is None:
            # An answer given by phone, without a mailed invitation: the link is never sent.
            # Read back, as a second submit at this very moment may be the one that invited.
            invite(event, [interpreter])
            invitation = invitations(event)[interpreter.id]
        set_answer(invitation, Answer(form.answer.data),
                   available_from=form.moment(form.available_from.data),
                   available_until=form.moment(form.available_until.data))
        flash(_("The answer of %(name)s is saved.", name=interpreter.name), "success")
        return redirect(url_for(".event_invitations", event_id=event.id))
    return render_template("interpreters/staff_answer.html", event=event, form=form,
                           interpreter=interpreter)


def _fill_answer(form: AnswerForm, invitation) -> None:
    from ..scheduling.services import AMSTERDAM

    # The interpreter's form offers no "no answer": nothing is chosen until they answer.
    form.answer.data = (invitation.answer.value
                        if invitation.answer is not Answer.NONE or form.staff else None)
    for name in ("available_from", "available_until"):
        moment = getattr(invitation, name)
        form[name].data = moment.astimezone(AMSTERDAM).time() if moment else None


# --- public: the interpreter's answer link ------------------------------------------------


@bp.route("/interpreter/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@by_token("interpreter")
def answer(token: str):
    invitation = invitation_for_token(token)
    if invitation is None:
        return render_template("interpreters/link_invalid.html"), 404
    event = invitation.event
    if event.status in (EventStatus.CANCELLED, EventStatus.HELD, EventStatus.ARCHIVED) \
            or event.ends_at <= utcnow():
        return render_template("interpreters/answer_closed.html", event=event,
                               interpreter=invitation.interpreter)
    form = AnswerForm(event)
    if request.method == "GET":
        _fill_answer(form, invitation)
    if form.validate_on_submit():
        set_answer(invitation, Answer(form.answer.data),
                   available_from=form.moment(form.available_from.data),
                   available_until=form.moment(form.available_until.data))
        flash(_("Thank you, your answer is saved. You can change it with the same link."),
              "success")
        return redirect(url_for(".answer", token=token))
    return render_template("interpreters/answer.html", event=event, form=form,
                           invitation=invitation, interpreter=invitation.interpreter)


# --- per event: demand --------------------------------------------------------------------


@bp.route("/staff/events/<int:event_id>/interpreters/demand")
@requires(Permission.INTERPRETERS)
def demand_page(event_id: int):
    event = _event_or_404(event_id)
    placed = placed_bookings(event)
    need = event_demand(event, placed)
    yes = available(event)
    bookings = {booking.stand_number: booking for booking in placed}
    return render_template("interpreters/demand.html", event=event, need=need,
                           supply=supply(yes), bookings=bookings, rows=floor_rows(event),
                           yes_count=len(yes))


# --- per event: the plan ------------------------------------------------------------------


def _names() -> dict[int, str]:
    return {person.id: person.name for person in pool()}


def _rule_form(event: Event, inputs: PlanInputs) -> RuleForm:
    """The pin form, offering what each available interpreter speaks and is there for."""
    event_windows = windows(event, inputs.yes)
    people = {invitation.interpreter.ref: (invitation.interpreter,
                                           windows_of(invitation, event_windows))
              for invitation in inputs.yes}
    return RuleForm(people, [booking.stand_number for booking in inputs.bookings],
                    event_windows)


def _plan_page(event: Event, form: RuleForm | None = None,
               inputs: PlanInputs | None = None):
    inputs = inputs or plan_inputs(event)
    problem = event_problem(event, inputs)
    event_windows = event_window_by_name(event, inputs.yes)
    names = _names()
    posts = saved_posts(event)
    need = problem.demand
    result = coverage(event, posts, need, list(problem.windows))
    issues = [issue_message(issue, names, event_windows) for issue in validate(problem)]
    bookings = {booking.stand_number: booking for booking in inputs.bookings}
    stale = bool(posts) and {post.window for post in posts} - set(event_windows)
    # window -> stand -> posts serving it, for the floor plan of each window
    served: dict[str, dict[int, list]] = {}
    for post in posts:
        for number in post.stands:
            served.setdefault(post.window, {}).setdefault(number, []).append(post)
    return render_template(
        "interpreters/plan.html", event=event, posts=posts, coverage=result, issues=issues,
        windows=event_windows, bookings=bookings, rules=inputs.rules,
        form=form or _rule_form(event, inputs), action_form=EmptyForm(),
        names=names, stale=stale, rows=floor_rows(event), served=served,
        supply=supply(inputs.yes),
        made=saved_plan(event))


@bp.route("/staff/events/<int:event_id>/interpreters/plan")
@requires(Permission.INTERPRETERS)
def plan_page(event_id: int):
    return _plan_page(_event_or_404(event_id))


@bp.route("/staff/events/<int:event_id>/interpreters/plan/solve", methods=["POST"])
@requires(Permission.INTERPRETERS)
def solve(event_id: int):
    event = _event_or_404(event_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    plan = solve_event(event)
    if plan.optimal:
        flash(_("The plan is made: it covers as much need as possible."), "success")
    else:
        flash(_("The plan is made; the time ran out before it was proven the best possible."),
              "success")
    return redirect(url_for(".plan_page", event_id=event.id))


@bp.route("/staff/events/<int:event_id>/interpreters/rules", methods=["POST"])
@requires(Permission.INTERPRETERS)
def add_rule_view(event_id: int):
    event = _event_or_404(event_id)
    inputs = plan_inputs(event)
    form = _rule_form(event, inputs)
    if not form.validate_on_submit():
        return _plan_page(event, form, inputs)
    interpreter, _windows = form.people[form.interpreter.data]
    kind = RuleKind(form.kind.data)
    stand = int(form.stand.data) if form.stand.data else None
    add_rule(event, interpreter, kind, stand_number=stand,
             # A language only says something for a pin; an exclusion holds in every language.
             language=(form.language.data or None) if kind is RuleKind.PIN else None,
             window=form.window.data or None)
    flash(_("Saved. Make the plan again to apply it."), "success")
    return redirect(url_for(".plan_page", event_id=event.id))


@bp.route("/staff/events/<int:event_id>/interpreters/rules/<int:rule_id>/delete",
          methods=["POST"])
@requires(Permission.INTERPRETERS)
def delete_rule(event_id: int, rule_id: int):
    event = _event_or_404(event_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if remove_rule(event, rule_id):
        flash(_("Removed. Make the plan again to apply it."), "success")
    return redirect(url_for(".plan_page", event_id=event.id))


@bp.route("/staff/events/<int:event_id>/interpreters/plan/mail", methods=["POST"])
@requires(Permission.INTERPRETERS)
def mail_plan(event_id: int):
    event = _event_or_404(event_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    sent, missing = send_plans(event)
    flash(_("The plan is sent to %(sent)d interpreters; %(missing)d have no e-mail address.",
            sent=sent, missing=missing), "success")
    return redirect(url_for(".plan_page", event_id=event.id))


def _pdf(content: bytes, name: str) -> Response:
    return Response(content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/staff/events/<int:event_id>/interpreters/plan.pdf")
@requires(Permission.INTERPRETERS)
def plan_pdf_view(event_id: int):
    event = _event_or_404(event_id)
    return _pdf(plan_pdf(event), f"interpreters-{event.id}.pdf")


@bp.route("/staff/events/<int:event_id>/interpreters/signs.pdf")
@requires(Permission.INTERPRETERS)
def signs_pdf_view(event_id: int):
    event = _event_or_404(event_id)
    return _pdf(signs_pdf(event), f"interpreter-signs-{event.id}.pdf")
