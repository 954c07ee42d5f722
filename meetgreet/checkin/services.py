"""Check-in rules: what a scan means, exactly one check-in per registration, and the log.

Every function here is safe for untrusted input: a code is whatever a scanner typed, so it is
length-limited and checked against the ticket alphabet before it reaches a query."""

import json
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime

from flask import url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from sqlalchemy import Select, Table, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..candidates.models import Candidate, CandidateLanguage, Registration, RegistrationStatus
from ..core.reference import language_name
from ..core.tokens import CODE_ALPHABET, CODE_LENGTH, hash_token, new_link_token
from ..core.types import utcnow
from ..employers.models import BookingStatus, StandBooking
from ..extensions import db
from ..interpreters.models import Interpreter
from ..scheduling.models import Event
from .models import BadgeCode, CheckInAttempt, CheckInDevice, ScanResult

MAX_CODE_INPUT = 80  # a ticket code with spaces or dashes between groups fits easily
NONCE_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{8,64}")
REF_LENGTH = 10
DEVICE_LABEL_LENGTH = 60
TOKEN_PREFIX = "mgd_"  # noqa: S105 - a visible prefix, not a secret
_SEPARATORS = re.compile(r"[\s\-]+")
_CODE = re.compile(f"[{CODE_ALPHABET}]+")


@dataclass(frozen=True)
class Scanner:
    """Who scans: a device label shown to other doors, and the staff member or device token;
    `event_id` when the device's token is limited to one event."""

    label: str
    staff_user_id: int | None = None
    device_id: int | None = None
    event_id: int | None = None


def normalise_code(raw: object, length: int = CODE_LENGTH) -> str | None:
    """The ticket code in a scan, or None when it cannot be one (never touches the database).

    Accepts what people and scanners send: lower case, spaces or dashes between groups."""
    if not isinstance(raw, str) or len(raw) > MAX_CODE_INPUT:
        return None
    code = _SEPARATORS.sub("", raw).upper()
    if len(code) != length or not _CODE.fullmatch(code):
        return None
    return code


def valid_nonce(nonce: object) -> bool:
    return isinstance(nonce, str) and NONCE_PATTERN.fullmatch(nonce) is not None


def _code_hash(raw: object) -> str:
    if not isinstance(raw, str):
        return ""
    return hash_token(raw[:MAX_CODE_INPUT])


def _person_dict(kind: str, name: str, latin_name: str, codes, needs_interpreter: bool) -> dict:
    return {"kind": kind, "name": name, "latin_name": latin_name,
            "languages": [{"code": code, "name": language_name(code)} for code in codes],
            "needs_interpreter": needs_interpreter}


def person(registration: Registration) -> dict:
    """What the door may see of a candidate: name, Latin name, languages, interpreter wish."""
    candidate = registration.candidate
    return _person_dict("candidate", candidate.display_name, candidate.latin_name,
                        [lang.code for lang in candidate.languages], candidate.needs_interpreter)


def representative_name(booking: StandBooking, slot: int) -> str:
    """Only the contact person's name is known; the others carry the organisation's."""
    return (booking.contact_name if slot == 0 else "") or booking.organisation.name


def _badge_person(badge: BadgeCode) -> dict:
    if badge.stand_booking is not None:
        booking = badge.stand_booking
        kind, name, codes = ("employer", representative_name(booking, badge.slot or 0),
                             booking.languages)
    else:
        kind, name = "interpreter", badge.interpreter.name
        codes = [lang.code for lang in badge.interpreter.languages]
    return _person_dict(kind, name, "", codes, False)


@dataclass(frozen=True)
class Holder:
    """What a scan needs of a ticket's or badge's holder, as plain values (no ORM objects:
    a scan is the busiest request there is, and reads one row set instead of a graph)."""

    table: Table  # registration or badge_code: where the check-in is written
    id: int
    event_id: int
    event_starts_at: datetime
    cancelled: bool
    checked_in_at: datetime | None
    checked_in_by: str | None
    person: dict
    ref: str | None = None  # a registration's, for the link to the badge
    waiting: bool = False  # on the waiting list: no place, so refused like a cancelled ticket


