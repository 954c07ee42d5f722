"""Privacy: retention, export and erasure of personal data (AVG/GDPR)."""
import json

from flask import Blueprint, Response, abort

from ..accounts.access import Permission, by_token, requires
from ..audit import services as audit
from ..audit.models import AuditAction
from ..candidates.models import Candidate
from ..candidates.services import registration_by_token
from ..core.types import utcnow
from ..followup.services import candidate_by_ref
from .export import candidate_data, candidate_pdf

bp = Blueprint("privacy", __name__)


# --- export: the right of access ---------------------------------------------------------------

EXPORT_FORMATS = {"json": "application/json", "pdf": "application/pdf"}


def _export(candidate: Candidate, data_format: str, filename: str) -> Response:
    """The person's data as a download: never cached, named without anything personal."""
    data = candidate_data(candidate)
    body = (json.dumps(data, ensure_ascii=False, indent=2) if data_format == "json"
            else candidate_pdf(data))
    return Response(body, mimetype=EXPORT_FORMATS[data_format], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{data_format}"',
        "Cache-Control": "no-store",
        "X-Robots-Tag": "noindex",
    })


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
