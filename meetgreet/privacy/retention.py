"""The retention rules: what is kept how long, applied by `flask privacy retention` each night.

- Candidates: anonymised RETENTION_REGISTRATION_DAYS after their last event (or, never
  registered, after they were added), unless in active follow-up: someone with follow-up
  items or outcomes is kept until follow-up ends, 18 months after their first event.
- Employer contacts (names, e-mail, phone on bookings and organisations): cleared when the
  organisation had no event in the last RETENTION_EMPLOYER_MONTHS.
- Interpreters' answer links: dead RETENTION_REGISTRATION_DAYS after the event.
- Audit trail, door scan log and outbox: deleted after their own setting.

Every rule picks only what still holds something to remove, so a second run does nothing."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, exists, func, select

from ..audit.models import AuditEntry
from ..candidates.models import Candidate, Registration
from ..checkin.models import CheckInAttempt
from ..core.types import utcnow
from ..employers.models import Organisation, StandBooking
from ..extensions import db
from ..followup.models import FollowUp, Outcome
from ..followup.services import LOCAL, follow_up_closes_on, local_today
from ..interpreters.models import InterpreterInvitation
from ..mail.models import OutboxMessage
from ..scheduling.models import Event
from .erasure import (
    anonymise_candidate,
    clear_booking_contact,
    clear_organisation_contact,
    dead_token_hash,
)

# The report's lines, in this order.
KINDS = (
    "candidates_after_event",
    "candidates_after_follow_up",
    "employer_bookings",
    "organisations",
    "interpreter_links",
    "audit_entries",
    "check_in_attempts",
    "outbox_messages",
)


@dataclass(frozen=True)
class Policy:
    registration_days: int = 90
    employer_months: int = 24
    audit_months: int = 24
    checkin_log_days: int = 90
    outbox_days: int = 30

    @classmethod
    def from_config(cls) -> "Policy":
        config = current_app.config
        return cls(registration_days=config["RETENTION_REGISTRATION_DAYS"],
                   employer_months=config["RETENTION_EMPLOYER_MONTHS"],
                   audit_months=config["RETENTION_AUDIT_MONTHS"],
                   checkin_log_days=config["RETENTION_CHECKIN_LOG_DAYS"],
                   outbox_days=config["RETENTION_OUTBOX_DAYS"])


@dataclass
class Report:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# --- candidates -------------------------------------------------------------------------------


def _start_of(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=LOCAL)


def _has_follow_up(candidate: Candidate) -> bool:
    return bool(db.session.scalar(select(
        exists().where(FollowUp.candidate_id == candidate.id)
        | exists().where(Outcome.candidate_id == candidate.id))))


def _due_reason(candidate: Candidate, today: date) -> str | None:
    """For someone past the retention period after their last event: why they are anonymised
    today ("after_event" or "after_follow_up"), or None while follow-up is still running."""
    if not _has_follow_up(candidate):
        return "after_event"
    closes = follow_up_closes_on(candidate)
    if closes is not None and today < closes:
        return None  # in active follow-up
    return "after_follow_up"


def due_candidates(today: date, policy: Policy) -> list[tuple[Candidate, str]]:
    # Past retention, picked by the database: no event since the cut-off (and, never
    # registered, added before it). Follow-up (_due_reason) may keep them longer.
    cutoff = _start_of(today - timedelta(days=policy.registration_days - 1))
    recent = select(Registration.candidate_id).join(Event).where(Event.starts_at >= cutoff)
    registered = exists().where(Registration.candidate_id == Candidate.id)
    candidates = db.session.scalars(
        select(Candidate).where(Candidate.anonymised_at.is_(None), Candidate.id.not_in(recent),
                                registered | (Candidate.created_at < cutoff))
        .order_by(Candidate.id))
    due = ((candidate, _due_reason(candidate, today)) for candidate in candidates)
    return [(candidate, reason) for candidate, reason in due if reason]


# --- employers --------------------------------------------------------------------------------


def _inactive_organisations(since: datetime):
    """Organisations with no booking for an event since `since`, and not added since then."""
    active = (select(StandBooking.organisation_id).join(Event)
              .where(Event.starts_at >= since))
    return select(Organisation.id).where(Organisation.id.not_in(active),
                                         Organisation.created_at < since)


def _has_contact(model):
    return (model.contact_name != "") | (model.contact_email != "") | (model.contact_phone != "")


def due_bookings(since: datetime) -> list[StandBooking]:
    return list(db.session.scalars(select(StandBooking).where(
        StandBooking.organisation_id.in_(_inactive_organisations(since)),
        _has_contact(StandBooking) | (StandBooking.remarks != "")
        | ~StandBooking.manage_token_hash.startswith("-"))))


def due_organisations(since: datetime) -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).where(
        Organisation.id.in_(_inactive_organisations(since)),
        _has_contact(Organisation) | Organisation.prefill_token_hash.is_not(None))))


# --- links and logs ---------------------------------------------------------------------------


def due_interpreter_links(before: datetime) -> list[InterpreterInvitation]:
    return list(db.session.scalars(
        select(InterpreterInvitation).join(Event)
        .where(Event.ends_at < before, ~InterpreterInvitation.token_hash.startswith("-"))))


def _count(model, column, before: datetime) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(column < before))


LOGS = (
    ("audit_entries", AuditEntry, AuditEntry.at, lambda p: relativedelta(months=p.audit_months)),
    ("check_in_attempts", CheckInAttempt, CheckInAttempt.created_at,
     lambda p: timedelta(days=p.checkin_log_days)),
    ("outbox_messages", OutboxMessage, OutboxMessage.created_at,
     lambda p: timedelta(days=p.outbox_days)),
)


# --- the run ----------------------------------------------------------------------------------


def run(*, dry_run: bool = False, now: datetime | None = None,
        policy: Policy | None = None) -> Report:
    """Apply every rule once; with dry_run, only count what would go."""
    now = now or utcnow()
    today = local_today(now)
    policy = policy or Policy.from_config()
    report = Report(dry_run=dry_run)
    counts = report.counts

    for candidate, reason in due_candidates(today, policy):
        counts[f"candidates_{reason}"] += 1
        if not dry_run:
            anonymise_candidate(candidate, now)

    employer_since = now - relativedelta(months=policy.employer_months)
    bookings = due_bookings(employer_since)
    organisations = due_organisations(employer_since)
    counts["employer_bookings"], counts["organisations"] = len(bookings), len(organisations)
    links = due_interpreter_links(now - timedelta(days=policy.registration_days))
    counts["interpreter_links"] = len(links)
    if not dry_run:
        for booking in bookings:
            clear_booking_contact(booking)
        for organisation in organisations:
            clear_organisation_contact(organisation)
        for invitation in links:
            invitation.token_hash = dead_token_hash()

    for kind, model, column, keep in LOGS:
        before = now - keep(policy)
        counts[kind] = _count(model, column, before)
        if not dry_run and counts[kind]:
            db.session.execute(delete(model).where(column < before))

    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report
