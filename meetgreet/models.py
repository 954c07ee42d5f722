"""Imports every domain's models, so metadata (and Alembic) sees all tables."""

from .accounts.models import Role, StaffUser
from .audit.models import AuditAction, AuditEntry
from .candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Invitation,
    InvitationBatch,
    Registration,
    RegistrationStatus,
)
from .checkin.models import BadgeCode, CheckInAttempt, CheckInDevice, ScanResult
from .employers.models import BookingStatus, Organisation, StandBooking, Vacancy
from .followup.models import Conversation, FollowUp, Outcome
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
    "AuditAction",
    "AuditEntry",
    "BadgeCode",
    "BookingStatus",
    "Candidate",
    "CandidateLanguage",
    "CandidateSector",
    "Conversation",
    "CheckInAttempt",
    "CheckInDevice",
    "Event",
    "EventStatus",
    "FollowUp",
    "Interpreter",
    "Invitation",
    "InvitationBatch",
    "InterpreterInvitation",
    "InterpreterLanguage",
    "InterpreterPost",
    "InterpreterRule",
    "Organisation",
    "Outcome",
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
