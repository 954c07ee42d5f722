"""The rules of stand reservation: capacity that never oversells, waiting list, offers, moderation.

Every function that changes bookings commits its own transaction and returns what happened;
mails go out after the commit (see notifications.py), so a slow mail server never holds a lock.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from ..core.reference import SECTOR_CODES
from ..core.tokens import find_by_token, hash_token, new_link_token
from ..core.types import utcnow
from ..extensions import db
from ..scheduling.models import Event, EventStatus
from ..scheduling.services import lock_event
from .models import HOLDS_STAND, BookingStatus, Organisation, StandBooking, Vacancy

OFFER_HOURS = 48  # default time a promoted employer has to confirm a freed stand
MANAGE_LINK_DAYS_AFTER_EVENT = 30


class ReservationRefused(Exception):
    """The event does not take reservations now; `reason` says why, for the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "not_open", "closed", "cancelled"


class AlreadyBooked(Exception):
    """This organisation already has a live booking for the event (a fresh link was made)."""

    def __init__(self, booking: StandBooking, token: str):
        super().__init__(booking.id)
        self.booking = booking
        self.token = token


@dataclass
class VacancyData:
    title: str
    sector: str
    hours_per_week: int | None = None
    location: str = ""
    dutch_level: str = "none"
    route_possible: bool = False
    description: str = ""


@dataclass
class ReservationData:
    organisation_name: str
    kvk_number: str
    sector: str
    contact_name: str
    contact_email: str  # normalised already (core.contact)
    contact_phone: str  # E.164 already
    website: str = ""
    town: str = ""
    representatives: int = 1
    languages: list[str] = field(default_factory=list)
    interpreter_languages: list[str] = field(default_factory=list)
    remarks: str = ""
    locale: str = "nl"
    vacancies: list[VacancyData] = field(default_factory=list)


@dataclass
class Outcome:
    """A booking that changed, with what its mail needs; `token` only when a new link was made."""

    booking: StandBooking
    kind: str  # confirmed, pending, waiting, offered, approved, declined, cancelled, changed
    token: str | None = None


# --- when employers may reserve --------------------------------------------------------


def reservation_refusal(event: Event, now: datetime | None = None) -> str | None:
    """Why the event takes no reservation now, or None when it does."""
    now = now or utcnow()
    if event.status is EventStatus.CANCELLED:
        return "cancelled"
    if event.status is not EventStatus.PUBLISHED:
        return "closed" if event.status is not EventStatus.DRAFT else "not_open"
    if event.employer_registration_opens_at and now < event.employer_registration_opens_at:
        return "not_open"
    closes_at = event.employer_registration_closes_at or event.starts_at
    if now >= closes_at:
        return "closed"
    return None


def change_deadline(event: Event) -> datetime:
    return event.employer_registration_closes_at or event.starts_at


def can_change(booking: StandBooking, now: datetime | None = None) -> bool:
    return booking.is_live and (now or utcnow()) < change_deadline(booking.event)


def can_cancel(booking: StandBooking, now: datetime | None = None) -> bool:
    return booking.is_live and (now or utcnow()) < booking.event.starts_at


# --- capacity ----------------------------------------------------------------------------


def _lock_event(event_id: int) -> Event:
    # STAND_LOCKING is off only in the test that shows the race the lock prevents.
    if current_app.config.get("STAND_LOCKING", True):
        return lock_event(event_id)
    return db.session.get_one(Event, event_id, populate_existing=True)


def stands_taken(event_id: int) -> int:
    return db.session.scalar(
        select(func.count(StandBooking.id)).where(
            StandBooking.event_id == event_id, StandBooking.status.in_(HOLDS_STAND)
        )
    )


def stands_free(event: Event) -> int:
    return max(0, event.stand_count - stands_taken(event.id))


def waiting_position(booking: StandBooking) -> int | None:
    """1 for the first on the waiting list; the list is in order of arrival."""
    if booking.status is not BookingStatus.WAITING:
        return None
    return db.session.scalar(
        select(func.count(StandBooking.id)).where(
            StandBooking.event_id == booking.event_id,
            StandBooking.status == BookingStatus.WAITING,
            StandBooking.id <= booking.id,
        )
    )


def _free_stand_number(event: Event) -> int | None:
    used = set(db.session.scalars(
        select(StandBooking.stand_number).where(
            StandBooking.event_id == event.id, StandBooking.stand_number.is_not(None),
            StandBooking.status.in_(HOLDS_STAND),
        )
    ))
    return next((n for n in range(1, event.stand_count + 1) if n not in used), None)


def _give_stand(booking: StandBooking, status: BookingStatus, now: datetime) -> None:
    booking.move_to(status, now)
    if booking.stand_number is None:
        booking.stand_number = _free_stand_number(booking.event)


# --- tokens ------------------------------------------------------------------------------


