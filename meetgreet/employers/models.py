import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db


class Organisation(db.Model):
    """An employer: one record across all the events it takes part in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kvk_number: Mapped[str | None] = mapped_column(String(8), unique=True)
    sector: Mapped[str] = mapped_column(String(30))
    website: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(80), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="", index=True)
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    # A short-lived link, mailed to a returning employer, that fills in the next reservation.
    prefill_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    prefill_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bookings: Mapped[list["StandBooking"]] = relationship(
        back_populates="organisation", order_by="StandBooking.created_at"
    )


class BookingStatus(enum.StrEnum):
    PENDING = "pending"  # holds a stand, waits for staff approval
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    OFFERED = "offered"  # a freed stand, held until the employer confirms or the offer expires
    DECLINED = "declined"
    CANCELLED = "cancelled"


# Bookings that take one of the event's stands; the capacity check counts exactly these.
HOLDS_STAND = frozenset({BookingStatus.CONFIRMED, BookingStatus.PENDING, BookingStatus.OFFERED})
LIVE_STATUSES = HOLDS_STAND | {BookingStatus.WAITING}

# The only moves a booking can make; anything else is a programming error.
TRANSITIONS: dict[BookingStatus, frozenset[BookingStatus]] = {
    BookingStatus.PENDING: frozenset(
        {BookingStatus.CONFIRMED, BookingStatus.DECLINED, BookingStatus.CANCELLED}),
    BookingStatus.CONFIRMED: frozenset({BookingStatus.CANCELLED}),
    BookingStatus.WAITING: frozenset(
        {BookingStatus.OFFERED, BookingStatus.DECLINED, BookingStatus.CANCELLED}),
    BookingStatus.OFFERED: frozenset({BookingStatus.CONFIRMED, BookingStatus.PENDING,
                                      BookingStatus.DECLINED, BookingStatus.CANCELLED}),
    BookingStatus.DECLINED: frozenset(),
    BookingStatus.CANCELLED: frozenset(),
}

BOOKING_STATUS_LABELS = {
    BookingStatus.PENDING: _l("Waiting for approval"),
    BookingStatus.CONFIRMED: _l("Confirmed"),
    BookingStatus.WAITING: _l("On the waiting list"),
    BookingStatus.OFFERED: _l("Stand offered"),
    BookingStatus.DECLINED: _l("Declined"),
    BookingStatus.CANCELLED: _l("Cancelled"),
}


class InvalidTransition(ValueError):
    """A booking was asked to move to a status it cannot reach from where it is."""


class StandBooking(db.Model):
    """One organisation's stand (or place on the waiting list) at one event."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(100))
    contact_email: Mapped[str] = mapped_column(String(254), index=True)
    contact_phone: Mapped[str] = mapped_column(String(20))
    # The language of our mails to this contact: nl or en.
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    representatives: Mapped[int] = mapped_column(default=1)
    # Language codes from core.reference.LANGUAGES, comma-separated.
    representative_languages: Mapped[str] = mapped_column(String(120), default="")
    interpreter_languages: Mapped[str] = mapped_column(String(120), default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BookingStatus] = mapped_column(enum_column(BookingStatus), index=True)
    stand_number: Mapped[int | None]
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminder_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    manage_token_expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    organisation: Mapped[Organisation] = relationship(back_populates="bookings")
    vacancies: Mapped[list["Vacancy"]] = relationship(
        back_populates="booking", cascade="all, delete-orphan", order_by="Vacancy.id"
    )

    @property
    def languages(self) -> list[str]:
        return [code for code in self.representative_languages.split(",") if code]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.representative_languages = ",".join(dict.fromkeys(codes))

    @property
    def interpreters_wanted(self) -> list[str]:
        return [code for code in self.interpreter_languages.split(",") if code]

    @interpreters_wanted.setter
    def interpreters_wanted(self, codes: list[str]) -> None:
        self.interpreter_languages = ",".join(dict.fromkeys(codes))

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def holds_stand(self) -> bool:
        return self.status in HOLDS_STAND

    def move_to(self, status: BookingStatus, now: datetime | None = None) -> None:
        """The one way a booking changes status; stand and offer follow the status."""
        if status not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"{self.status} -> {status}")
        self.status = status
        self.status_changed_at = now or utcnow()
        if status is not BookingStatus.OFFERED:
            self.offer_expires_at = None
        if status not in HOLDS_STAND:
            self.stand_number = None


class Vacancy(db.Model):
    """A job an employer brings to the event; candidates see it on the event page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("stand_booking.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    sector: Mapped[str] = mapped_column(String(30))
    hours_per_week: Mapped[int | None]
    location: Mapped[str] = mapped_column(String(80), default="")
    dutch_level: Mapped[str] = mapped_column(String(4), default="none")
    # A taal- en werkervaringsstage or learn-and-work route can lead into this job.
    route_possible: Mapped[bool] = mapped_column(default=False)
    description: Mapped[str] = mapped_column(Text, default="")

    booking: Mapped[StandBooking] = relationship(back_populates="vacancies")
