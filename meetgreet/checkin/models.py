import enum
import json
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.tokens import new_code
from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db


class ScanResult(enum.StrEnum):
    OK = "ok"
    ALREADY_CHECKED_IN = "already_checked_in"
    CANCELLED = "cancelled"
    WRONG_EVENT = "wrong_event"
    UNKNOWN = "unknown"
    UNDONE = "undone"  # not a scan: staff took a check-in back (with a reason)


class CheckInDevice(db.Model):
    """A scanner (phone, tablet, USB-scanner PC) that checks in with its own API token.

    Only the token's hash is kept: the token is shown once, when an admin issues it."""

    __tablename__ = "check_in_device"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A token limited to one event opens only that event's door; None opens every event's.
    # Deleting the event deletes the token, so it can never fall back to "every event".
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))

    created_by: Mapped["StaffUser | None"] = relationship()  # noqa: F821 - resolved by name
    event: Mapped["Event | None"] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class BadgeCode(db.Model):
    """The check-in code on the badge of an employer's representative (one per representative
    slot of a stand booking) or of an interpreter at one event. Made when the badges are
    printed; checked in exactly like a candidate's ticket."""

    __tablename__ = "badge_code"
    __table_args__ = (
        UniqueConstraint("stand_booking_id", "slot"),
        UniqueConstraint("event_id", "interpreter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, default=new_code)
    stand_booking_id: Mapped[int | None] = mapped_column(
        ForeignKey("stand_booking.id", ondelete="CASCADE"))
    slot: Mapped[int | None]  # 0 = the contact person, 1.. = the other representatives
    interpreter_id: Mapped[int | None] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"))
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    stand_booking: Mapped["StandBooking | None"] = relationship()  # noqa: F821
    interpreter: Mapped["Interpreter | None"] = relationship()  # noqa: F821


class CheckInAttempt(db.Model):
    """Every scan at the door, refused ones too, and every undo: who, where, when, what answer.

    The scanned code itself is never stored, only its SHA-256: a wrong or foreign code typed
    at the door must not end up readable in our log. The answer is kept as sent, so the same
    nonce (a device re-sending after a timeout) gets the same answer and makes no new record."""

    __tablename__ = "check_in_attempt"
    __table_args__ = (UniqueConstraint("event_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    nonce: Mapped[str | None] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64), default="")
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registration.id", ondelete="SET NULL"), index=True)
    badge_code_id: Mapped[int | None] = mapped_column(
        ForeignKey("badge_code.id", ondelete="SET NULL"), index=True)
    result: Mapped[ScanResult] = mapped_column(enum_column(ScanResult))
    answer: Mapped[str] = mapped_column(Text, default="{}")
    device: Mapped[str] = mapped_column(String(60), default="")
    device_id: Mapped[int | None] = mapped_column(
        ForeignKey("check_in_device.id", ondelete="SET NULL"))
    staff_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    registration: Mapped["Registration | None"] = relationship()  # noqa: F821
    badge_code: Mapped["BadgeCode | None"] = relationship()
    staff_user: Mapped["StaffUser | None"] = relationship()  # noqa: F821

    @property
    def answer_data(self) -> dict:
        return json.loads(self.answer)
