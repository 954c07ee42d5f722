"""The rules after the event: conversations recorded at the stand, follow-ups with an owner and
a due date, outcomes on a candidate's way to work, and the 18 months the WSP follows someone.

Views, the CLI and tests call these functions. Functions that change data commit."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..accounts.models import Role, StaffUser
from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..core.tokens import CODE_ALPHABET
from ..core.types import utcnow
from ..employers.models import BookingStatus, StandBooking
from ..extensions import db
from ..scheduling.models import Event, EventStatus
from .models import (
    NOTE_MAX,
    Conversation,
    FollowUp,
    FollowUpStatus,
    Interest,
    NextStep,
    Outcome,
    OutcomeKind,
    RecordedBy,
)

LOCAL = ZoneInfo("Europe/Amsterdam")
FOLLOW_UP_MONTHS = 18
# Representatives may record from shortly before the doors open until the day after, so a
# note typed on the train home still counts.
RECORDING_OPENS_BEFORE = timedelta(hours=2)
RECORDING_CLOSES_AFTER = timedelta(hours=24)
OWNER_ROLES = (Role.ADMIN, Role.PLANNER, Role.COACH)
CONTRACT_HOURS_MAX = 60
REMINDER_INTERVAL = timedelta(days=6)  # weekly cron; a re-run the same week sends nothing new


def local_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(LOCAL).date()


def event_day(event: Event) -> date:
    return event.starts_at.astimezone(LOCAL).date()


# --- conversations at the stand --------------------------------------------------------------


class ConversationRefused(Exception):
    """`reason`: unknown, other_event, cancelled, no_consent, closed, no_stand."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise_code(text: str) -> str:
    """A badge code as typed (grouped in fives, lower case) or sent by a USB scanner."""
    text = unicodedata.normalize("NFKC", text or "").upper()
    return "".join(char for char in text if char in CODE_ALPHABET)[:40]


def recording_open(booking: StandBooking, now: datetime | None = None) -> bool:
    now = now or utcnow()
    event = booking.event
    return (booking.status is BookingStatus.CONFIRMED
            and event.status in (EventStatus.PUBLISHED, EventStatus.REGISTRATION_CLOSED,
                                 EventStatus.HELD)
            and event.starts_at - RECORDING_OPENS_BEFORE <= now
            <= event.ends_at + RECORDING_CLOSES_AFTER)


def registration_for_code(event: Event, code: str, *, for_employer: bool) -> Registration:
    """The registration a badge code belongs to, or ConversationRefused saying why not.

    An employer may only record someone who agreed that employers at their stand see name
    and languages; staff record on anyone's behalf."""
    code = normalise_code(code)
    registration = db.session.scalar(
        select(Registration).where(Registration.ticket_code == code)) if code else None
    if registration is None:
        raise ConversationRefused("unknown")
    _check(registration, event.id, for_employer=for_employer)
    return registration


def _check(registration: Registration, event_id: int, *, for_employer: bool) -> None:
    """ConversationRefused when the registration cannot be recorded at this event's stands."""
    if registration.event_id != event_id:
        raise ConversationRefused("other_event")
    if registration.status is not RegistrationStatus.REGISTERED:
        raise ConversationRefused("cancelled")
    if for_employer and registration.share_consent_at is None:
        raise ConversationRefused("no_consent")


def shareable_candidates(event: Event) -> list[Registration]:
    """Who an employer can pick at the stand: checked in, registered, agreed to share."""
    registrations = db.session.scalars(
        select(Registration).join(Registration.candidate).where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.REGISTERED,
            Registration.checked_in_at.is_not(None),
            Registration.share_consent_at.is_not(None))
        .options(contains_eager(Registration.candidate).selectinload(Candidate.languages)))
    return sorted(registrations, key=lambda r: (r.candidate.first_name.casefold(), r.id))


def registration_by_ref(ref: str, event: Event | None = None) -> Registration | None:
    """The registration with exactly this reference (within `event` if given)."""
    if not ref or len(ref) > 12:
        return None
    query = select(Registration).where(Registration.ref == ref)
    if event is not None:
        query = query.where(Registration.event_id == event.id)
    return db.session.scalar(query)


def clean_note(note: str) -> str:
    """Plain text, no control characters, at most NOTE_MAX characters (HTML stays text:
    templates escape it)."""
    note = "".join(char for char in (note or "")
                   if char in "\n\t" or unicodedata.category(char)[0] != "C")
    return note.strip()[:NOTE_MAX]


