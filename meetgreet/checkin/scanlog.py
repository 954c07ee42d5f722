"""The door's log for planners: every scan of an event (refused ones and undos too), newest
first, filtered by answer and device, a page at a time or as CSV.

A row names the person only when the scanned code belonged to someone; the code itself was
never stored (only its hash), so an unknown or foreign code shows nothing at all."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..candidates.models import Registration
from ..core.spreadsheet import csv_text
from ..employers.models import StandBooking
from ..extensions import db
from ..scheduling.models import Event
from .models import BadgeCode, CheckInAttempt, ScanResult
from .services import representative_name

PER_PAGE = 100

STATUS_LABELS = {
    ScanResult.OK: _l("Checked in"),
    ScanResult.ALREADY_CHECKED_IN: _l("Already checked in"),
    ScanResult.CANCELLED: _l("Cancelled"),
    ScanResult.WRONG_EVENT: _l("Other event"),
    ScanResult.UNKNOWN: _l("Unknown code"),
    ScanResult.UNDONE: _l("Check-in undone"),
}


@dataclass(frozen=True)
class LogFilters:
    status: ScanResult | None = None
    device: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "LogFilters":
        """Filters from a query string; anything unknown means "all"."""
        status = args.get("status", "")
        known = {result.value for result in ScanResult}
        return cls(status=ScanResult(status) if status in known else None,
                   device=args.get("device", "").strip()[:60])

    def as_args(self) -> dict[str, str]:
        """For links that keep the filters (pages, CSV); empty ones left out."""
        return {key: value for key, value in
                (("status", self.status.value if self.status else ""), ("device", self.device))
                if value}


@dataclass(frozen=True)
class LogPage:
    attempts: list[CheckInAttempt]
    number: int
    pages: int
    total: int


def _statement(event: Event, filters: LogFilters):
    statement = select(CheckInAttempt).where(CheckInAttempt.event_id == event.id)
    if filters.status is not None:
        statement = statement.where(CheckInAttempt.result == filters.status)
    if filters.device:
        statement = statement.where(CheckInAttempt.device == filters.device)
    return statement


def _newest_first_with_names(statement):
    """Newest first, with everything a row shows loaded in the same query."""
    badge = joinedload(CheckInAttempt.badge_code)
    return statement.order_by(CheckInAttempt.created_at.desc(), CheckInAttempt.id.desc()).options(
        joinedload(CheckInAttempt.registration).joinedload(Registration.candidate),
        badge.joinedload(BadgeCode.stand_booking).joinedload(StandBooking.organisation),
        badge.joinedload(BadgeCode.interpreter),
        joinedload(CheckInAttempt.staff_user),
    )


def log_page(event: Event, filters: LogFilters, number: int,
             per_page: int = PER_PAGE) -> LogPage:
    """One page of the log; a page number past the end shows the last page."""
    statement = _statement(event, filters)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    attempts = db.session.scalars(_newest_first_with_names(statement)
                                  .offset((number - 1) * per_page).limit(per_page)).all()
    return LogPage(list(attempts), number, pages, total)


def device_labels(event: Event) -> list[str]:
    """Every device (or staff member's) label that scanned at this event, for the filter."""
    return list(db.session.scalars(
        select(CheckInAttempt.device).where(CheckInAttempt.event_id == event.id)
        .distinct().order_by(CheckInAttempt.device)))


def status_counts(event: Event) -> dict[ScanResult, int]:
    """How many attempts got each answer, every answer listed (zero included)."""
    rows = db.session.execute(
        select(CheckInAttempt.result, func.count()).where(CheckInAttempt.event_id == event.id)
        .group_by(CheckInAttempt.result)).all()
    counts = dict.fromkeys(ScanResult, 0)
    counts.update(dict(rows))
    return counts


def holder_name(attempt: CheckInAttempt) -> str:
    """Whose code it was: a display name only, never a code; empty for an unknown code."""
    if attempt.registration is not None:
        return attempt.registration.candidate.display_name
    badge = attempt.badge_code
    if badge is None:
        return ""
    if badge.stand_booking is not None:
        return representative_name(badge.stand_booking, badge.slot or 0)
    return badge.interpreter.name


def scanned_by(attempt: CheckInAttempt) -> str:
    """The device's label, and the staff member's name when the label is not already it."""
    staff = attempt.staff_user.name if attempt.staff_user else ""
    if staff and attempt.device and attempt.device != staff:
        return f"{attempt.device} ({staff})"
    return attempt.device or staff


def log_csv(event: Event, filters: LogFilters) -> str:
    """The whole filtered log (not one page), times in the organisation's time zone."""
    attempts = db.session.scalars(_newest_first_with_names(_statement(event, filters)))
    return csv_text(
        [_("Time"), _("Device or staff member"), _("Answer"), _("Person"), _("Reason")],
        ([format_datetime(attempt.created_at, "yyyy-MM-dd HH:mm:ss"), scanned_by(attempt),
          str(STATUS_LABELS[attempt.result]), holder_name(attempt), attempt.reason]
         for attempt in attempts))
