import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.tokens import new_code
from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db

EDUCATION_LEVELS = (
    ("none", _l("No school finished")),
    ("primary", _l("Primary school")),
    ("secondary", _l("Secondary school")),
    ("vocational", _l("Vocational training")),
    ("bachelor", _l("Bachelor or college")),
    ("master", _l("Master or higher")),
)
EDUCATION_LEVEL_CODES = tuple(code for code, _ in EDUCATION_LEVELS)
LANGUAGE_LEVELS = (
    ("basic", _l("A little")),
    ("good", _l("Good")),
    ("native", _l("Very well / mother tongue")),
)
LANGUAGE_LEVEL_CODES = tuple(code for code, _ in LANGUAGE_LEVELS)


class Candidate(db.Model):
    """A job seeker: one person across events. Deliberately no BSN, birth date or nationality."""

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # The name in Latin letters, so staff and employers can read a Cyrillic or Arabic name.
    latin_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    dutch_level: Mapped[str] = mapped_column(String(4), default="none")
    needs_interpreter: Mapped[bool] = mapped_column(default=False)
    experience: Mapped[str] = mapped_column(Text, default="")
    # None: the candidate does not know (yet) whether a foreign diploma was evaluated.
    diplomas_evaluated: Mapped[bool | None] = mapped_column()
    # server_default: the column arrives on a table that already holds people.
    education_level: Mapped[str] = mapped_column(String(12), default="", server_default="")
    municipality: Mapped[str] = mapped_column(String(80), default="")
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # Same name as someone known, but other contact details: staff decide whether it is one person.
    possible_duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidate.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the retention rules or an erasure request removed everything that identifies
    # the person; the row stays for the anonymous counts, hidden from every list and search.
    anonymised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    # The names folded (see name_key), kept in step by the model itself and indexed: the
    # duplicate check is one look-up however many people are known. (SQLite cannot fold
    # Cyrillic or Arabic case in a query.) Text: folding can lengthen a name ("ß" is "ss").
    name_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)
    latin_key: Mapped[str] = mapped_column(Text, default="", server_default="", index=True)

    possible_duplicate_of: Mapped["Candidate | None"] = relationship(remote_side=[id])
    coach: Mapped["StaffUser | None"] = relationship()  # noqa: F821 - resolved by name
    languages: Mapped[list["CandidateLanguage"]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateLanguage.code"
    )
    sectors: Mapped[list["CandidateSector"]] = relationship(
        cascade="all, delete-orphan", order_by="CandidateSector.code"
    )

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def name_key(text: str) -> str:
    """A name as the duplicate check compares it: case and spacing do not count."""
    return " ".join(text.casefold().split())


@event.listens_for(Candidate, "before_insert")
@event.listens_for(Candidate, "before_update")
def _fold_names(_mapper, _connection, candidate: Candidate) -> None:
    candidate.name_key = name_key(f"{candidate.first_name or ''} {candidate.last_name or ''}")
    candidate.latin_key = name_key(candidate.latin_name or "")


class CandidateLanguage(db.Model):
    __table_args__ = (UniqueConstraint("candidate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(5), index=True)
    # basic, good or native: enough for the interpreter plan to weigh need.
    level: Mapped[str] = mapped_column(String(10), default="native")


class CandidateSector(db.Model):
    __table_args__ = (UniqueConstraint("candidate_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(30), index=True)


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"  # the event was full; moved up automatically when a place frees
    CANCELLED = "cancelled"


REGISTRATION_STATUS_LABELS = {
    RegistrationStatus.REGISTERED: _l("Registered"),
    RegistrationStatus.WAITING: _l("Waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}


class Registration(db.Model):
    """One candidate at one event. Three secrets, one per purpose: the ticket code (in the QR,
    looked up at the door), the hashed personal-link token, and a short staff reference."""

    __table_args__ = (UniqueConstraint("event_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RegistrationStatus] = mapped_column(
        enum_column(RegistrationStatus), default=RegistrationStatus.REGISTERED, index=True
    )
    walk_in: Mapped[bool] = mapped_column(default=False)
    ticket_code: Mapped[str] = mapped_column(String(32), unique=True, default=new_code)
    link_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # For staff pages and phone calls: no database id of a person in a URL.
    ref: Mapped[str] = mapped_column(String(12), unique=True, default=lambda: new_code(10))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    share_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set once, at the first check-in (the check-in issue builds the scanning on it).
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Which door (device label) made the first check-in: "already checked in at 13:42 (door 2)".
    checked_in_by: Mapped[str | None] = mapped_column(String(60))

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    candidate: Mapped[Candidate] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status is not RegistrationStatus.CANCELLED


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"  # no e-mail address, registered already, or the mail server refused


class InvitationBatch(db.Model):
    """Invitations to one event, sent a chunk at a time so staff watch them go out.

    Kept in the database, not in a process, so any app server can carry on the batch."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="Invitation.id")


class Invitation(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("invitation_batch.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.PENDING)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    batch: Mapped[InvitationBatch] = relationship(back_populates="invitations")
    candidate: Mapped[Candidate] = relationship()
