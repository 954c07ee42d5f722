"""iCalendar feeds and invitations for Meet & Greets.

Pure: the callers hand in plain :class:`CalendarEntry` values and get bytes.
Times are kept in UTC everywhere else; here they are written as local
Amsterdam time with a TZID and a matching VTIMEZONE, which is what calendar
clients show best. The one exception is the repeated hour at the end of
summer time (02:00-03:00 on the last Sunday of October): a local time there
is ambiguous, so an instant in its second pass is written in UTC instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress

PRODID = "-//meetgreet//NONSGML meetgreet//NL"
TZID = "Europe/Amsterdam"
LOCAL = ZoneInfo(TZID)

Method = Literal["PUBLISH", "REQUEST", "CANCEL"]
METHODS: frozenset[str] = frozenset({"PUBLISH", "REQUEST", "CANCEL"})


@dataclass(frozen=True)
class CalendarEntry:
    """One event as calendars see it. All datetimes must be timezone-aware."""

    uid: str
    sequence: int  # raise it on every change, or clients ignore the update
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    url: str
    cancelled: bool
    dtstamp: datetime

    def __post_init__(self) -> None:
        for name in ("starts_at", "ends_at", "dtstamp"):
            value: datetime = getattr(self, name)
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError(f"{name} must be timezone-aware (UTC), not naive: {value}")
        if self.ends_at < self.starts_at:
            raise ValueError(f"ends_at ({self.ends_at}) is before starts_at ({self.starts_at})")
        if self.sequence < 0:
            raise ValueError(f"sequence must not be negative, not {self.sequence}")
        if not self.uid:
            raise ValueError("uid must not be empty")


def build_feed(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """A subscribable feed (METHOD:PUBLISH) with every entry, cancelled ones included.

    Cancelled events stay in the feed with STATUS:CANCELLED so subscribed
    calendars strike them out instead of silently losing them.
    """
    entries = list(entries)
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    _add_timezone(cal, entries)
    for entry in entries:
        cal.add_component(_event(entry, cancelled=entry.cancelled))
    return cal.to_ical()


def build_invitation(
    entry: CalendarEntry,
    *,
    method: Method,
    organizer_email: str | None = None,
    attendee_email: str | None = None,
) -> bytes:
    """A single-event calendar to attach to an e-mail (text/calendar; method=...).

    REQUEST and CANCEL carry ORGANIZER and ATTENDEE when given, as RFC 5546
    asks; PUBLISH carries only the ORGANIZER. CANCEL always says
    STATUS:CANCELLED; the caller must raise ``sequence`` for it to be accepted.
    """
    if method not in METHODS:
        raise ValueError(f"method must be PUBLISH, REQUEST or CANCEL, not {method!r}")
    cal = _calendar(method)
    _add_timezone(cal, [entry])
    event = _event(entry, cancelled=entry.cancelled or method == "CANCEL")
    if organizer_email:
        event.add("organizer", _mailto(organizer_email))
    if attendee_email and method != "PUBLISH":
        event.add(
            "attendee",
            _mailto(attendee_email),
            # The app handles registration itself: no RSVP replies to a mailbox.
            parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"},
        )
    cal.add_component(event)
    return cal.to_ical()


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def _add_timezone(cal: Calendar, entries: list[CalendarEntry]) -> None:
    # The VTIMEZONE only needs to describe the years the events fall in; the
    # whole 1970-2038 history would make every feed several kilobytes larger.
    if not entries:
        return
    years = [
        _local(moment).year for entry in entries for moment in (entry.starts_at, entry.ends_at)
    ]
    first, last = date(min(years), 1, 1), date(max(years) + 1, 1, 1)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))


def _event(entry: CalendarEntry, *, cancelled: bool) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", entry.dtstamp.astimezone(UTC))
    event.add("sequence", entry.sequence)
    event.add("dtstart", _as_written(entry.starts_at))
    event.add("dtend", _as_written(entry.ends_at))
    event.add("summary", entry.summary)
    # Empty optional texts are left out rather than written as empty lines.
    if entry.location:
        event.add("location", entry.location)
    if entry.url:
        event.add("url", entry.url)
    if entry.description:
        event.add("description", entry.description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL)


def _as_written(moment: datetime) -> datetime:
    local = _local(moment)
    # The hour that repeats when summer time ends is ambiguous in local time and
    # RFC 5545 reads it as the first pass, so the second pass is written in UTC.
    return moment.astimezone(UTC) if local.fold else local


def _mailto(email: str) -> vCalAddress:
    email = email.strip()
    if "@" not in email or any(ch.isspace() for ch in email):
        raise ValueError(f"not an e-mail address: {email!r}")
    return vCalAddress(f"mailto:{email}")
