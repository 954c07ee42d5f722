"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from .accounts.models import Role, StaffUser
from .candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Registration,
    RegistrationStatus,
)
from .employers.models import BookingStatus, Organisation, StandBooking, Vacancy
from .interpreters.models import (
    Interpreter,
    InterpreterInvitation,
    InterpreterLanguage,
    InterpreterPost,
    InterpreterRule,
)
from .mail.models import OutboxMessage
from .scheduling.models import Event, EventStatus, Series, Venue, VenueBlackout

__all__ = [
    "BookingStatus",
    "Candidate",
    "CandidateLanguage",
    "CandidateSector",
    "Event",
    "EventStatus",
    "Interpreter",
    "InterpreterInvitation",
    "InterpreterLanguage",
    "InterpreterPost",
    "InterpreterRule",
    "Organisation",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Series",
    "StaffUser",
    "StandBooking",
    "Vacancy",
    "Venue",
    "VenueBlackout",
]
