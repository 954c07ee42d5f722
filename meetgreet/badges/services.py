"""Which badges an event needs, in print order, as plain BadgeData for the renderer."""

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.forms import ROLE_LABELS
from ..accounts.models import StaffUser
from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..checkin.models import BadgeCode
from ..checkin.services import badge_codes, representative_name
from ..core.reference import language_name, sector_label
from ..employers.models import BookingStatus, StandBooking
from ..extensions import db
from ..interpreters.models import Interpreter
from ..scheduling.models import Event
from .render import BadgeData, Kind, render_badges

KINDS = ("candidates", "employers", "interpreters", "staff")


def _languages(codes) -> tuple[str, ...]:
    return tuple(language_name(code) for code in codes)


def candidate_badge(registration: Registration) -> BadgeData:
    candidate = registration.candidate
    return BadgeData(
        Kind.CANDIDATE, candidate.display_name,
        latin_name=candidate.latin_name,
        languages=_languages(lang.code for lang in candidate.languages),
        sectors=tuple(sector_label(item.code) for item in candidate.sectors),
        qr_payload=registration.ticket_code,
    )


def candidate_registrations(event: Event, refs: list[str] | None = None) -> list[Registration]:
    """Everyone coming (registered, or walked in), by last name; or only the given refs."""
    statement = (select(Registration).join(Candidate)
                 .where(Registration.event_id == event.id,
                        Registration.status == RegistrationStatus.REGISTERED,
                        Candidate.anonymised_at.is_(None))
                 .order_by(Candidate.last_name, Candidate.first_name, Registration.id)
                 # Each badge shows the person's languages and sectors: load them with the list.
                 .options(contains_eager(Registration.candidate).selectinload(Candidate.languages),
                          contains_eager(Registration.candidate).selectinload(Candidate.sectors)))
    if refs is not None:
        statement = statement.where(Registration.ref.in_(refs[:1000]))
    return list(db.session.scalars(statement))


def candidate_badges(event: Event, refs: list[str] | None = None) -> list[BadgeData]:
    return [candidate_badge(registration) for registration in candidate_registrations(event, refs)]


def _confirmed_bookings(event: Event):
    return select(StandBooking).where(StandBooking.event_id == event.id,
                                      StandBooking.status == BookingStatus.CONFIRMED)


def _active_interpreters():
    return select(Interpreter).where(Interpreter.active.is_(True))


def employer_badge_count(event: Event) -> int:
    """How many badges `employer_badges` prints, without making their check-in codes."""
    badges = func.sum(case((StandBooking.representatives > 1, StandBooking.representatives),
                           else_=1))
    return db.session.scalar(_confirmed_bookings(event).with_only_columns(badges)) or 0


def interpreter_badge_count() -> int:
    """How many badges `interpreter_badges` prints, without making their check-in codes."""
    return db.session.scalar(_active_interpreters().with_only_columns(func.count()))


def employer_badges(event: Event) -> list[BadgeData]:
    """One badge per representative of each confirmed stand, by stand number, each with its
    own check-in code. Only the contact person's name is known; the other representatives'
    badges carry the organisation's name."""
    codes = badge_codes(event)
    bookings = db.session.scalars(
        _confirmed_bookings(event).options(selectinload(StandBooking.organisation))
        .order_by(StandBooking.stand_number, StandBooking.id))
    return [representative_badge(booking, number, codes.get(("booking", booking.id, number)))
            for booking in bookings for number in range(max(1, booking.representatives))]


def representative_badge(booking: StandBooking, slot: int, code: str | None) -> BadgeData:
    stand = str(booking.stand_number) if booking.stand_number is not None else None
    return BadgeData(
        Kind.EMPLOYER, representative_name(booking, slot),
        # The other representatives' badges already carry the organisation as name.
        subtitle=booking.organisation.name if slot == 0 else "", stand_number=stand,
        languages=_languages(booking.languages), qr_payload=code)


def interpreter_badges(event: Event) -> list[BadgeData]:
    """The active interpreters of the pool, by name (interpreters are not yet booked per
    event, so the pool prints; the planner picks the ones who come)."""
    codes = badge_codes(event)
    interpreters = db.session.scalars(
        _active_interpreters().options(selectinload(Interpreter.languages))
        .order_by(Interpreter.name))
    return [interpreter_badge(interpreter, codes.get(("interpreter", interpreter.id, None)))
            for interpreter in interpreters]


def interpreter_badge(interpreter: Interpreter, code: str | None) -> BadgeData:
    return BadgeData(Kind.INTERPRETER, interpreter.name, subtitle="Tolk / Interpreter",
                     languages=_languages(lang.code for lang in interpreter.languages),
                     qr_payload=code)


def badge_code_badge(badge: BadgeCode) -> BadgeData:
    """A representative's or an interpreter's badge again (lost or forgotten), same code."""
    if badge.stand_booking is not None:
        return representative_badge(badge.stand_booking, badge.slot or 0, badge.code)
    return interpreter_badge(badge.interpreter, badge.code)


def staff_members(ids: list[str] | None = None) -> list[StaffUser]:
    """Active staff accounts by name; or only the given account numbers."""
    statement = (select(StaffUser).where(StaffUser.active.is_(True))
                 .order_by(StaffUser.name, StaffUser.id))
    if ids is not None:
        statement = statement.where(StaffUser.id.in_(
            [int(number) for number in ids[:1000]
             if number.isascii() and number.isdigit() and len(number) < 10]))
    return list(db.session.scalars(statement))


def staff_badges(ids: list[str] | None = None) -> list[BadgeData]:
    """Staff badges carry the name and the role, no check-in code (staff are not counted)."""
    return [BadgeData(Kind.STAFF, user.name, subtitle=str(ROLE_LABELS[user.role]))
            for user in staff_members(ids)]


def event_badges(event: Event, kind: str, refs: list[str] | None = None) -> list[BadgeData]:
    """`refs` chooses some: candidates by staff reference, staff by account number."""
    if kind == "candidates":
        return candidate_badges(event, refs)
    if kind == "employers":
        return employer_badges(event)
    if kind == "interpreters":
        return interpreter_badges(event)
    if kind == "staff":
        return staff_badges(refs)
    raise ValueError(f"unknown badge kind {kind!r}; choose one of: {', '.join(KINDS)}")


def event_badges_pdf(event: Event, kind: str, layout: str,
                     refs: list[str] | None = None) -> bytes | None:
    """The PDF, or None when there is nobody to print."""
    badges = event_badges(event, kind, refs)
    if not badges:
        return None
    return render_badges(badges, layout, title=_("Badges") + f" · {event.title}")
