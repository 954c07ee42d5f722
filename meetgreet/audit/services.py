"""Recording and reading the audit trail."""

from flask_login import current_user
from sqlalchemy import select

from ..extensions import db
from .models import AuditAction, AuditEntry


def record(action: AuditAction, subject=None, detail: str = "", *, by=None) -> AuditEntry:
    """Add an entry for `by`, or else the logged-in staff member; `detail` must hold no
    personal data."""
    if by is None and getattr(current_user, "is_authenticated", False):
        by = current_user
    entry = AuditEntry(
        staff_user_id=by.id if by is not None else None,
        action=action,
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        detail=detail[:200],
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def entries(*, action: AuditAction | None = None, subject_type: str = "",
            subject_id: int | None = None, limit: int = 500) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if subject_type:
        query = query.where(AuditEntry.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(AuditEntry.subject_id == subject_id)
    return list(db.session.scalars(query))