def _holder_query(condition) -> Select:
    """The event (no row: no such event) with, when `condition` finds one, the registration,
    its candidate and languages (one row per language) and its own event's date."""
    event, registration = Event.__table__, Registration.__table__
    candidate, language = Candidate.__table__, CandidateLanguage.__table__
    ticket_event = event.alias("ticket_event")
    holder = (registration.join(candidate, candidate.c.id == registration.c.candidate_id)
              .join(ticket_event, ticket_event.c.id == registration.c.event_id)
              .outerjoin(language, language.c.candidate_id == candidate.c.id))
    return (select(registration.c.id, registration.c.event_id, ticket_event.c.starts_at,
                   registration.c.status, registration.c.checked_in_at,
                   registration.c.checked_in_by, registration.c.ref, candidate.c.first_name,
                   candidate.c.last_name, candidate.c.latin_name,
                   candidate.c.needs_interpreter, language.c.code)
            .select_from(event.outerjoin(holder, condition(registration, event)))
            .where(event.c.id == bindparam("event_id")).order_by(language.c.code))


# Built once: a scan only binds its values. A code or ref of None finds nobody.
_BY_CODE = _holder_query(lambda registration, _event: registration.c.ticket_code
                         == bindparam("code"))
_BY_REF = _holder_query(lambda registration, event: (registration.c.ref == bindparam("code"))
                        & (registration.c.event_id == event.c.id))


def _registration_holder(rows) -> Holder | None:
    first = rows[0]
    if first.id is None:
        return None
    name = f"{first.first_name} {first.last_name}".strip()
    codes = [row.code for row in rows if row.code is not None]
    return Holder(
        table=Registration.__table__, id=first.id, event_id=first.event_id,
        event_starts_at=first.starts_at, cancelled=first.status is RegistrationStatus.CANCELLED,
        checked_in_at=first.checked_in_at,
        checked_in_by=first.checked_in_by, ref=first.ref,
        waiting=first.status is RegistrationStatus.WAITING,
        person=_person_dict("candidate", name, first.latin_name, codes,
                            first.needs_interpreter))


def _badge_holder(code: str) -> Holder | None:
    """A representative's or an interpreter's badge (a few per event: the ORM is fine)."""
    badge = db.session.scalars(select(BadgeCode).where(BadgeCode.code == code)).first()
    if badge is None:
        return None
    if badge.stand_booking is not None:
        cancelled = badge.stand_booking.status is not BookingStatus.CONFIRMED
    else:
        cancelled = not badge.interpreter.active
    return Holder(table=BadgeCode.__table__, id=badge.id, event_id=badge.event_id,
                  event_starts_at=badge.event.starts_at, cancelled=cancelled,
                  checked_in_at=badge.checked_in_at, checked_in_by=badge.checked_in_by,
                  person=_badge_person(badge))


def _badge_url(holder: Holder) -> dict:
    if holder.table is BadgeCode.__table__:  # a representative's or interpreter's, reprinted
        return {"badge_url": url_for("badges.door_badge_code", event_id=holder.event_id,
                                     badge_id=holder.id)}
    return {"badge_url": url_for("badges.door_badge", event_id=holder.event_id,
                                 ref=holder.ref)}


def _answer(result: ScanResult, holder: Holder | None) -> dict:
    answer: dict = {"status": result.value}
    badge_url = _badge_url(holder) if holder else {}
    if result is ScanResult.OK:
        answer.update(holder.person, checked_in_at=holder.checked_in_at.isoformat(),
                      **badge_url, message=_("Welcome! Checked in."))
    elif result is ScanResult.ALREADY_CHECKED_IN:
        first = holder.checked_in_at
        device = holder.checked_in_by or ""
        answer.update(holder.person, checked_in_at=first.isoformat(), **badge_url,
                      checked_in_time=format_time(first, "HH:mm"), device=device)
        answer["message"] = (
            _("Already checked in at %(time)s (%(device)s)", time=format_time(first, "HH:mm"),
              device=device) if device
            else _("Already checked in at %(time)s", time=format_time(first, "HH:mm")))
    elif result is ScanResult.CANCELLED and holder.waiting:
        # The API's statuses stay as they are: a refusal, with its own reason.
        answer["message"] = _("On the waiting list: not registered for this event. Register "
                              "them as a walk-in if there is room.")
    elif result is ScanResult.CANCELLED:
        answer["message"] = _("This ticket was cancelled.")
    elif result is ScanResult.WRONG_EVENT:
        starts = holder.event_starts_at
        answer.update(event_date=starts.date().isoformat(),
                      message=_("This ticket is for the Meet & Greet of %(date)s.",
                                date=format_date(starts, "long")))
    else:
        answer["message"] = _("Unknown code.")
    return answer


