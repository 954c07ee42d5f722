from flask import Blueprint, render_template, request

from ..accounts.access import Permission, requires
from .models import ACTION_LABELS, AuditAction
from .services import entries

bp = Blueprint("audit", __name__)


@bp.route("/staff/audit")
@requires(Permission.STAFF_ACCOUNTS)
def trail():
    chosen = request.args.get("action", "")
    action = AuditAction(chosen) if chosen in set(AuditAction) else None
    return render_template("audit/trail.html", entries=entries(action=action), action=action,
                           labels=ACTION_LABELS)
