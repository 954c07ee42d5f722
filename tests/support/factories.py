"""Small builders for test data: only what a test says differs from a sensible default."""

from datetime import UTC, datetime, timedelta

from meetgreet.extensions import db
from meetgreet.scheduling.models import Event, EventStatus, Venue


def make_venue(**fields) -> Venue:
    venue = Venue(**{
        "name": "Werkplein Test", "address": "Teststraat 1", "town": "Amsterdam",
        "stand_count": 12, "layout_columns": 4, "candidate_capacity": 100, **fields,
    })
    db.session.add(venue)
    db.session.commit()
    return venue


def make_event(*, venue: Venue | None = None, days_ahead: int = 21,
               status: EventStatus = EventStatus.PUBLISHED, **fields) -> Event:
    venue = venue or make_venue()
    starts_at = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        hour=12, minute=0, second=0, microsecond=0)
    event = Event(**{
        "venue": venue, "starts_at": starts_at, "ends_at": starts_at + timedelta(hours=3),
        "status": status, "stand_count": venue.stand_count,
        "candidate_capacity": venue.candidate_capacity,
        "description_nl": "Ontmoet werkgevers.", "description_en": "Meet employers.",
        **fields,
    })
    db.session.add(event)
    db.session.commit()
    return event
