from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db


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
    diplomas_evaluated: Mapped[bool] = mapped_column(default=False)
    municipality: Mapped[str] = mapped_column(String(80), default="")
    coach_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

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