def _classify(event_id: int, holder: Holder | None) -> ScanResult:
    if holder is None:
        return ScanResult.UNKNOWN
    if holder.event_id != event_id:
        return ScanResult.WRONG_EVENT
    if holder.cancelled or holder.waiting:
        return ScanResult.CANCELLED
    if holder.checked_in_at is not None:  # no need to try: the first check-in stays
        return ScanResult.ALREADY_CHECKED_IN
    return ScanResult.OK


def _stored_answer(event_id: int, nonce: str) -> dict | None:
    attempt = CheckInAttempt.__table__
    answer = db.session.scalar(select(attempt.c.answer).where(
        attempt.c.event_id == event_id, attempt.c.nonce == nonce))
    return json.loads(answer) if answer is not None else None


def _current_check_in(connection, holder: Holder) -> Holder:
    table = holder.table
    row = connection.execute(select(table.c.checked_in_at, table.c.checked_in_by)
                             .where(table.c.id == holder.id)).one()
    return replace(holder, checked_in_at=row.checked_in_at, checked_in_by=row.checked_in_by)


def _claim_statement(table: Table):
    return (update(table).where(table.c.id == bindparam("holder_id"),
                                table.c.checked_in_at.is_(None))
            .values(checked_in_at=bindparam("now"), checked_in_by=bindparam("label")))


_RECORD = insert(CheckInAttempt.__table__)
_RECORD_COLUMNS = ("event_id", "nonce", "code_hash", "registration_id", "badge_code_id",
                   "result", "answer", "device", "device_id", "staff_user_id", "reason",
                   "created_at")


def _claim_and_record_statement(table: Table):
    """PostgreSQL: the claim and the logged attempt as one statement, which inserts the
    attempt only when the UPDATE claimed the row (WITH ... UPDATE ... RETURNING)."""
    attempt = CheckInAttempt.__table__
    claimed = _claim_statement(table).returning(table.c.id).cte("claimed")
    # Bound as attempt_*: a parameter named like a column of the UPDATE's table would be set.
    values = select(*(bindparam(f"attempt_{name}", type_=attempt.c[name].type)
                      for name in _RECORD_COLUMNS)).select_from(claimed)
    return (insert(attempt).from_select(_RECORD_COLUMNS, values).add_cte(claimed)
            .returning(attempt.c.id))


_HOLDER_TABLES = (Registration.__table__, BadgeCode.__table__)
_CLAIM = {table: _claim_statement(table) for table in _HOLDER_TABLES}
_CLAIM_AND_RECORD = {table: _claim_and_record_statement(table) for table in _HOLDER_TABLES}


def _claim_and_record(connection, holder: Holder, label: str, now: datetime,
                      record: dict) -> bool:
    """Set the first check-in and log the scan, atomically: of two doors scanning at once,
    exactly one wins; the other gets False and nothing is written for it.

    The condition `checked_in_at IS NULL` is evaluated by the database under the row lock the
    UPDATE takes, so the loser claims nothing (no read-then-write gap to race through)."""
    claim = {"holder_id": holder.id, "now": now, "label": label}
    if connection.dialect.name == "postgresql":
        # In autocommit: one round trip, no BEGIN or COMMIT, for the busiest request there is.
        attempt = {f"attempt_{name}": value for name, value in record.items()}
        return connection.execute(_CLAIM_AND_RECORD[holder.table],
                                  {**claim, **attempt}).first() is not None
    # SQLite has no UPDATE inside WITH: two statements in the session's transaction.
    if connection.execute(_CLAIM[holder.table], claim).rowcount != 1:
        return False
    connection.execute(_RECORD, record)
    db.session.commit()
    return True


