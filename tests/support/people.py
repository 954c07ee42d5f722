"""Builders for the day of an event: stands with a known manage link, people who came."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Registration,
    RegistrationStatus,
)
from meetgreet.core.tokens import hash_token, new_link_token
from meetgreet.employers.models import BookingStatus, Organisation, StandBooking
from meetgreet.extensions import db
from meetgreet.followup.models import Conversation
from meetgreet.scheduling.models import EventStatus

from .factories import make_event


def live_event(**fields):
    """An event going on right now."""
    now = datetime.now(UTC)
    return make_event(**{"starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(hours=2),
                         "status": EventStatus.REGISTRATION_CLOSED, **fields})


def held_event(days_ago: int = 3, **fields):
    now = datetime.now(UTC)
    starts = now - timedelta(days=days_ago)
    return make_event(**{"starts_at": starts, "ends_at": starts + timedelta(hours=3),
                         "status": EventStatus.HELD, **fields})


def stand(event, number: int = 1, *, name: str | None = None, status=BookingStatus.CONFIRMED,
          email: str | None = None) -> tuple[StandBooking, str]:
    """A booking and its manage-link token."""
    token = new_link_token()
    organisation = Organisation(name=name or f"Werkgever {number} B.V.",
                                kvk_number=f"{20000000 + number + event.id * 100:08d}",
                                sector="care", contact_email=email or f"hr{number}@example.nl")
    booking = StandBooking(
        event=event, organisation=organisation, contact_name=f"Contact {number}",
        contact_email=email or f"hr{number}@example.nl", contact_phone="+31612345678",
        status=status, stand_number=number, manage_token_hash=hash_token(token),
        manage_token_expires_at=event.ends_at + timedelta(days=30), representatives=2)
    db.session.add(booking)
    db.session.commit()
    return booking, token


def person(event, first: str = "Olena", last: str = "Kovalenko", *, latin: str = "",
           checked_in: bool = True, consent: bool = True, walk_in: bool = False,
           languages=("uk",), sectors=("care",), dutch_level: str = "A1", experience: str = "",
           status=RegistrationStatus.REGISTERED, candidate: Candidate | None = None,
           email: str | None = None, phone: str | None = None, coach=None) -> Registration:
    now = datetime.now(UTC)
    if candidate is None:
        candidate = Candidate(first_name=first, last_name=last, latin_name=latin,
                              email=email, phone=phone, dutch_level=dutch_level,
                              experience=experience, coach=coach)
        candidate.languages = [CandidateLanguage(code=code) for code in languages]
        candidate.sectors = [CandidateSector(code=code) for code in sectors]
    registration = Registration(
        event=event, candidate=candidate, status=status, walk_in=walk_in,
        link_token_hash=hash_token(new_link_token()),
        share_consent_at=now if consent else None,
        checked_in_at=now if checked_in else None,
        cancelled_at=now if status is RegistrationStatus.CANCELLED else None)
    db.session.add(registration)
    db.session.commit()
    return registration


__all__ = ["Role", "held_event", "live_event", "person", "stand"]


def conversations_at(booking: StandBooking) -> list[Conversation]:
    """Everything stored for a stand, newest first, whatever the employer may see."""
    return list(db.session.scalars(
        select(Conversation).where(Conversation.stand_booking_id == booking.id)
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())))
