"""Candidate registration rules: capacity with a waiting list, one person across events,
tickets and their mail. Views and tests call these functions; they need a request context
(for links in mails)."""

import io
from dataclasses import dataclass, field
from datetime import datetime

import qrcode
from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from ..core.contact import display_phone
from ..core.spreadsheet import csv_text
from ..core.tokens import find_by_token, hash_token, new_code, new_link_token
from ..core.types import utcnow
from ..extensions import db
from ..mail.services import Attachment, InlineImage, send_mail_or_log
from ..scheduling.models import Event, EventStatus
from ..scheduling.services import event_invitation, lock_event
from .models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Registration,
    RegistrationStatus,
    name_key,
)

# The only moves a registration can make; everything goes through change_status().
TRANSITIONS = {
    RegistrationStatus.REGISTERED: {RegistrationStatus.CANCELLED},
    RegistrationStatus.WAITING: {RegistrationStatus.REGISTERED, RegistrationStatus.CANCELLED},
    RegistrationStatus.CANCELLED: {RegistrationStatus.REGISTERED, RegistrationStatus.WAITING},
}
# The door may still register walk-ins on the day, when the public form has closed.
WALK_IN_STATUSES = frozenset(
    {EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED, EventStatus.HELD}
)


class RegistrationRefused(Exception):
    """The event does not take this registration; `reason` is one of REFUSALS' keys."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class InvalidTransition(Exception):
    pass


@dataclass
class CandidateDetails:
    """What a candidate tells about themselves (public form, walk-in, import)."""

    first_name: str
    last_name: str
    latin_name: str = ""
    email: str | None = None
    phone: str | None = None
    languages: dict[str, str] = field(default_factory=dict)  # code -> basic/good/native
    dutch_level: str = "none"
    sectors: list[str] = field(default_factory=list)
    experience: str = ""
    education_level: str = ""
    diplomas_evaluated: bool | None = None
    needs_interpreter: bool = False
    municipality: str = ""


@dataclass
class RegistrationResult:
    registration: Registration
    link_token: str | None  # the personal link's token; None when it was only mailed again
    resent: bool = False  # already registered: the ticket went out again, nothing new stored


# --- the state machine -----------------------------------------------------------------------


def change_status(registration: Registration, new: RegistrationStatus,
                  now: datetime | None = None) -> None:
    if new not in TRANSITIONS[registration.status]:
        raise InvalidTransition(f"{registration.status} -> {new}")
    now = now or utcnow()
    registration.status = new
    if new is RegistrationStatus.CANCELLED:
        registration.cancelled_at = now
    else:
        registration.cancelled_at = None


def registered_count(event: Event) -> int:
    return db.session.scalar(
        select(func.count(Registration.id)).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
        )
    ) or 0


def places_left(event: Event) -> int:
    return max(event.candidate_capacity - registered_count(event), 0)


def registration_state(event: Event, now: datetime | None = None) -> str:
    """"open", or why the public form refuses: not_public, cancelled, not_yet, closed."""
    now = now or utcnow()
    if event.status is EventStatus.CANCELLED:
        return "cancelled"
    if event.status is EventStatus.DRAFT:
        return "not_public"
    if event.status is not EventStatus.PUBLISHED or event.ends_at <= now:
        return "closed"
    if event.candidate_registration_opens_at and now < event.candidate_registration_opens_at:
        return "not_yet"
    if event.candidate_registration_closes_at and now >= event.candidate_registration_closes_at:
        return "closed"
    return "open"


# --- one person across events ---------------------------------------------------------------


def find_candidate(email: str | None, phone: str | None) -> Candidate | None:
    """The same person: exactly the same (normalised) e-mail address, else the same phone."""
    for column, value in ((Candidate.email, email), (Candidate.phone, phone)):
        if value:
            found = db.session.scalars(
                select(Candidate).where(column == value).order_by(Candidate.id).limit(1)
            ).first()
            if found is not None:
                return found
    return None


def possible_duplicate(first_name: str, last_name: str, latin_name: str = "") -> Candidate | None:
    """Someone known under the same name (any script, or the same Latin spelling).

    Names repeat, so this only flags; staff confirm."""
    same = Candidate.name_key == name_key(f"{first_name} {last_name}")
    if latin := name_key(latin_name):
        same = same | (Candidate.latin_key == latin)
    return db.session.scalars(select(Candidate).where(Candidate.anonymised_at.is_(None), same)
                              .order_by(Candidate.id).limit(1)).first()


def apply_details(candidate: Candidate, details: CandidateDetails, *, names: bool) -> None:
    """The latest answers win; a known person's name is kept (staff correct names)."""
    if names:
        candidate.first_name = details.first_name
        candidate.last_name = details.last_name
        candidate.latin_name = details.latin_name
    candidate.email = candidate.email or details.email
    candidate.phone = candidate.phone or details.phone
    candidate.dutch_level = details.dutch_level
    candidate.needs_interpreter = details.needs_interpreter
    candidate.experience = details.experience
    candidate.education_level = details.education_level
    candidate.diplomas_evaluated = details.diplomas_evaluated
    candidate.municipality = details.municipality
    set_languages(candidate, details.languages)
    set_sectors(candidate, details.sectors)


