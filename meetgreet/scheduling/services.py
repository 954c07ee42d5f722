"""Rules about events that several pages share."""

from datetime import timedelta

from flask import url_for
from sqlalchemy import select

from ..core.types import utcnow
from ..extensions import db
from .calendar import CalendarEntry, Method, build_invitation
from .models import PUBLIC_STATUSES, Event, EventStatus


def upcoming_events(*, public_only: bool = False, limit: int | None = None) -> list[Event]:
    """Events that have not ended yet (or ended less than a day ago), soonest first."""
    query = (
        select(Event)
        .where(Event.ends_at >= utcnow() - timedelta(days=1))
        .order_by(Event.starts_at)
        .limit(limit)
    )
    if public_only:
        query = query.where(Event.status.in_(PUBLIC_STATUSES))
    return list(db.session.scalars(query))


def public_event_or_none(event_id: int) -> Event | None:
    event = db.session.get(Event, event_id)
    return event if event is not None and event.is_public else None


def calendar_entry(event: Event) -> CalendarEntry:
    """The event as calendars see it; needs a request or SERVER_NAME for its URL."""
    venue = event.venue
    return CalendarEntry(
        uid=event.ical_uid,
        sequence=event.ical_sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"Meet & Greet: {event.theme}" if event.theme else "Meet & Greet",
        location=f"{venue.name}, {venue.address}, {venue.town}",
        description="\n\n".join(filter(None, (event.description_nl, event.description_en))),
        url=url_for("scheduling.public_event", event_id=event.id, _external=True),
        cancelled=event.status is EventStatus.CANCELLED,
        dtstamp=event.updated_at or event.created_at,
    )


def event_invitation(event: Event, method: Method = "PUBLISH", *,
                     attendee_email: str | None = None) -> bytes:
    """A single event's .ics: PUBLISH for download, REQUEST/CANCEL attached to mails."""
    from flask import current_app

    sender = current_app.config["MAIL_SENDER"]
    organizer = sender[sender.find("<") + 1 : sender.rfind(">")] if "<" in sender else sender
    return build_invitation(calendar_entry(event), method=method, organizer_email=organizer,
                            attendee_email=attendee_email)
