import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db


class AuditAction(enum.StrEnum):
    VIEWED_CANDIDATE = "viewed_candidate"
    CHANGED_CANDIDATE = "changed_candidate"
    CANCELLED_REGISTRATION = "cancelled_registration"
    IMPORTED_CANDIDATES = "imported_candidates"
    EXPORTED_LIST = "exported_list"
    PRINTED_BADGES = "printed_badges"
    UNDID_CHECK_IN = "undid_check_in"
    EXPORTED_PERSONAL_DATA = "exported_personal_data"  # a right-of-access download
    ERASED_CANDIDATE = "erased_candidate"
    ASSIGNED_FOLLOW_UP = "assigned_follow_up"


ACTION_LABELS = {
    AuditAction.VIEWED_CANDIDATE: _l("Viewed a candidate"),
    AuditAction.CHANGED_CANDIDATE: _l("Changed a candidate"),
    AuditAction.CANCELLED_REGISTRATION: _l("Cancelled a registration"),
    AuditAction.IMPORTED_CANDIDATES: _l("Imported candidates"),
    AuditAction.EXPORTED_LIST: _l("Exported a list"),
    AuditAction.PRINTED_BADGES: _l("Printed badges"),
    AuditAction.UNDID_CHECK_IN: _l("Undid a check-in"),
    AuditAction.EXPORTED_PERSONAL_DATA: _l("Downloaded all data of a person"),
    AuditAction.ERASED_CANDIDATE: _l("Erased a candidate's personal data"),
    AuditAction.ASSIGNED_FOLLOW_UP: _l("Gave follow-ups a new owner"),
}


class AuditEntry(db.Model):
    """Who did what to whose data, and when. It names the subject by its internal id and
    kind only, so the trail itself holds no personal data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction), index=True)
    subject_type: Mapped[str] = mapped_column(String(30), default="")
    subject_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")

    staff_user: Mapped["StaffUser | None"] = relationship()  # noqa: F821 - resolved by name