def set_languages(candidate: Candidate, languages: dict[str, str]) -> None:
    current = {language.code: language for language in candidate.languages}
    for code, language in current.items():
        if code not in languages:
            candidate.languages.remove(language)
    for code, level in languages.items():
        if code in current:
            current[code].level = level
        else:
            candidate.languages.append(CandidateLanguage(code=code, level=level))


def set_sectors(candidate: Candidate, sectors: list[str]) -> None:
    current = {sector.code: sector for sector in candidate.sectors}
    for code, sector in current.items():
        if code not in sectors:
            candidate.sectors.remove(sector)
    for code in dict.fromkeys(sectors):
        if code not in current:
            candidate.sectors.append(CandidateSector(code=code))


def candidate_history(candidate: Candidate) -> list[Registration]:
    """Every event this person registered for, latest first: what coaches look back on."""
    return list(db.session.scalars(
        select(Registration).join(Event).where(Registration.candidate_id == candidate.id)
        .order_by(Event.starts_at.desc())))


def not_a_duplicate(candidate: Candidate) -> None:
    """Staff confirmed: same name, different people."""
    candidate.possible_duplicate_of = None
    db.session.commit()


def merge_into(duplicate: Candidate, known: Candidate) -> None:
    """Staff confirmed one person: the duplicate's registrations and details join the known
    record, and the duplicate record goes. For an event both registered for, the registration
    that counts (active, checked in) is kept."""
    if duplicate.id == known.id:
        return
    kept_by_event = {r.event_id: r for r in candidate_history(known)}
    freed_events = set()
    for registration in candidate_history(duplicate):
        other = kept_by_event.get(registration.event_id)
        if other is not None:
            keep_new = (registration.is_active and not other.is_active) or (
                registration.checked_in_at and not other.checked_in_at)
            dropped = other if keep_new else registration
            if dropped.status is RegistrationStatus.REGISTERED:
                freed_events.add(dropped.event_id)
            db.session.delete(dropped)
            db.session.flush()
            if not keep_new:
                continue
        registration.candidate = known
    known.email = known.email or duplicate.email
    known.phone = known.phone or duplicate.phone
    known.latin_name = known.latin_name or duplicate.latin_name
    known.coach = known.coach or duplicate.coach
    set_languages(known, {**{lang.code: lang.level for lang in duplicate.languages},
                          **{lang.code: lang.level for lang in known.languages}})
    set_sectors(known, [*(s.code for s in known.sectors), *(s.code for s in duplicate.sectors)])
    for other in db.session.scalars(select(Candidate).where(
            Candidate.possible_duplicate_of_id == duplicate.id)):
        other.possible_duplicate_of = known if other.id != known.id else None
    if known.possible_duplicate_of_id == duplicate.id:
        known.possible_duplicate_of = None
    db.session.delete(duplicate)
    db.session.commit()
    for event_id in freed_events:
        promote_waiting(db.session.get(Event, event_id))


# --- registering, cancelling, the waiting list ------------------------------------------------


def _new_link(registration: Registration) -> str:
    token = new_link_token()
    registration.link_token_hash = hash_token(token)
    return token


