"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from .accounts.models import Role, StaffUser
from .candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Registration,
    RegistrationStatus,
)
from .checkin.models import BadgeCode, CheckInAttempt, CheckInDevice, ScanResult
from .employers.models import BookingStatus, Organisation, StandBooking, Vacancy
from .interpreters.models import Interpreter, InterpreterLanguage
from .mail.models import OutboxMessage
from .scheduling.models import Event, EventStatus, Series, Venue, VenueBlackout

__all__ = [
    "BadgeCode",
    "BookingStatus",
    "Candidate",
    "CandidateLanguage",
    "CandidateSector",
    "CheckInAttempt",
    "CheckInDevice",
    "Event",
    "EventStatus",
    "Interpreter",
    "InterpreterLanguage",
    "Organisation",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "ScanResult",
    "Series",
    "StaffUser",
    "StandBooking",
    "Vacancy",
    "Venue",
    "VenueBlackout",
]