def _new_manage_token(booking: StandBooking, event: Event) -> str:
    """A fresh manage link; earlier links of this booking stop working."""
    token = new_link_token()
    booking.manage_token_hash = hash_token(token)
    booking.manage_token_expires_at = event.ends_at + timedelta(days=MANAGE_LINK_DAYS_AFTER_EVENT)
    return token


def booking_for_token(token: str, now: datetime | None = None) -> StandBooking | None:
    """The booking a manage link opens, or None for a wrong or expired link."""
    booking = find_by_token(StandBooking.manage_token_hash, token)
    if booking is None or (now or utcnow()) >= booking.manage_token_expires_at:
        return None
    return booking


# --- reserving ---------------------------------------------------------------------------


def _live_booking_of(event_id: int, kvk_number: str, email: str) -> StandBooking | None:
    return db.session.scalar(
        select(StandBooking)
        .join(Organisation)
        .where(
            StandBooking.event_id == event_id,
            StandBooking.status.in_(HOLDS_STAND | {BookingStatus.WAITING}),
            or_(Organisation.kvk_number == kvk_number, StandBooking.contact_email == email),
        )
        .limit(1)
    )


def _organisation_for(data: ReservationData) -> Organisation:
    """The one record of this employer, brought up to date with what they just told us."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.kvk_number == data.kvk_number)
    )
    if organisation is None:
        organisation = Organisation(kvk_number=data.kvk_number)
        db.session.add(organisation)
    organisation.name = data.organisation_name
    organisation.sector = data.sector
    organisation.website = data.website
    organisation.town = data.town
    organisation.contact_name = data.contact_name
    organisation.contact_email = data.contact_email
    organisation.contact_phone = data.contact_phone
    return organisation


def _vacancies(data: list[VacancyData]) -> list[Vacancy]:
    return [Vacancy(title=v.title, sector=v.sector, hours_per_week=v.hours_per_week,
                    location=v.location, dutch_level=v.dutch_level,
                    route_possible=v.route_possible, description=v.description)
            for v in data]


def reserve_stand(event_id: int, data: ReservationData, now: datetime | None = None) -> Outcome:
    """Lock the event, check capacity, create the booking: one transaction.

    Raises ReservationRefused when the event takes no reservations, AlreadyBooked (with a
    fresh manage link) when this organisation already has a live booking for the event.
    """
    try:
        return _reserve_stand(event_id, data, now or utcnow())
    except IntegrityError:
        # The same new organisation reserved at another event at this very moment (the lock
        # is per event); its record exists now, so the second try uses it.
        return _reserve_stand(event_id, data, now or utcnow())


def _reserve_stand(event_id: int, data: ReservationData, now: datetime) -> Outcome:
    try:
        event = _lock_event(event_id)
        refusal = reservation_refusal(event, now)
        if refusal:
            raise ReservationRefused(refusal)
        existing = _live_booking_of(event.id, data.kvk_number, data.contact_email)
        if existing is not None:
            token = _new_manage_token(existing, event)
            db.session.commit()
            raise AlreadyBooked(existing, token)

        free = event.stand_count - stands_taken(event.id)
        delay = current_app.config.get("STAND_RACE_DELAY", 0)
        if delay and not current_app.config.get("STAND_LOCKING", True):
            # Test-only: widens the gap between check and create so the control test can show
            # the race that the lock prevents. Never set outside tests.
            time.sleep(delay)

        if free <= 0:
            status, number = BookingStatus.WAITING, None
        elif event.stands_need_approval:
            status, number = BookingStatus.PENDING, None
        else:
            status, number = BookingStatus.CONFIRMED, _free_stand_number(event)
        booking = StandBooking(
            event=event, organisation=_organisation_for(data),
            contact_name=data.contact_name, contact_email=data.contact_email,
            contact_phone=data.contact_phone, locale=data.locale,
            representatives=data.representatives, remarks=data.remarks,
            status=status, stand_number=number, status_changed_at=now, created_at=now,
            vacancies=_vacancies(data.vacancies),
        )
        booking.languages = data.languages
        booking.interpreters_wanted = data.interpreter_languages
        token = _new_manage_token(booking, event)
        db.session.add(booking)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Outcome(booking, booking.status.value, token)


# --- changes by the employer --------------------------------------------------------------


def update_booking(booking: StandBooking, *, representatives: int, languages: list[str],
                   interpreter_languages: list[str], remarks: str,
                   vacancies: list[VacancyData]) -> Outcome:
    booking.representatives = representatives
    booking.languages = languages
    booking.interpreters_wanted = interpreter_languages
    booking.remarks = remarks
    booking.vacancies = _vacancies(vacancies)
    db.session.commit()
    return Outcome(booking, "changed")


def _promote_waiting(event: Event, now: datetime) -> list[Outcome]:
    """Offer freed stands to the first on the waiting list (caller holds the event lock)."""
    if not event.moves_waiting_lists(now):
        return []
    outcomes = []
    hours = current_app.config.get("OFFER_HOURS", OFFER_HOURS)
    free = event.stand_count - stands_taken(event.id)
    while free > 0:
        first = db.session.scalar(
            select(StandBooking)
            .where(StandBooking.event_id == event.id,
                   StandBooking.status == BookingStatus.WAITING)
            .order_by(StandBooking.id)
            .limit(1)
        )
        if first is None:
            break
        first.move_to(BookingStatus.OFFERED, now)
        first.offer_expires_at = min(now + timedelta(hours=hours), event.starts_at)
        db.session.flush()
        outcomes.append(Outcome(first, "offered", _new_manage_token(first, event)))
        free -= 1
    return outcomes


def offer_free_stands(event: Event, now: datetime | None = None) -> list[Outcome]:
    """After staff add stands to an event: offer them to the waiting list, in order."""
    try:
        outcomes = _promote_waiting(_lock_event(event.id), now or utcnow())
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return outcomes


def _end_booking(booking: StandBooking, status: BookingStatus, now: datetime,
                 kind: str, reason: str = "") -> list[Outcome]:
    """Cancel or decline; a freed stand goes to the waiting list in the same transaction."""
    try:
        event = _lock_event(booking.event_id)
        db.session.refresh(booking)
        freed = booking.holds_stand
        booking.move_to(status, now)
        booking.decline_reason = reason
        db.session.flush()
        outcomes = [Outcome(booking, kind)]
        if freed:
            outcomes += _promote_waiting(event, now)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return outcomes


def cancel_booking(booking: StandBooking, now: datetime | None = None) -> list[Outcome]:
    return _end_booking(booking, BookingStatus.CANCELLED, now or utcnow(), "cancelled")


def decline_booking(booking: StandBooking, reason: str,
                    now: datetime | None = None) -> list[Outcome]:
    return _end_booking(booking, BookingStatus.DECLINED, now or utcnow(), "declined", reason)


def accept_offer(booking: StandBooking, now: datetime | None = None) -> Outcome:
    """The promoted employer takes the offered stand (approval still applies if the event asks)."""
    now = now or utcnow()
    try:
        event = _lock_event(booking.event_id)
        db.session.refresh(booking)
        if booking.status is not BookingStatus.OFFERED or (
                booking.offer_expires_at and now >= booking.offer_expires_at):
            raise ValueError("no open offer")
        status = BookingStatus.PENDING if event.stands_need_approval else BookingStatus.CONFIRMED
        _give_stand(booking, status, now)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Outcome(booking, status.value)


def approve_booking(booking: StandBooking, now: datetime | None = None) -> Outcome:
    now = now or utcnow()
    try:
        _lock_event(booking.event_id)
        db.session.refresh(booking)
        _give_stand(booking, BookingStatus.CONFIRMED, now)
        token = _new_manage_token(booking, booking.event)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return Outcome(booking, "approved", token)


def expire_offers(now: datetime | None = None) -> list[Outcome]:
    """Offers not taken in time lapse (cancelled) and pass to the next on the waiting list."""
    now = now or utcnow()
    expired = list(db.session.scalars(
        select(StandBooking).where(StandBooking.status == BookingStatus.OFFERED,
                                   StandBooking.offer_expires_at <= now)
        .order_by(StandBooking.id)
    ))
    outcomes: list[Outcome] = []
    for booking in expired:
        outcomes += _end_booking(booking, BookingStatus.CANCELLED, now, "offer_expired")
    return outcomes


def fresh_links(email: str, now: datetime | None = None) -> list[Outcome]:
    """New manage links for every live booking of this address at events still to come."""
    now = now or utcnow()
    bookings = list(db.session.scalars(
        select(StandBooking).join(Event)
        .where(StandBooking.contact_email == email,
               StandBooking.status.in_(HOLDS_STAND | {BookingStatus.WAITING}),
               Event.ends_at > now)
    ))
    outcomes = [Outcome(b, "link", _new_manage_token(b, b.event)) for b in bookings]
    db.session.commit()
    return outcomes


# --- staff -------------------------------------------------------------------------------


def event_bookings(event_id: int) -> list[StandBooking]:
    """Every booking of an event, by stand, with its organisation and vacancies."""
    return list(db.session.scalars(
        select(StandBooking).where(StandBooking.event_id == event_id)
        .options(joinedload(StandBooking.organisation), selectinload(StandBooking.vacancies))
        .order_by(StandBooking.stand_number.is_(None), StandBooking.stand_number,
                  StandBooking.id)
    ))


def waiting_positions(bookings: Iterable[StandBooking]) -> dict[int, int]:
    """Each waiting booking's place on the list, as `waiting_position` counts it, for all of
    an event's bookings at once."""
    waiting = sorted(booking.id for booking in bookings
                     if booking.status is BookingStatus.WAITING)
    return {booking_id: place for place, booking_id in enumerate(waiting, 1)}