@contextmanager
def _scan_connection():
    """On PostgreSQL a connection of the scan's own in autocommit, so that each statement
    commits by itself; elsewhere the session's, committed by the scan."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            yield connection.execution_options(isolation_level="AUTOCOMMIT")
        # Written past the session: what it holds (the registration, say) may be stale.
        if db.session.registry.has():  # a scanner's request seldom has a session at all
            db.session.expire_all()
    else:
        yield db.session.connection()


def scan(event_id: int, raw_code: object, nonce: str, scanner: Scanner, *,
         ref: object = None, now: datetime | None = None) -> dict | None:
    """Check in whoever `raw_code` (a ticket code) or `ref` (from a name search) belongs to.

    Returns the JSON answer, or None when there is no such event. The same nonce for the
    same event returns the stored answer and records nothing new, also when the two copies
    arrive at the same moment: the unique (event, nonce) constraint refuses the second
    record, which rolls back its check-in too. (No look-up first: re-sent scans are rare, and
    the constraint is the guard anyway.)

    On PostgreSQL a first check-in costs two round trips: the look-up (event, ticket, person
    and languages in one query), then the claim with its logged attempt."""
    now = now or utcnow()
    code = normalise_code(raw_code) if ref is None else normalise_code(ref, REF_LENGTH)
    label = scanner.label[:DEVICE_LABEL_LENGTH]
    with _scan_connection() as connection:
        rows = connection.execute(_BY_CODE if ref is None else _BY_REF,
                                  {"event_id": event_id, "code": code}).all()
        if not rows:
            return None
        holder = _registration_holder(rows)
        if holder is None and code and ref is None:
            holder = _badge_holder(code)
        is_registration = holder is not None and holder.table is Registration.__table__
        record = {
            "event_id": event_id, "nonce": nonce,
            "code_hash": _code_hash(raw_code if ref is None else ref),
            "registration_id": holder.id if is_registration else None,
            "badge_code_id": holder.id if holder and not is_registration else None,
            "device": label, "device_id": scanner.device_id,
            "staff_user_id": scanner.staff_user_id, "reason": "", "created_at": now}
        result = _classify(event_id, holder)
        try:
            if result is ScanResult.OK:
                # Won, we know what is written: the answer is made before the claim.
                answer = _answer(result, replace(holder, checked_in_at=now, checked_in_by=label))
                if _claim_and_record(connection, holder, label, now, {
                        **record, "result": result,
                        "answer": json.dumps(answer, ensure_ascii=False)}):
                    return answer
                result, holder = (ScanResult.ALREADY_CHECKED_IN,
                                  _current_check_in(connection, holder))
            answer = _answer(result, holder)
            connection.execute(_RECORD, {**record, "result": result,
                                         "answer": json.dumps(answer, ensure_ascii=False)})
            db.session.commit()
        except IntegrityError:
            # The same nonce was recorded before (a re-sent scan), or at this very moment by
            # the other copy: our check-in (if any) is rolled back, the stored answer stands.
            db.session.rollback()
            stored = _stored_answer(event_id, nonce)
            if stored is None:
                raise
            return stored
    return answer


def undo(registration: Registration, reason: str, scanner: Scanner,
         now: datetime | None = None) -> bool:
    """Take a check-in back (a mistaken scan): logged with the reason. False if there was none."""
    if registration.checked_in_at is None:
        return False
    registration.checked_in_at = None
    registration.checked_in_by = None
    db.session.add(CheckInAttempt(
        event_id=registration.event_id, registration_id=registration.id,
        result=ScanResult.UNDONE, device=scanner.label[:DEVICE_LABEL_LENGTH],
        device_id=scanner.device_id, staff_user_id=scanner.staff_user_id,
        reason=reason.strip(), created_at=now or utcnow()))
    db.session.commit()
    return True


def counters(event: Event) -> dict[str, int]:
    """Shared by all doors: checked in / registered / walk-ins."""
    active = (Registration.event_id == event.id,
              Registration.status != RegistrationStatus.CANCELLED)
    row = db.session.execute(select(
        func.count().filter(Registration.status == RegistrationStatus.REGISTERED),
        func.count().filter(Registration.checked_in_at.is_not(None)),
        func.count().filter(Registration.walk_in.is_(True)),
    ).where(*active)).one()
    return {"registered": row[0], "checked_in": row[1], "walk_ins": row[2]}


def search(event: Event, query: str, limit: int = 20) -> list[dict]:
    """For a lost code: name (any script, Latin name) or phone. Only what the door needs."""
    from ..candidates.services import event_registrations

    query = query.strip()[:100]
    if len(query) < 2:
        return []
    # The staff list's search: the same matching, and the people loaded with the list.
    return [{**person(registration), "ref": registration.ref,
             "status": registration.status.value,
             "checked_in": registration.checked_in_at is not None}
            for registration in event_registrations(event, query=query)[:limit]]


# --- badge codes for representatives and interpreters -----------------------------------------


def badge_codes(event: Event) -> dict[tuple, str]:
    """The check-in code of every representative slot of the event's confirmed stands and of
    every active interpreter, made the first time they are asked for (at printing)."""
    bookings = db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED)).all()
    interpreters = db.session.scalars(
        select(Interpreter).where(Interpreter.active.is_(True))).all()
    wanted = [("booking", booking.id, slot) for booking in bookings
              for slot in range(max(1, booking.representatives))]
    wanted += [("interpreter", interpreter.id, None) for interpreter in interpreters]
    existing = {
        (("booking", badge.stand_booking_id, badge.slot) if badge.stand_booking_id
         else ("interpreter", badge.interpreter_id, None)): badge.code
        for badge in db.session.scalars(select(BadgeCode).where(BadgeCode.event_id == event.id))
    }
    missing = [key for key in wanted if key not in existing]
    if missing:
        for kind, owner_id, slot in missing:
            badge = (BadgeCode(event_id=event.id, stand_booking_id=owner_id, slot=slot)
                     if kind == "booking" else BadgeCode(event_id=event.id,
                                                         interpreter_id=owner_id))
            db.session.add(badge)
        try:
            db.session.commit()
        except IntegrityError:
            # Printed twice at the same moment: the other print made them; use those.
            db.session.rollback()
        return badge_codes(event)
    return existing


# --- devices with their own API token -----------------------------------------------------------


def issue_device(label: str, created_by_id: int | None,
                 event_id: int | None = None) -> tuple[CheckInDevice, str]:
    """A new device token, for every event or only `event_id`'s; returned once, only its hash
    is stored."""
    token = TOKEN_PREFIX + new_link_token()
    device = CheckInDevice(label=label.strip()[:DEVICE_LABEL_LENGTH],
                           token_hash=hash_token(token), created_by_id=created_by_id,
                           event_id=event_id)
    db.session.add(device)
    db.session.commit()
    return device, token


def revoke_device(device: CheckInDevice, now: datetime | None = None) -> None:
    if device.revoked_at is None:
        device.revoked_at = now or utcnow()
        db.session.commit()
    _device_cache.clear()


# A busy door scans every second: remember recently checked tokens for a few seconds instead
# of asking the database each time. A revoked token stops working in this process at once
# and in the other app processes within DEVICE_CACHE_SECONDS.
DEVICE_CACHE_SECONDS = 5.0
_device_cache: dict[str, tuple[float, Scanner | None]] = {}


def scanner_for_token(token: str) -> Scanner | None:
    """Who scans with `token`: an active device, or None. The lookup is by SHA-256, so timing
    reveals nothing about the stored hashes' relation to the token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    digest = hash_token(token)
    cached = _device_cache.get(digest)
    if cached and time.monotonic() - cached[0] < DEVICE_CACHE_SECONDS:
        return cached[1]
    device = db.session.scalars(
        select(CheckInDevice).where(CheckInDevice.token_hash == digest)).first()
    scanner = (Scanner(label=device.label, device_id=device.id, event_id=device.event_id)
               if device is not None and device.is_active else None)
    if len(_device_cache) > 1000:  # wrong tokens must not fill the memory
        _device_cache.clear()
    _device_cache[digest] = (time.monotonic(), scanner)
    return scanner