def register(event: Event, details: CandidateDetails, *, locale: str, share_consent: bool,
             walk_in: bool = False, now: datetime | None = None) -> RegistrationResult:
    """Register (or put on the waiting list) in one transaction; mails the ticket.

    The same e-mail or phone for the same event registers nothing new: the ticket is
    mailed again. Raises RegistrationRefused when the event does not take registrations."""
    now = now or utcnow()
    event = lock_event(event.id)
    if walk_in:
        if event.status not in WALK_IN_STATUSES:
            db.session.rollback()
            raise RegistrationRefused("closed")
    else:
        state = registration_state(event, now)
        if state != "open":
            db.session.rollback()
            raise RegistrationRefused(state)

    candidate = find_candidate(details.email, details.phone)
    registration = None
    if candidate is not None:
        registration = db.session.scalars(select(Registration).where(
            Registration.event_id == event.id, Registration.candidate_id == candidate.id)).first()
        if registration is not None and registration.is_active:
            return _resend(registration, walk_in=walk_in, now=now)
        if walk_in:
            # The door asks only a few things: add to what the person told before, wipe nothing.
            set_languages(candidate, {**details.languages,
                                      **{lang.code: lang.level for lang in candidate.languages}})
        else:
            apply_details(candidate, details, names=False)
    else:
        candidate = Candidate(first_name=details.first_name, last_name=details.last_name,
                              locale=locale)
        candidate.possible_duplicate_of = possible_duplicate(
            details.first_name, details.last_name, details.latin_name)
        apply_details(candidate, details, names=True)
        db.session.add(candidate)
    candidate.locale = locale

    full = not walk_in and registered_count(event) >= event.candidate_capacity
    status = RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED
    if registration is None:
        registration = Registration(event=event, candidate=candidate, status=status,
                                    created_at=now)
        db.session.add(registration)
    else:
        # Back after cancelling: a fresh ticket, so the old code stays refused at the door.
        change_status(registration, status, now)
        registration.ticket_code = new_code()
        registration.created_at = now
    registration.locale = locale
    registration.walk_in = walk_in
    registration.share_consent_at = now if share_consent else None
    if walk_in:
        registration.checked_in_at = registration.checked_in_at or now
    token = _new_link(registration)
    db.session.commit()
    if candidate.email and not walk_in:
        send_ticket(registration, token, "registered")
    return RegistrationResult(registration, token)


def _resend(registration: Registration, *, walk_in: bool, now: datetime) -> RegistrationResult:
    if walk_in:
        # Registered before and now at the door: that is a check-in, not a new registration.
        registration.checked_in_at = registration.checked_in_at or now
        db.session.commit()
        return RegistrationResult(registration, None, resent=True)
    if not registration.candidate.email:
        db.session.rollback()  # nowhere to send it; the page tells them to come with their name
        return RegistrationResult(registration, None, resent=True)
    # Only the hash is stored, so the mail carries a new personal link (the old one ends).
    token = _new_link(registration)
    db.session.commit()
    send_ticket(registration, token, "resent")
    return RegistrationResult(registration, None, resent=True)


def cancel(registration: Registration, now: datetime | None = None) -> list[Registration]:
    """Cancel, and give the freed place to the longest waiting; returns who moved up."""
    event = lock_event(registration.event_id)
    db.session.refresh(registration)
    if registration.status is RegistrationStatus.CANCELLED:
        db.session.rollback()
        return []
    change_status(registration, RegistrationStatus.CANCELLED, now)
    db.session.flush()
    return _promote_and_notify(event, now)


def promote_waiting(event: Event, now: datetime | None = None) -> list[Registration]:
    """Fill free places from the waiting list (after a cancellation or a larger capacity)."""
    event = lock_event(event.id)
    return _promote_and_notify(event, now)


def _promote_and_notify(event: Event, now: datetime | None) -> list[Registration]:
    free = places_left(event) if event.moves_waiting_lists(now or utcnow()) else 0
    waiting = list(db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id,
               Registration.status == RegistrationStatus.WAITING)
        .order_by(Registration.created_at, Registration.id)
        .limit(free)
    )) if free else []
    for registration in waiting:
        change_status(registration, RegistrationStatus.REGISTERED, now)
    db.session.commit()
    # The personal link they already have keeps working (only its hash is stored, so this
    # mail cannot repeat it): the mail brings the QR and points to the first mail's link.
    for registration in waiting:
        if registration.candidate.email:
            send_ticket(registration, None, "promoted")
    return waiting


def waiting_position(registration: Registration) -> int:
    """1 for the next to move up."""
    return 1 + (db.session.scalar(select(func.count(Registration.id)).where(
        Registration.event_id == registration.event_id,
        Registration.status == RegistrationStatus.WAITING,
        (Registration.created_at < registration.created_at)
        | ((Registration.created_at == registration.created_at)
           & (Registration.id < registration.id)),
    )) or 0)


def registration_by_token(token: str) -> Registration | None:
    return find_by_token(Registration.link_token_hash, token)


# --- the ticket -------------------------------------------------------------------------------


