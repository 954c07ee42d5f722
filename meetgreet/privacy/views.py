"""Privacy: retention, export and erasure of personal data (AVG/GDPR)."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import Permission, by_token, requires
from ..candidates.models import Registration
from ..candidates.services import registration_by_token
from ..extensions import db, limiter
from .erasure import erase_candidate
from .forms import ErasureRequestForm, StaffErasureForm

bp = Blueprint("privacy", __name__)


# --- erasure ----------------------------------------------------------------------------------


def _personal(body):
    """Personal pages: never cached, never indexed."""
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/my/<token>/erase", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@by_token("candidate")
def erase_mine(token: str):
    registration = registration_by_token(token) or abort(404)
    form = ErasureRequestForm()
    if form.validate_on_submit():
        erase_candidate(registration.candidate)
        # The link is dead from here on: the confirmation is this answer, not a redirect.
        return _personal(render_template("privacy/erased.html"))
    return _personal(render_template("privacy/erase_mine.html", form=form, token=token,
                                     event=registration.event))


@bp.route("/staff/candidates/<ref>/erase", methods=["GET", "POST"])
@requires(Permission.ERASE_CANDIDATES)
def staff_erase(ref: str):
    registration = db.session.scalar(
        select(Registration).where(Registration.ref == ref[:12])) or abort(404)
    candidate = registration.candidate
    form = StaffErasureForm()
    if form.validate_on_submit():
        erase_candidate(candidate, by=current_user, reason=form.reason.data)
        flash(_("The person's data is erased; the anonymous counts stay."), "success")
        return redirect(url_for("candidates.staff_list", event_id=registration.event_id))
    return render_template("privacy/staff_erase.html", form=form, candidate=candidate,
                           registration=registration)
