"""Demo data for after the event: stands at the held event, conversations there, follow-ups
owned by the demo coaches (a few overdue), and some outcomes. Safe to run twice."""

import random
from datetime import timedelta

from sqlalchemy import select

from ..accounts.models import Role, StaffUser
from ..candidates.models import Registration, RegistrationStatus
from ..core.tokens import hash_token, new_link_token
from ..employers.models import BookingStatus, Organisation, StandBooking
from ..extensions import db
from ..followup.models import (
    Conversation,
    FollowUp,
    Interest,
    NextStep,
    Outcome,
    OutcomeKind,
    RecordedBy,
)
from ..followup.services import event_day
from ..scheduling.models import Event, EventStatus

HELD_STANDS = 8
CONVERSATIONS = 40
NOTES = ("Spreekt al goed Nederlands.", "Wil graag in de zorg werken.",
         "Heeft ervaring als heftruckchauffeur.", "Kan na de inburgering beginnen.", "")


def load_after_event() -> dict[str, int]:
    db.session.flush()
    event = db.session.scalar(select(Event).where(Event.status == EventStatus.HELD)
                              .order_by(Event.starts_at.desc()).limit(1))
    if event is None:
        return {"conversations": 0, "follow_ups": 0, "outcomes": 0}
    stands = _held_stands(event)
    db.session.flush()
    rng = random.Random(8)  # the same demo every time
    conversations = _conversations(event, stands, rng)
    db.session.flush()
    follow_ups = _follow_ups(event, rng)
    outcomes = _outcomes(event)
    return {"conversations": conversations, "follow_ups": follow_ups, "outcomes": outcomes}


def _held_stands(event: Event) -> list[StandBooking]:
    existing = list(db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id).order_by(StandBooking.stand_number,
                                                    StandBooking.id)))
    if existing:
        return existing
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.kvk_number.is_not(None))
        .order_by(Organisation.kvk_number.desc()).limit(HELD_STANDS))
    stands = []
    for number, organisation in enumerate(organisations, start=1):
        booking = StandBooking(
            event=event, organisation=organisation, contact_name=organisation.contact_name,
            contact_email=organisation.contact_email, contact_phone=organisation.contact_phone,
            locale="nl", representatives=2, status=BookingStatus.CONFIRMED,
            stand_number=number, manage_token_hash=hash_token(new_link_token()),
            manage_token_expires_at=event.ends_at + timedelta(days=30))
        db.session.add(booking)
        stands.append(booking)
    return stands


def _conversations(event: Event, stands: list[StandBooking], rng: random.Random) -> int:
    if not stands:
        return 0
    came = list(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.status == RegistrationStatus.REGISTERED,
        Registration.checked_in_at.is_not(None)).order_by(Registration.id)))
    talked = set(db.session.scalars(select(Conversation.registration_id).where(
        Conversation.event_id == event.id)))
    added = 0
    for registration in came[:CONVERSATIONS]:
        booking = stands[rng.randrange(len(stands))]
        interest = rng.choice(list(Interest))
        step = (rng.choice([NextStep.INTERVIEW, NextStep.TRIAL_DAY, NextStep.INTERNSHIP,
                            NextStep.TRAINING]) if interest is not Interest.NOT_NOW
                else NextStep.NONE)
        if registration.id in talked:
            continue
        db.session.add(Conversation(
            event_id=event.id, booking=booking, registration=registration, interest=interest,
            next_step=step, note=rng.choice(NOTES),
            recorded_by=RecordedBy.EMPLOYER if registration.share_consent_at
            else RecordedBy.STAFF,
            created_at=registration.checked_in_at + timedelta(minutes=rng.randint(5, 60))))
        added += 1
    return added


def _follow_ups(event: Event, rng: random.Random) -> int:
    coaches = list(db.session.scalars(select(StaffUser).where(StaffUser.role == Role.COACH)
                                      .order_by(StaffUser.email)))
    if not coaches:
        return 0
    added = 0
    conversations = db.session.scalars(select(Conversation).where(
        Conversation.event_id == event.id, Conversation.interest == Interest.INTERESTED)
        .order_by(Conversation.id))
    day = event_day(event)
    for index, conversation in enumerate(conversations):
        if conversation.follow_ups:
            continue
        candidate = conversation.registration.candidate
        owner = candidate.coach or coaches[index % len(coaches)]
        # Some were due a while ago (overdue), the rest in the coming weeks.
        due = day + timedelta(days=7 + 3 * index)
        db.session.add(FollowUp(candidate=candidate, conversation=conversation, owner=owner,
                                due_on=due, action="Bellen over de volgende stap"))
        added += 1
    return added


def _outcomes(event: Event) -> int:
    coach = db.session.scalar(select(StaffUser).where(StaffUser.role == Role.COACH)
                              .order_by(StaffUser.email).limit(1))
    conversations = list(db.session.scalars(select(Conversation).where(
        Conversation.event_id == event.id, Conversation.interest == Interest.INTERESTED)
        .order_by(Conversation.id).limit(3)))
    day = event_day(event)
    plans = [(OutcomeKind.INTERVIEW_HELD, 7, None, ""), (OutcomeKind.INTERNSHIP_STARTED, 14,
                                                          None, ""),
             (OutcomeKind.CONTRACT, 21, 32, "temporary")]
    added = 0
    for conversation, (kind, days, hours, contract_type) in zip(conversations, plans,
                                                                strict=False):
        candidate = conversation.registration.candidate
        if db.session.scalar(select(Outcome.id).where(Outcome.candidate_id == candidate.id)):
            continue
        db.session.add(Outcome(candidate=candidate, kind=kind, happened_on=day + timedelta(
            days=days), contract_hours=hours, contract_type=contract_type,
            organisation=conversation.booking.organisation, recorded_by=coach,
            note="Demo"))
        added += 1
    return added
