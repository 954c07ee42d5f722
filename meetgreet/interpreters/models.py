import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.tokens import new_code
from ..core.types import UTCDateTime, enum_column, utcnow
from ..extensions import db


class Interpreter(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # For staff URLs: no database id of a person in a link. Nullable only because the
    # column arrived on a table with rows; the migration gives every row one.
    ref: Mapped[str | None] = mapped_column(
        String(12), unique=True, default=lambda: new_code(10)
    )
    name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    # An interpreting agency, or empty for a volunteer.
    agency: Mapped[str] = mapped_column(String(120), default="")
    certified: Mapped[bool] = mapped_column(default=False)
    # How many neighbouring tables one interpreter can serve at once.
    table_count: Mapped[int] = mapped_column(default=2)
    notes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    languages: Mapped[list["InterpreterLanguage"]] = relationship(
        cascade="all, delete-orphan", order_by="InterpreterLanguage.code"
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]


class InterpreterLanguage(db.Model):
    __table_args__ = (UniqueConstraint("interpreter_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(5), index=True)


class Answer(enum.StrEnum):
    NONE = "none"  # invited, no answer yet
    YES = "yes"
    NO = "no"


ANSWER_LABELS = {
    Answer.NONE: _l("No answer yet"),
    Answer.YES: _l("Yes"),
    Answer.NO: _l("No"),
}


class InterpreterInvitation(db.Model):
    """One interpreter asked for one event, and what they answered."""

    __table_args__ = (UniqueConstraint("event_id", "interpreter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    # Only the hash of the yes/no link's token: a leaked table opens no answer page.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    answer: Mapped[Answer] = mapped_column(enum_column(Answer), default=Answer.NONE)
    # None for both: the whole event.
    available_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
    available_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    plan_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped["Event"] = relationship()  # noqa: F821 - resolved by name
    interpreter: Mapped[Interpreter] = relationship()

    @property
    def whole_event(self) -> bool:
        return self.available_from is None and self.available_until is None


class InterpreterPost(db.Model):
    """A saved plan: where one interpreter stands in one window, in which language."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    window: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(5))
    home_stand: Mapped[int]
    # Stand numbers served, home first, comma-separated.
    stand_numbers: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    interpreter: Mapped[Interpreter] = relationship()

    @property
    def stands(self) -> list[int]:
        return [int(number) for number in self.stand_numbers.split(",") if number]


class RuleKind(enum.StrEnum):
    PIN = "pin"  # the interpreter serves this stand
    EXCLUDE = "exclude"  # with a stand: not there; without: not used at all


class InterpreterRule(db.Model):
    """A pin or an exclusion staff set on the plan page; re-solving keeps them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"), index=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[RuleKind] = mapped_column(enum_column(RuleKind))
    stand_number: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(String(5))
    window: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    interpreter: Mapped[Interpreter] = relationship()


class PlanStatus(enum.StrEnum):
    OPTIMAL = "optimal"  # proven: no plan covers more need
    FEASIBLE = "feasible"  # the time limit ended the search; ``gap`` bounds the loss
    TIME_LIMIT = "time_limit"  # the time limit ended the search before any bound was known


class InterpreterPlan(db.Model):
    """How the saved plan of an event was made: whether it is proven the best."""

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("event.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus))
    # At most this share below the best possible coverage (0.0 when optimal).
    gap: Mapped[float | None]
    seconds: Mapped[float]
    made_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
