"""Removing what identifies a person, keeping what the anonymous counts need.

An anonymised candidate keeps languages, sectors, Dutch level, education level, the
registrations (event, status, walk-in, check-in time), conversations (interest, next step),
follow-ups and outcomes (kind, dates): the dashboard counts stay as they were. Names, contact
details, free text and every secret that opens a page or passes the door are gone."""

import secrets
from datetime import datetime

from sqlalchemy import select, update

from ..accounts.models import StaffUser
from ..audit import services as audit
from ..audit.models import AuditAction
from ..candidates import services as candidates
from ..candidates.models import (
    Candidate,
    Invitation,
    InvitationStatus,
    Registration,
    RegistrationStatus,
)
from ..checkin.models import CheckInAttempt
from ..core.tokens import new_code
from ..core.types import utcnow
from ..employers.models import Organisation, StandBooking
from ..extensions import db
from ..followup.models import Conversation, FollowUp, FollowUpStatus, Outcome
from ..mail.services import outbox_messages_to
from ..scheduling.models import Event

# Why staff erase someone: a fixed list, so the audit trail never holds typed-in text.
ERASURE_REASONS = ("request", "objection", "unlawful", "other")


def dead_token_hash() -> str:
    """A value for a token-hash column that no token hashes to (a SHA-256 hex digest never
    starts with "-"): the link it stood for stops working, the unique column stays unique."""
    return "-" + secrets.token_hex(32)[:63]


def dead_ticket_code() -> str:
    """A ticket code the door cannot read: "-" is stripped from scans, leaving too few
    characters."""
    return "-" + new_code(31)


def anonymise_candidate(candidate: Candidate, now: datetime | None = None) -> None:
    """Flushes, does not commit: the caller decides (a retention run commits once)."""
    now = now or utcnow()
    candidate.first_name = candidate.last_name = candidate.latin_name = ""
    candidate.email = candidate.phone = None
    candidate.experience = candidate.municipality = ""
    candidate.coach_id = candidate.possible_duplicate_of_id = None
    candidate.anonymised_at = now
    db.session.execute(update(Candidate).where(Candidate.possible_duplicate_of_id == candidate.id)
                       .values(possible_duplicate_of_id=None))
    registrations = list(db.session.scalars(
        select(Registration).where(Registration.candidate_id == candidate.id)))
    for registration in registrations:
        registration.ticket_code = dead_ticket_code()
        registration.link_token_hash = dead_token_hash()
        registration.ref = new_code(10)  # staff URLs and printed lists no longer lead here
        registration.share_consent_at = None  # employers no longer see the conversations
    ids = [r.id for r in registrations]
    if ids:
        # The door's answer held the name; the undo reason is typed-in text.
        db.session.execute(update(CheckInAttempt).where(CheckInAttempt.registration_id.in_(ids))
                           .values(answer="{}", reason=""))
        db.session.execute(update(Conversation).where(Conversation.registration_id.in_(ids))
                           .values(note=""))
    db.session.execute(update(FollowUp).where(FollowUp.candidate_id == candidate.id)
                       .values(action="", result=""))
    # Nobody follows an anonymous person up: close what was open, keep it counted.
    db.session.execute(update(FollowUp).where(FollowUp.candidate_id == candidate.id,
                                              FollowUp.status == FollowUpStatus.OPEN)
                       .values(status=FollowUpStatus.DONE, done_at=now))
    db.session.execute(update(Outcome).where(Outcome.candidate_id == candidate.id)
                       .values(note=""))
    db.session.execute(update(Invitation).where(Invitation.candidate_id == candidate.id,
                                                Invitation.status == InvitationStatus.PENDING)
                       .values(status=InvitationStatus.SKIPPED))
    db.session.flush()


def clear_booking_contact(booking: StandBooking) -> None:
    booking.contact_name = booking.contact_email = booking.contact_phone = ""
    booking.remarks = booking.decline_reason = ""
    booking.manage_token_hash = dead_token_hash()


def clear_organisation_contact(organisation: Organisation) -> None:
    organisation.contact_name = organisation.contact_email = organisation.contact_phone = ""
    organisation.prefill_token_hash = organisation.prefill_token_expires_at = None


def erase_candidate(candidate: Candidate, *, by: StaffUser | None = None,
                    reason: str = "request", now: datetime | None = None) -> None:
    """Erasure on request (GDPR art. 17), by the person through their link (`by` None) or by
    staff. Places at coming events go to the waiting list; nothing more is sent to them."""
    if reason not in ERASURE_REASONS:
        raise ValueError(reason)
    if candidate.anonymised_at is not None:
        return
    now = now or utcnow()
    coming = list(db.session.scalars(
        select(Registration).join(Event)
        .where(Registration.candidate_id == candidate.id,
               Registration.status != RegistrationStatus.CANCELLED, Event.starts_at > now)))
    for registration in coming:
        candidates.cancel(registration, now)
    if candidate.email:
        for message in outbox_messages_to(candidate.email):
            db.session.delete(message)
    anonymise_candidate(candidate, now)
    db.session.commit()
    # The subject is the (now anonymous) row's id; the detail is a code, never a name.
    audit.record(AuditAction.ERASED_CANDIDATE, candidate,
                 f"by staff: {reason}" if by is not None else "by the candidate", by=by)