def reservation_counts(organisation_ids: Iterable[int]) -> dict[int, int]:
    """How many reservations each of these employers made, over all events."""
    return dict(db.session.execute(
        select(StandBooking.organisation_id, func.count())
        .where(StandBooking.organisation_id.in_(set(organisation_ids)))
        .group_by(StandBooking.organisation_id)).all())


def organisation_history(organisation: Organisation) -> list[StandBooking]:
    """Every booking of one employer, newest event first."""
    return list(db.session.scalars(
        select(StandBooking).join(Event).where(StandBooking.organisation_id == organisation.id)
        .order_by(Event.starts_at.desc(), StandBooking.id.desc())
    ))


def participating(event: Event) -> list[StandBooking]:
    """Confirmed stands, for the public event page, in stand order."""
    return [b for b in event_bookings(event.id) if b.status is BookingStatus.CONFIRMED]


class StandNumberError(ValueError):
    pass


def assign_stand_numbers(event: Event, numbers: dict[int, int | None]) -> None:
    """Staff place stands on the floor plan: booking id -> stand number (None = unplaced)."""
    bookings = {b.id: b for b in event_bookings(event.id) if b.holds_stand}
    wanted = {bid: number for bid, number in numbers.items() if bid in bookings}
    placed = [n for n in wanted.values() if n is not None]
    if any(n < 1 or n > event.stand_count for n in placed):
        raise StandNumberError("out_of_range")
    if len(placed) != len(set(placed)):
        raise StandNumberError("duplicate")
    for bid, number in wanted.items():
        bookings[bid].stand_number = number
    db.session.commit()


