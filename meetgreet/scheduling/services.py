"""Rules about events that several pages share."""

from datetime import timedelta

from sqlalchemy import select

from ..core.types import utcnow
from ..extensions import db
from .models import Event, EventStatus

PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.CANCELLED)


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