def record_conversation(booking: StandBooking, registration: Registration, *,
                        interest: Interest, next_step: NextStep, note: str = "",
                        recorded_by: RecordedBy, user: StaffUser | None = None,
                        now: datetime | None = None) -> Conversation:
    """Store what was said at the stand; the same pair again updates the earlier record."""
    now = now or utcnow()
    _check(registration, booking.event_id, for_employer=recorded_by is RecordedBy.EMPLOYER)
    if booking.status is not BookingStatus.CONFIRMED:
        raise ConversationRefused("no_stand")
    if recorded_by is RecordedBy.EMPLOYER and not recording_open(booking, now):
        raise ConversationRefused("closed")
    said = {"interest": Interest(interest), "next_step": NextStep(next_step),
            "note": clean_note(note), "recorded_by": RecordedBy(recorded_by),
            "recorded_by_user": user, "updated_at": now}
    conversation = _conversation_of(booking, registration)
    if conversation is None:
        conversation = Conversation(event_id=booking.event_id, booking=booking,
                                    registration=registration, created_at=now, **said)
        db.session.add(conversation)
        try:
            db.session.commit()
            return conversation
        except IntegrityError:
            # The same pair was stored at this very moment (a phone that sent twice): that
            # record exists now, so this send updates it.
            db.session.rollback()
            conversation = _conversation_of(booking, registration)
            if conversation is None:
                raise
    for key, value in said.items():
        setattr(conversation, key, value)
    db.session.commit()
    return conversation


def _conversation_of(booking: StandBooking, registration: Registration) -> Conversation | None:
    return db.session.scalar(select(Conversation).where(
        Conversation.stand_booking_id == booking.id,
        Conversation.registration_id == registration.id))


# What pages and lists read of a conversation, loaded with it: the same few queries for 3
# conversations or 300.
WITH_PEOPLE = (
    joinedload(Conversation.registration).joinedload(Registration.candidate)
    .selectinload(Candidate.languages),
    joinedload(Conversation.booking).joinedload(StandBooking.organisation),
    selectinload(Conversation.follow_ups).joinedload(FollowUp.owner),
)


def shared_with_employer(conversation: Conversation) -> bool:
    """Staff may record a talk with someone who did not agree to share: the WSP keeps it,
    the employer does not see it."""
    return conversation.registration.share_consent_at is not None


def employer_conversations(booking: StandBooking) -> list[Conversation]:
    """The booking's conversations that are shared_with_employer, newest first."""
    return list(db.session.scalars(
        select(Conversation).join(Conversation.registration)
        .where(Conversation.stand_booking_id == booking.id,
               Registration.share_consent_at.is_not(None))
        .options(*WITH_PEOPLE)
        .order_by(Conversation.created_at.desc(), Conversation.id.desc())))


def event_conversations(event: Event) -> list[Conversation]:
    conversations = db.session.scalars(
        select(Conversation).join(Registration).join(Candidate)
        .where(Conversation.event_id == event.id, Candidate.anonymised_at.is_(None))
        .options(*WITH_PEOPLE))
    return sorted(conversations, key=lambda c: (
        c.booking.organisation.name.casefold(), _name_key(c.registration.candidate)))


def _name_key(candidate: Candidate) -> tuple[str, str]:
    return (candidate.last_name.casefold(), candidate.first_name.casefold())


@dataclass(frozen=True)
class SharedConversation:
    """What an employer sees of a conversation: first name and languages, never contact."""

    first_name: str
    languages: tuple[str, ...]
    interest: Interest
    next_step: NextStep
    note: str
    created_at: datetime


def shared_view(conversation: Conversation) -> SharedConversation:
    candidate = conversation.registration.candidate
    return SharedConversation(
        first_name=candidate.first_name,
        languages=tuple(lang.code for lang in candidate.languages),
        interest=conversation.interest, next_step=conversation.next_step,
        note=conversation.note, created_at=conversation.created_at)


# --- the 18 months of follow-up --------------------------------------------------------------