def suggest_by_sector(event: Event) -> dict[int, int]:
    """Neighbouring numbers for stands of the same sector, in the sectors' usual order."""
    order = {code: index for index, code in enumerate(SECTOR_CODES)}
    bookings = [b for b in event_bookings(event.id) if b.holds_stand]
    bookings.sort(key=lambda b: (order.get(b.organisation.sector, len(order)),
                                 b.organisation.name.lower(), b.id))
    return {b.id: number for number, b in enumerate(bookings[: event.stand_count], start=1)}


def set_needs_approval(event: Event, needs_approval: bool) -> None:
    event.stands_need_approval = needs_approval
    db.session.commit()


# --- returning employers and reminders -----------------------------------------------------

PREFILL_LINK_DAYS = 7
REMINDER_BEFORE = timedelta(days=2)


def request_prefill_link(email: str,
                         now: datetime | None = None) -> tuple[Organisation, str] | None:
    """A link that fills in the next reservation from this employer's last one, or None when
    the address is unknown (the page says the same either way)."""
    now = now or utcnow()
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.contact_email == email)
        .order_by(Organisation.id.desc()).limit(1)
    ) or db.session.scalar(
        select(Organisation).join(StandBooking).where(StandBooking.contact_email == email)
        .order_by(StandBooking.id.desc()).limit(1)
    )
    if organisation is None:
        return None
    token = new_link_token()
    organisation.prefill_token_hash = hash_token(token)
    organisation.prefill_token_expires_at = now + timedelta(days=PREFILL_LINK_DAYS)
    db.session.commit()
    return organisation, token


def organisation_for_prefill(token: str, now: datetime | None = None) -> Organisation | None:
    organisation = find_by_token(Organisation.prefill_token_hash, token)
    if organisation is None or (now or utcnow()) >= organisation.prefill_token_expires_at:
        return None
    return organisation


def last_booking(organisation: Organisation) -> StandBooking | None:
    return db.session.scalar(
        select(StandBooking).where(StandBooking.organisation_id == organisation.id)
        .order_by(StandBooking.id.desc()).limit(1)
    )


def due_reminders(now: datetime | None = None) -> list[Outcome]:
    """Confirmed stands of events starting within two days that were not reminded yet."""
    now = now or utcnow()
    bookings = list(db.session.scalars(
        select(StandBooking).join(Event)
        .where(StandBooking.status == BookingStatus.CONFIRMED,
               StandBooking.reminder_sent_at.is_(None),
               Event.status.in_((EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED)),
               Event.starts_at > now, Event.starts_at <= now + REMINDER_BEFORE)
        .order_by(StandBooking.id)
    ))
    for booking in bookings:
        booking.reminder_sent_at = now
    db.session.commit()
    return [Outcome(booking, "reminder") for booking in bookings]


def renew_manage_link(booking: StandBooking) -> str:
    """A fresh manage link for a mail after the event (the earlier link stops working)."""
    token = _new_manage_token(booking, booking.event)
    db.session.commit()
    return token
