import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.tokens import new_code
from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db

NOTE_MAX = 500


class Interest(enum.StrEnum):
    INTERESTED = "interested"
    MAYBE = "maybe"
    NOT_NOW = "not_now"


INTEREST_LABELS = {
    Interest.INTERESTED: _l("Interested"),
    Interest.MAYBE: _l("Maybe"),
    Interest.NOT_NOW: _l("Not now"),
}


class NextStep(enum.StrEnum):
    INTERVIEW = "interview"
    TRIAL_DAY = "trial_day"
    INTERNSHIP = "internship"
    LEARN_WORK = "learn_work"
    TRAINING = "training"
    JOB_OFFER = "job_offer"
    NONE = "none"


NEXT_STEP_LABELS = {
    NextStep.INTERVIEW: _l("Job interview"),
    NextStep.TRIAL_DAY: _l("Trial day"),
    NextStep.INTERNSHIP: _l("Internship"),
    NextStep.LEARN_WORK: _l("Learn-and-work route"),
    NextStep.TRAINING: _l("Training"),
    NextStep.JOB_OFFER: _l("Job offer"),
    NextStep.NONE: _l("No next step"),
}


class RecordedBy(enum.StrEnum):
    EMPLOYER = "employer"
    INTERPRETER = "interpreter"
    STAFF = "staff"


RECORDED_BY_LABELS = {
    RecordedBy.EMPLOYER: _l("The employer"),
    RecordedBy.INTERPRETER: _l("An interpreter"),
    RecordedBy.STAFF: _l("WSP staff"),
}


class Conversation(db.Model):
    """A candidate talked with an employer at their stand. One per pair: recording it again
    (a second talk, a phone that sent twice) updates it."""

    __table_args__ = (UniqueConstraint("stand_booking_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    stand_booking_id: Mapped[int] = mapped_column(
        ForeignKey("stand_booking.id", ondelete="CASCADE"), index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    interest: Mapped[Interest] = mapped_column(enum_column(Interest))
    next_step: Mapped[NextStep] = mapped_column(enum_column(NextStep), default=NextStep.NONE)
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    recorded_by: Mapped[RecordedBy] = mapped_column(enum_column(RecordedBy))
    # The staff member who recorded it on the employer's behalf, if any.
    recorded_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    # For pages and links: no database id in a URL.
    ref: Mapped[str] = mapped_column(String(12), unique=True, default=lambda: new_code(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    booking: Mapped["StandBooking"] = relationship()  # noqa: F821
    registration: Mapped["Registration"] = relationship()  # noqa: F821
    recorded_by_user: Mapped["StaffUser | None"] = relationship()  # noqa: F821
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="conversation", order_by="FollowUp.due_on")


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


FOLLOW_UP_STATUS_LABELS = {
    FollowUpStatus.OPEN: _l("Open"),
    FollowUpStatus.DONE: _l("Done"),
}


class FollowUp(db.Model):
    """Something the WSP does next for a candidate, owned by one staff member, due on a date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[FollowUpStatus] = mapped_column(
        enum_column(FollowUpStatus), default=FollowUpStatus.OPEN, index=True)
    action: Mapped[str] = mapped_column(String(200), default="")
    result: Mapped[str] = mapped_column(Text, default="")
    ref: Mapped[str] = mapped_column(String(12), unique=True, default=lambda: new_code(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    candidate: Mapped["Candidate"] = relationship()  # noqa: F821
    conversation: Mapped[Conversation | None] = relationship(back_populates="follow_ups")
    owner: Mapped["StaffUser"] = relationship()  # noqa: F821


class OutcomeKind(enum.StrEnum):
    INTERVIEW_HELD = "interview_held"
    INTERNSHIP_STARTED = "internship_started"
    TRAINING_STARTED = "training_started"
    CONTRACT = "contract"
    ENDED = "ended"


OUTCOME_LABELS = {
    OutcomeKind.INTERVIEW_HELD: _l("Interview held"),
    OutcomeKind.INTERNSHIP_STARTED: _l("Internship started"),
    OutcomeKind.TRAINING_STARTED: _l("Training started"),
    OutcomeKind.CONTRACT: _l("Employment contract"),
    OutcomeKind.ENDED: _l("Ended"),
}
# What counts as a placement on the dashboard, by kind of place.
PLACEMENTS = {
    OutcomeKind.CONTRACT: "work",
    OutcomeKind.INTERNSHIP_STARTED: "internship",
    OutcomeKind.TRAINING_STARTED: "training",
}

CONTRACT_TYPES = (
    ("temporary", _l("Temporary")),
    ("permanent", _l("Permanent")),
    ("agency", _l("Through an agency")),
    ("on_call", _l("On call")),
)


class Outcome(db.Model):
    """A step on a candidate's way to work, recorded by staff; the timeline shows them all."""

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind))
    happened_on: Mapped[date] = mapped_column(Date)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"))
    contract_hours: Mapped[int | None]
    contract_type: Mapped[str] = mapped_column(String(12), default="")
    note: Mapped[str] = mapped_column(String(NOTE_MAX), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    candidate: Mapped["Candidate"] = relationship()  # noqa: F821
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    recorded_by: Mapped["StaffUser | None"] = relationship()  # noqa: F821