def qr_png(payload: str) -> bytes:
    """The QR code of a ticket: error correction M survives a cracked phone screen."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def ticket_pdf_bytes(registration: Registration) -> bytes:
    from .ticket_pdf import ticket_pdf  # reportlab and fonts load only when a ticket is printed

    return ticket_pdf(registration)


MAIL_SUBJECTS = {
    "registered": lambda: _("Your ticket for the Meet & Greet"),
    "resent": lambda: _("Your ticket for the Meet & Greet (sent again)"),
    "promoted": lambda: _("A place came free: your ticket for the Meet & Greet"),
}


def send_ticket(registration: Registration, link_token: str | None, reason: str) -> None:
    """The ticket mail in the candidate's language: QR inline, the event as .ics attached.

    A mail that cannot be delivered must not undo a registration: it is logged instead."""
    candidate = registration.candidate
    event = registration.event
    waiting = registration.status is RegistrationStatus.WAITING
    with force_locale(registration.locale):
        context = {
            "registration": registration, "candidate": candidate, "event": event,
            "waiting": waiting, "reason": reason,
            "link": link_token and url_for("candidates.ticket", token=link_token,
                                           _external=True),
        }
        subject = (_("You are on the waiting list for the Meet & Greet") if waiting
                   else MAIL_SUBJECTS[reason]())
        text = render_template("candidates/mail_ticket.txt", **context)
        html = render_template("candidates/mail_ticket.html", **context, qr_cid="ticket-qr")
    inline = () if waiting else (InlineImage("ticket-qr", qr_png(registration.ticket_code),
                                             "image/png"),)
    attachments = () if waiting else (
        Attachment("meet-and-greet.ics",
                   event_invitation(event, "REQUEST", attendee_email=candidate.email),
                   "text/calendar; method=REQUEST"),
        Attachment("meet-and-greet-ticket.pdf", ticket_pdf_bytes(registration),
                   "application/pdf"),
    )
    send_mail_or_log(candidate.email, subject, text, to_name=candidate.display_name, html=html,
                     inline_images=inline, attachments=attachments,
                     about=f"ticket for registration {registration.ref}")


# --- staff lists --------------------------------------------------------------------------------


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def matches(registration: Registration, query: str) -> bool:
    """Search by name in any script, Latin name, e-mail or phone ("06 1234", "+31 6 1234")."""
    candidate = registration.candidate
    words = query.casefold().split()
    haystack = " ".join(filter(None, (
        candidate.first_name, candidate.last_name, candidate.latin_name, candidate.email,
        registration.ref,
    ))).casefold()
    if all(word in haystack for word in words):
        return True
    digits = _digits(query)
    if len(digits) >= 4 and candidate.phone:
        phone = _digits(candidate.phone)
        return digits in phone or (digits.startswith("0") and digits[1:] in phone)
    return False


def event_registrations(event: Event, *, query: str = "", language: str = "", sector: str = "",
                        status: str = "") -> list[Registration]:
    """The candidates of one event, filtered; a list of hundreds, so filtered in Python."""
    # Each row shows the person's languages and sectors: load them with the list, not per row.
    statement = (select(Registration).where(Registration.event_id == event.id)
                 .join(Candidate).where(Candidate.anonymised_at.is_(None))
                 .order_by(Candidate.last_name, Candidate.first_name)
                 .options(contains_eager(Registration.candidate).selectinload(Candidate.languages),
                          contains_eager(Registration.candidate).selectinload(Candidate.sectors)))
    if status:
        statement = statement.where(Registration.status == status)
    registrations = list(db.session.scalars(statement))
    if language:
        registrations = [r for r in registrations
                         if any(lang.code == language for lang in r.candidate.languages)]
    if sector:
        registrations = [r for r in registrations
                         if any(item.code == sector for item in r.candidate.sectors)]
    if query.strip():
        registrations = [r for r in registrations if matches(r, query)]
    return registrations


CSV_HEADER = ("reference", "status", "first_name", "last_name", "latin_name", "email", "phone",
              "languages", "dutch_level", "sectors", "needs_interpreter", "municipality",
              "walk_in", "share_consent", "registered_at", "checked_in_at")


def registrations_csv(registrations: list[Registration]) -> str:
    """UTF-8 with BOM and `;`, as Dutch Excel opens it without asking."""
    return csv_text(CSV_HEADER, (_registration_row(r) for r in registrations))


def _registration_row(registration: Registration) -> tuple:
    candidate = registration.candidate
    return (
        registration.ref, registration.status.value, candidate.first_name,
        candidate.last_name, candidate.latin_name, candidate.email or "",
        display_phone(candidate.phone) if candidate.phone else "",
        " ".join(f"{lang.code}:{lang.level}" for lang in candidate.languages),
        candidate.dutch_level, " ".join(sector.code for sector in candidate.sectors),
        "yes" if candidate.needs_interpreter else "no", candidate.municipality,
        "yes" if registration.walk_in else "no",
        "yes" if registration.share_consent_at else "no",
        registration.created_at.isoformat(timespec="minutes"),
        registration.checked_in_at.isoformat(timespec="minutes")
        if registration.checked_in_at else "",
    )