def first_event_day(candidate: Candidate) -> date | None:
    """The day of the first event the candidate came to (or, never having come, the first
    they registered for)."""
    rows = db.session.execute(
        select(Event.starts_at, Registration.checked_in_at).join(Registration)
        .where(Registration.candidate_id == candidate.id,
               Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Event.starts_at)).all()
    attended = [starts for starts, checked_in in rows if checked_in is not None]
    chosen = attended[0] if attended else (rows[0][0] if rows else None)
    return chosen.astimezone(LOCAL).date() if chosen else None


def follow_up_closes_on(candidate: Candidate) -> date | None:
    """The day follow-up ends: 18 months after the first event. Nothing is deleted then
    (that is the retention rule's job); the record just takes no new follow-ups."""
    first = first_event_day(candidate)
    return first + relativedelta(months=FOLLOW_UP_MONTHS) if first else None


def follow_up_open(candidate: Candidate, today: date | None = None) -> bool:
    closes = follow_up_closes_on(candidate)
    return closes is None or (today or local_today()) < closes


class FollowUpError(ValueError):
    """Bad input for a follow-up or outcome: `field` names the form field, `reason` why."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def possible_owners() -> list[StaffUser]:
    return list(db.session.scalars(
        select(StaffUser).where(StaffUser.active.is_(True), StaffUser.role.in_(OWNER_ROLES))
        .order_by(StaffUser.name)))


def create_follow_up(candidate: Candidate, owner: StaffUser, due_on: date, *,
                     conversation: Conversation | None = None, action: str = "",
                     today: date | None = None) -> FollowUp:
    today = today or local_today()
    if due_on < today:
        raise FollowUpError("due_on", "past")
    if not owner.active or owner.role not in OWNER_ROLES:
        raise FollowUpError("owner", "not_owner")
    if not follow_up_open(candidate, today):
        raise FollowUpError("candidate", "closed")
    if conversation is not None and conversation.registration.candidate_id != candidate.id:
        raise FollowUpError("conversation", "other_candidate")
    follow_up = FollowUp(candidate=candidate, owner=owner, due_on=due_on,
                         conversation=conversation, action=clean_note(action)[:200])
    db.session.add(follow_up)
    db.session.commit()
    return follow_up


def reassign_follow_up(follow_up: FollowUp, owner: StaffUser, due_on: date, *,
                       today: date | None = None) -> None:
    today = today or local_today()
    if due_on < today and due_on != follow_up.due_on:
        raise FollowUpError("due_on", "past")
    if not owner.active or owner.role not in OWNER_ROLES:
        raise FollowUpError("owner", "not_owner")
    follow_up.owner = owner
    follow_up.due_on = due_on
    db.session.commit()


def assign_follow_ups(refs: list[str], owner: StaffUser | None) -> list[FollowUp]:
    """Give several open follow-ups one owner at once: all of them or, on bad input, none."""
    refs = list(dict.fromkeys(ref for ref in refs if ref))
    if not refs:
        raise FollowUpError("follow_ups", "none_chosen")
    if owner is None or not owner.active or owner.role not in OWNER_ROLES:
        raise FollowUpError("owner", "not_owner")
    follow_ups = list(db.session.scalars(
        select(FollowUp).where(FollowUp.ref.in_(refs), FollowUp.status == FollowUpStatus.OPEN)
        .order_by(FollowUp.id)))
    if len(follow_ups) != len(refs):  # done meanwhile, or a ref that never was
        raise FollowUpError("follow_ups", "gone")
    for follow_up in follow_ups:
        follow_up.owner = owner
    db.session.commit()
    return follow_ups


def set_follow_up_status(follow_up: FollowUp, status: FollowUpStatus, *, result: str = "",
                         now: datetime | None = None) -> None:
    """The one way a follow-up opens or closes."""
    status = FollowUpStatus(status)
    follow_up.status = status
    follow_up.result = clean_note(result) if status is FollowUpStatus.DONE else follow_up.result
    follow_up.done_at = (now or utcnow()) if status is FollowUpStatus.DONE else None
    db.session.commit()


def open_follow_ups_for(user: StaffUser) -> list[FollowUp]:
    """A coach's list: open follow-ups they own or of candidates they coach, overdue (the
    earliest due) first."""
    return list(db.session.scalars(
        select(FollowUp).join(Candidate, FollowUp.candidate_id == Candidate.id)
        .where(FollowUp.status == FollowUpStatus.OPEN,
               or_(FollowUp.owner_id == user.id, Candidate.coach_id == user.id))
        .order_by(FollowUp.due_on, FollowUp.id)))


def open_follow_ups() -> list[FollowUp]:
    """Every open follow-up, for whoever shares out the work; overdue first."""
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN)
        .order_by(FollowUp.due_on, FollowUp.id)))


def overdue_follow_ups(today: date | None = None) -> list[FollowUp]:
    today = today or local_today()
    return list(db.session.scalars(
        select(FollowUp).where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today)
        .order_by(FollowUp.owner_id, FollowUp.due_on, FollowUp.id)))


def reminders_due(now: datetime | None = None) -> dict[StaffUser, list[FollowUp]]:
    """Per owner, the overdue follow-ups not reminded of in the last week."""
    now = now or utcnow()
    due: dict[StaffUser, list[FollowUp]] = {}
    for follow_up in overdue_follow_ups(local_today(now)):
        if follow_up.reminded_at and now - follow_up.reminded_at < REMINDER_INTERVAL:
            continue
        if not follow_up.owner.active:
            continue
        due.setdefault(follow_up.owner, []).append(follow_up)
    return due


def mark_reminded(follow_ups: list[FollowUp], now: datetime | None = None) -> None:
    now = now or utcnow()
    for follow_up in follow_ups:
        follow_up.reminded_at = now
    db.session.commit()


# --- outcomes and the timeline ---------------------------------------------------------------


def record_outcome(candidate: Candidate, kind: OutcomeKind, happened_on: date, *,
                   user: StaffUser | None, contract_hours: int | None = None,
                   contract_type: str = "", organisation=None, note: str = "",
                   today: date | None = None) -> Outcome:
    from .models import CONTRACT_TYPES

    today = today or local_today()
    kind = OutcomeKind(kind)
    if happened_on > today + timedelta(days=60):
        raise FollowUpError("happened_on", "far_future")
    if kind is OutcomeKind.CONTRACT:
        if not contract_hours or not 1 <= contract_hours <= CONTRACT_HOURS_MAX:
            raise FollowUpError("contract_hours", "hours")
        if contract_type not in dict(CONTRACT_TYPES):
            raise FollowUpError("contract_type", "type")
    else:
        contract_hours, contract_type = None, ""
    if not follow_up_open(candidate, happened_on):
        raise FollowUpError("candidate", "closed")
    outcome = Outcome(candidate=candidate, kind=kind, happened_on=happened_on,
                      contract_hours=contract_hours, contract_type=contract_type,
                      organisation=organisation, note=clean_note(note), recorded_by=user)
    db.session.add(outcome)
    db.session.commit()
    return outcome


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # registered, attended, no_show, conversation, follow_up, outcome
    item: object


def timeline(candidate: Candidate) -> list[TimelineEntry]:
    """Everything that happened to one candidate across events, oldest first."""
    entries: list[TimelineEntry] = []
    registrations = db.session.scalars(
        select(Registration).where(Registration.candidate_id == candidate.id))
    for registration in registrations:
        day = event_day(registration.event)
        if registration.status is RegistrationStatus.CANCELLED:
            continue
        kind = "attended" if registration.checked_in_at else "registered"
        entries.append(TimelineEntry(day, kind, registration))
    conversations = db.session.scalars(
        select(Conversation).join(Registration)
        .where(Registration.candidate_id == candidate.id))
    entries += [TimelineEntry(event_day(c.event), "conversation", c) for c in conversations]
    follow_ups = db.session.scalars(select(FollowUp).where(FollowUp.candidate_id == candidate.id))
    entries += [TimelineEntry(f.due_on, "follow_up", f) for f in follow_ups]
    outcomes = db.session.scalars(select(Outcome).where(Outcome.candidate_id == candidate.id))
    entries += [TimelineEntry(o.happened_on, "outcome", o) for o in outcomes]
    order = ("registered", "attended", "conversation", "follow_up", "outcome")
    return sorted(entries, key=lambda e: (e.day, order.index(e.kind)))


def candidate_by_ref(ref: str) -> Candidate | None:
    """Staff open a candidate through any of their registrations' references."""
    registration = registration_by_ref(ref)
    return registration.candidate if registration else None


def latest_ref(candidate: Candidate) -> str | None:
    return db.session.scalar(
        select(Registration.ref).where(Registration.candidate_id == candidate.id)
        .order_by(Registration.created_at.desc()).limit(1))
