from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.types import UTCDateTime, utcnow
from ..extensions import db


class Interpreter(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
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


class InterpreterLanguage(db.Model):
    __table_args__ = (UniqueConstraint("interpreter_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    interpreter_id: Mapped[int] = mapped_column(
        ForeignKey("interpreter.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(5), index=True)
