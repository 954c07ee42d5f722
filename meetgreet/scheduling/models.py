import enum
import uuid
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, Time, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db


class Venue(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(80))
    stand_count: Mapped[int]
    # Stands are numbered row by row on a grid this many columns wide.
    layout_columns: Mapped[int] = mapped_column(default=6)
    candidate_capacity: Mapped[int]
    accessibility_notes: Mapped[str] = mapped_column(Text, default="")
    route_description: Mapped[str] = mapped_column(Text, default="")

    blackouts: Mapped[list["VenueBlackout"]] = relationship(
        back_populates="venue", cascade="all, delete-orphan", order_by="VenueBlackout.starts_on"
    )


class VenueBlackout(db.Model):
    """Days the venue cannot be used (renovation, another tenant, school holidays ...)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(120), default="")

    venue: Mapped[Venue] = relationship(back_populates="blackouts")


class Series(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id"), index=True)
    weekday: Mapped[int]  # 0 = Monday
    starts_at: Mapped[time] = mapped_column(Time)
    ends_at: Mapped[time] = mapped_column(Time)
    interval_weeks: Mapped[int] = mapped_column(default=5)
    min_days: Mapped[int] = mapped_column(default=28)
    max_days: Mapped[int] = mapped_column(default=42)

    venue: Mapped[Venue] = relationship()
    events: Mapped[list["Event"]] = relationship(
        back_populates="series", order_by="Event.starts_at"
    )


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    REGISTRATION_CLOSED = "registration_closed"
    HELD = "held"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


# Visible to the public: published, closed for registration, and cancelled (so people learn it).
PUBLIC_STATUSES = frozenset(
    {EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.CANCELLED}
)


class Event(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.DRAFT
    )
    stand_count: Mapped[int]
    candidate_capacity: Mapped[int]
    theme: Mapped[str] = mapped_column(String(120), default="")
    description_nl: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_uk: Mapped[str] = mapped_column(Text, default="")
    description_ru: Mapped[str] = mapped_column(Text, default="")
    description_ar: Mapped[str] = mapped_column(Text, default="")
    employer_registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    employer_registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    candidate_registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    candidate_registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Stands: confirmed at once, or held as pending until staff approve them.
    stands_need_approval: Mapped[bool] = mapped_column(default=False, server_default=false())
    max_representatives: Mapped[int] = mapped_column(default=3, server_default="3")
    # Calendar clients match updates by UID and accept them when SEQUENCE grows.
    ical_uid: Mapped[str] = mapped_column(
        String(64), unique=True, default=lambda: f"{uuid.uuid4()}@meetgreet"
    )
    ical_sequence: Mapped[int] = mapped_column(default=0)
    # Optimistic locking: a second planner saving a stale form gets a conflict, not a silent win.
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    series: Mapped[Series | None] = relationship(back_populates="events")
    venue: Mapped[Venue] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    def moves_waiting_lists(self, now: datetime) -> bool:
        """Freed places go to the waiting lists only while the event is on and ahead:
        never a ticket for a cancelled, held or already started event."""
        return (self.status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)
                and now < self.starts_at)

    @property
    def title(self) -> str:
        return self.theme or (self.series.name if self.series else "Meet & Greet")

    def description(self, locale: str) -> str:
        """The description in the reader's language, else Dutch, else English."""
        for candidate in (locale, "nl", "en"):
            text = getattr(self, f"description_{candidate}", "")
            if text:
                return text
        return ""


STATUS_LABELS = {
    EventStatus.DRAFT: _l("Draft"),
    EventStatus.PUBLISHED: _l("Registration open"),
    EventStatus.REGISTRATION_CLOSED: _l("Registration closed"),
    EventStatus.HELD: _l("Held"),
    EventStatus.ARCHIVED: _l("Archived"),
    EventStatus.CANCELLED: _l("Cancelled"),
}


class StaffCalendarFeed(db.Model):
    """The secret that opens the staff feed (drafts included); an admin can rotate it.

    Kept readable rather than hashed: staff must be able to copy the feed's address,
    and it reveals only event dates, never people.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    rotated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
