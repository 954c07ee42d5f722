"""Privacy: retention, export and erasure of personal data (AVG/GDPR)."""
import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import Permission, by_token, requires
from ..audit import services as audit
from ..audit.models import AuditAction
from ..candidates.models import Candidate
from ..candidates.services import registration_by_token
from ..core.types import utcnow
from ..core.web import personal
from ..extensions import limiter
from ..followup.services import candidate_by_ref, registration_by_ref
from .erasure import erase_candidate
from .export import candidate_data, candidate_pdf
from .forms import ErasureRequestForm, StaffErasureForm

bp = Blueprint("privacy", __name__)


# --- export: the right of access ---------------------------------------------------------------

EXPORT_FORMATS = {"json": "application/json", "pdf": "application/pdf"}


def _export(candidate: Candidate, data_format: str, filename: str) -> Response:
    """The person's data as a download, named without anything personal."""
    data = candidate_data(candidate)
    body = (json.dumps(data, ensure_ascii=False, indent=2) if data_format == "json"
            else candidate_pdf(data))
    return personal(Response(body, mimetype=EXPORT_FORMATS[data_format], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{data_format}"'}))


@bp.route("/my/<token>/data.<any(json, pdf):data_format>")
@by_token("candidate")
def my_data(token: str, data_format: str):
    registration = registration_by_token(token) or abort(404)
    return _export(registration.candidate, data_format, "my-data")


@bp.route("/staff/candidates/<ref>/data.<any(json, pdf):data_format>")
@requires(Permission.DATA_EXPORT)
def staff_data(ref: str, data_format: str):
    candidate = candidate_by_ref(ref) or abort(404)
    response = _export(candidate, data_format, f"personal-data-{utcnow():%Y-%m-%d}")
    # Recorded after the export is built, so the file does not list its own download.
    audit.record(AuditAction.EXPORTED_PERSONAL_DATA, candidate, data_format)
    return response


# --- erasure ----------------------------------------------------------------------------------


@bp.route("/my/<token>/erase", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@by_token("candidate")
def erase_mine(token: str):
    registration = registration_by_token(token) or abort(404)
    form = ErasureRequestForm()
    if form.validate_on_submit():
        erase_candidate(registration.candidate)
        # The link is dead from here on: the confirmation is this answer, not a redirect.
        return personal(render_template("privacy/erased.html"))
    return personal(render_template("privacy/erase_mine.html", form=form, token=token,
                                    event=registration.event))


@bp.route("/staff/candidates/<ref>/erase", methods=["GET", "POST"])
@requires(Permission.ERASE_CANDIDATES)
def staff_erase(ref: str):
    registration = registration_by_ref(ref) or abort(404)
    candidate = registration.candidate
    form = StaffErasureForm()
    if form.validate_on_submit():
        erase_candidate(candidate, by=current_user, reason=form.reason.data)
        flash(_("The person's data is erased; the anonymous counts stay."), "success")
        return redirect(url_for("candidates.staff_list", event_id=registration.event_id))
    return render_template("privacy/staff_erase.html", form=form, candidate=candidate,
                           registration=registration)
