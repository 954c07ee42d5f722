"""The rules of planning and running events, as plain functions."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from ..core.tokens import new_link_token, tokens_match
from ..core.types import utcnow
from ..extensions import db
from . import planning
from .calendar import CalendarEntry, Method, build_feed, build_invitation
from .models import (
    PUBLIC_STATUSES,
    Event,
    EventStatus,
    Series,
    StaffCalendarFeed,
    Venue,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class SchedulingError(ValueError):
    """A planning request that breaks a rule; the message is shown to the planner."""


class VersionConflict(SchedulingError):
    """Someone else saved the event since this form was opened."""


# --- lookups -----------------------------------------------------------------


def upcoming_events(*, public_only: bool = False, limit: int | None = None) -> list[Event]:
    """Events that have not ended yet (or ended less than a day ago), soonest first."""
    query = (
        select(Event)
        .where(Event.ends_at >= utcnow() - timedelta(days=1))
        .order_by(Event.starts_at)
        .limit(limit)
    )
    if public_only:
        query = query.where(Event.status.in_(PUBLIC_STATUSES))
    return list(db.session.scalars(query))


def public_event_or_none(event_id: int) -> Event | None:
    event = db.session.get(Event, event_id)
    return event if event is not None and event.is_public else None


def local_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def at_local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


# --- planning a series -------------------------------------------------------


def series_rule(series: Series) -> planning.SeriesRule:
    return planning.SeriesRule(weekday=series.weekday, interval_weeks=series.interval_weeks,
                               min_days=series.min_days, max_days=series.max_days)


def venue_blackouts(venue: Venue) -> list[planning.Blackout]:
    return [(b.starts_on, b.ends_on, b.reason) for b in venue.blackouts]


def taken_days(venue: Venue, *, excluding: set[int] = frozenset()) -> frozenset[date]:
    """Days another (not cancelled) event already uses this venue."""
    events = db.session.scalars(
        select(Event).where(Event.venue_id == venue.id, Event.status != EventStatus.CANCELLED)
    )
    return frozenset(local_day(e.starts_at) for e in events if e.id not in excluding)


def live_events(series: Series) -> list[Event]:
    return [e for e in series.events if e.status is not EventStatus.CANCELLED]


@dataclass(frozen=True)
class PlanProposal:
    previous: date | None
    proposals: list[planning.Proposal]


def propose(series: Series, *, first_date: date | None = None, count: int | None = None,
            until: date | None = None, language: str = "nl") -> PlanProposal:
    """The next events of a series, keeping the 4-6 week rule; nothing is stored."""
    rule = series_rule(series)
    existing = live_events(series)
    previous = local_day(existing[-1].starts_at) if existing else None
    if previous is not None:
        earliest, latest = rule.window_after(previous)
        preferred = planning.preferred_after(rule, previous)
        if first_date is not None:
            if not earliest <= first_date <= latest:
                raise SchedulingError(_l(
                    "The next event must be %(min)d to %(max)d days after the last one.",
                    min=rule.min_days, max=rule.max_days,
                ))
            preferred = _same_weekday_on_or_after(first_date, rule.weekday, latest) or preferred
    else:
        preferred = _same_weekday_on_or_after(first_date or date.today() + timedelta(days=1),
                                              rule.weekday)
    proposals = planning.plan(
        rule, previous, preferred, count=count, until=until,
        blackouts=venue_blackouts(series.venue), taken=taken_days(series.venue),
        language=language,
    )
    return PlanProposal(previous=previous, proposals=proposals)


def _same_weekday_on_or_after(day: date, weekday: int, latest: date | None = None) -> date | None:
    found = day + timedelta(days=(weekday - day.weekday()) % 7)
    return found if latest is None or found <= latest else None


DEFAULT_DESCRIPTION = _l(
    "Meet employers from the region who are looking for staff. Interpreters are there to help. "
    "You do not need a CV."
)


def default_descriptions() -> dict[str, str]:
    """The standard invitation in every language, so a planned event can be published as is."""
    from flask_babel import force_locale

    from ..core.i18n import LOCALES

    descriptions = {}
    for locale in LOCALES:
        with force_locale(locale):
            descriptions[f"description_{locale}"] = str(DEFAULT_DESCRIPTION)
    return descriptions


def confirm_plan(series: Series, plan: PlanProposal) -> list[Event]:
    """Create draft events for every proposed date (conflicts stay for the planner)."""
    venue = series.venue
    descriptions = default_descriptions()
    events = [
        Event(series=series, venue=venue, status=EventStatus.DRAFT,
              starts_at=at_local(p.date, series.starts_at),
              ends_at=at_local(p.date, series.ends_at),
              stand_count=venue.stand_count, candidate_capacity=venue.candidate_capacity,
              **descriptions)
        for p in plan.proposals if p.date is not None
    ]
    db.session.add_all(events)
    db.session.commit()
    return events


# --- the life of an event -------------------------------------------------------

TRANSITIONS: dict[EventStatus, frozenset[EventStatus]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED, EventStatus.CANCELLED}),
    EventStatus.PUBLISHED: frozenset({EventStatus.REGISTRATION_CLOSED, EventStatus.HELD,
                                      EventStatus.CANCELLED, EventStatus.DRAFT}),
    EventStatus.REGISTRATION_CLOSED: frozenset({EventStatus.PUBLISHED, EventStatus.HELD,
                                                EventStatus.CANCELLED}),
    EventStatus.HELD: frozenset({EventStatus.ARCHIVED}),
    EventStatus.ARCHIVED: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}


def allowed_transitions(event: Event) -> list[EventStatus]:
    allowed = TRANSITIONS[event.status]
    if event.starts_at > utcnow():
        allowed = allowed - {EventStatus.HELD}
    return [status for status in EventStatus if status in allowed]


def change_status(event: Event, new_status: EventStatus) -> None:
    """The one way an event changes state; cancelling also tells everyone involved."""
    tell = _set_status(event, new_status)
    _commit()
    if tell:
        notify_cancellation(event)


def _set_status(event: Event, new_status: EventStatus) -> bool:
    """Change the status (uncommitted); True when a public event was cancelled, so the
    people involved must hear it once the change is committed."""
    if new_status not in allowed_transitions(event):
        raise SchedulingError(_l("This change of status is not possible."))
    if new_status is EventStatus.PUBLISHED and not (event.description_nl and event.description_en):
        raise SchedulingError(
            _l("Write the description in Dutch and English before publishing."))
    was_public = event.is_public
    event.status = new_status
    event.ical_sequence += 1
    return new_status is EventStatus.CANCELLED and was_public


def update_event(event: Event, *, expected_version: int, day: date, starts_at: time,
                 ends_at: time, **fields) -> None:
    """Save the planner's edits, unless someone else saved in between; more room moves
    people up from the waiting lists."""
    if expected_version != event.version:
        raise VersionConflict(_l("Someone else changed this event in the meantime."))
    more_stands = fields.get("stand_count", event.stand_count) > event.stand_count
    more_places = fields.get("candidate_capacity", event.candidate_capacity) > (
        event.candidate_capacity)
    event.starts_at, event.ends_at = at_local(day, starts_at), at_local(day, ends_at)
    for name, value in fields.items():
        setattr(event, name, value)
    event.ical_sequence += 1
    _commit()
    if more_stands or more_places:
        _fill_from_waiting_lists(event, stands=more_stands, places=more_places)


def _fill_from_waiting_lists(event: Event, *, stands: bool, places: bool) -> None:
    # Imported here: stands and registrations build on events, not the reverse.
    from ..candidates.services import promote_waiting
    from ..employers.notifications import send_outcomes
    from ..employers.services import offer_free_stands

    if stands:
        send_outcomes(offer_free_stands(event))
    if places:
        promote_waiting(event)


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise VersionConflict(_l("Someone else changed this event in the meantime.")) from None


def spacing_warning(event: Event) -> str | None:
    """"too_close"/"too_far" when the event breaks the rule against the one before it."""
    if event.series is None:
        return None
    before = [e for e in live_events(event.series)
              if e.id != event.id and e.starts_at < event.starts_at]
    if not before:
        return None
    return planning.spacing_flag(series_rule(event.series), local_day(before[-1].starts_at),
                                 local_day(event.starts_at))


def describe_blockers(blockers) -> str:
    """Why a day cannot be used, in the reader's language."""
    return "; ".join(
        blocker.label if blocker.kind == "holiday"
        else str(_l("venue unavailable (%(reason)s)", reason=blocker.label))
        if blocker.kind == "blackout"
        else str(_l("another event at this venue"))
        for blocker in blockers
    )


def move_event(event: Event, day: date, *, expected_version: int,
               language: str = "nl") -> list[planning.Replan]:
    """Move one event and re-plan the unpublished ones after it; published ones are flagged."""
    if expected_version != event.version:
        raise VersionConflict(_l("Someone else changed this event in the meantime."))
    if day < date.today():
        raise SchedulingError(_l("This date is in the past."))
    blockers = planning.blockers_of(
        day, blackouts=venue_blackouts(event.venue),
        taken=taken_days(event.venue, excluding={event.id}), language=language,
    )
    if blockers:
        raise SchedulingError(
            _l("That day is not available: %(reasons)s", reasons=describe_blockers(blockers)))
    duration = event.ends_at - event.starts_at
    local_start = event.starts_at.astimezone(AMSTERDAM).time()
    event.starts_at = at_local(day, local_start)
    event.ends_at = event.starts_at + duration
    event.ical_sequence += 1
    replans = _replan_following(event, anchor=day, language=language)
    _commit()
    return replans


def _replan_following(event: Event, *, anchor: date, language: str) -> list[planning.Replan]:
    if event.series is None:
        return []
    following = [e for e in live_events(event.series)
                 if e.id != event.id and e.starts_at > event.starts_at]
    by_id = {e.id: e for e in following}
    replans = planning.replan_after(
        series_rule(event.series), anchor,
        [planning.FollowingEvent(e.id, local_day(e.starts_at), e.is_public) for e in following],
        blackouts=venue_blackouts(event.venue),
        taken=taken_days(event.venue, excluding={event.id, *by_id}), language=language,
    )
    for replan in replans:
        moved = by_id[replan.id]
        if replan.new_date is not None and replan.new_date != replan.old_date:
            local_start = moved.starts_at.astimezone(AMSTERDAM).time()
            duration = moved.ends_at - moved.starts_at
            moved.starts_at = at_local(replan.new_date, local_start)
            moved.ends_at = moved.starts_at + duration
            moved.ical_sequence += 1
    return replans


def cancel_event(event: Event, *, expected_version: int, language: str = "nl"):
    """Cancel one event; the ones after it keep the rhythm counted from its date."""
    if expected_version != event.version:
        raise VersionConflict(_l("Someone else changed this event in the meantime."))
    tell = _set_status(event, EventStatus.CANCELLED)
    # Re-plan in the same commit, before any mail: a mail failure must not leave it undone.
    replans = _replan_following(event, anchor=local_day(event.starts_at), language=language)
    _commit()
    if tell:
        notify_cancellation(event)
    return replans


# --- capacity ---------------------------------------------------------------


def lock_event(event_id: int) -> Event:
    """Hold the event row until commit, so two registrations (or two stand reservations)
    cannot both take the last place.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the
    database write lock at once (a later upgrade from a read lock could deadlock)."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = Event.__table__
        # Setting updated_at to itself keeps its onupdate (and the calendar's DTSTAMP) still.
        db.session.execute(update(table).where(table.c.id == event_id)
                           .values(id=table.c.id, updated_at=table.c.updated_at))
        query = select(Event).where(Event.id == event_id)
    else:
        query = select(Event).where(Event.id == event_id).with_for_update()
    return db.session.scalars(query.execution_options(populate_existing=True)).one()


# --- telling people ---------------------------------------------------------------


def event_participants(event: Event) -> list[tuple[str, str, str]]:
    """(e-mail, name, locale) of everyone booked or registered for the event.

    Imported here, not at the top: stands and registrations build on events, not the reverse.
    """
    from ..candidates.models import Registration, RegistrationStatus
    from ..employers.models import LIVE_STATUSES, StandBooking

    bookings = db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status.in_(LIVE_STATUSES)))
    registrations = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id,
        Registration.status != RegistrationStatus.CANCELLED))
    people = [(b.contact_email, b.contact_name, b.locale) for b in bookings]
    people += [(r.candidate.email, r.candidate.display_name, r.locale)
               for r in registrations if r.candidate.email]
    return people


def notify_cancellation(event: Event) -> int:
    """Mail everyone involved that the event is off, with a calendar cancellation."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from ..mail.services import Attachment, send_mail_or_log

    sent = 0
    for email, name, locale in event_participants(event):
        with force_locale(locale):
            sent += send_mail_or_log(
                email,
                _("Cancelled: Meet & Greet on %(date)s", date=_format_day(event)),
                _("The Meet & Greet on %(date)s has been cancelled. We are sorry. "
                  "Your details are kept, and you will hear from us about the next one.",
                  date=_format_day(event)),
                to_name=name,
                attachments=(Attachment("meet-and-greet.ics",
                                        event_invitation(event, "CANCEL", attendee_email=email),
                                        "text/calendar; method=CANCEL"),),
                about=f"cancellation of event {event.id}",
            )
    return sent


def _format_day(event: Event) -> str:
    from flask_babel import format_date

    return format_date(event.starts_at, "long")


# --- calendars ------------------------------------------------------------------------


def calendar_entry(event: Event) -> CalendarEntry:
    """The event as calendars see it; needs a request or SERVER_NAME for its URL."""
    venue = event.venue
    return CalendarEntry(
        uid=event.ical_uid,
        sequence=event.ical_sequence,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=f"Meet & Greet: {event.theme}" if event.theme else "Meet & Greet",
        location=f"{venue.name}, {venue.address}, {venue.town}",
        description="\n\n".join(filter(None, (event.description_nl, event.description_en))),
        url=url_for("scheduling.public_event", event_id=event.id, _external=True),
        cancelled=event.status is EventStatus.CANCELLED,
        dtstamp=event.updated_at or event.created_at,
    )


def event_invitation(event: Event, method: Method = "PUBLISH", *,
                     attendee_email: str | None = None) -> bytes:
    """A single event's .ics: PUBLISH for download, REQUEST/CANCEL attached to mails."""
    sender = current_app.config["MAIL_SENDER"]
    organizer = sender[sender.find("<") + 1 : sender.rfind(">")] if "<" in sender else sender
    return build_invitation(calendar_entry(event), method=method, organizer_email=organizer,
                            attendee_email=attendee_email)


def feed(*, series: Series | None = None, include_drafts: bool = False) -> bytes:
    query = select(Event).order_by(Event.starts_at)
    if series is not None:
        query = query.where(Event.series_id == series.id)
    if not include_drafts:
        query = query.where(Event.status.in_(PUBLIC_STATUSES | {EventStatus.HELD,
                                                                EventStatus.ARCHIVED}))
    name = f"Meet & Greet – {series.name}" if series else "Meet & Greet"
    return build_feed([calendar_entry(e) for e in db.session.scalars(query)], name=name)


def staff_feed_token() -> str:
    feed_row = db.session.scalar(select(StaffCalendarFeed))
    if feed_row is None:
        feed_row = StaffCalendarFeed(token=new_link_token())
        db.session.add(feed_row)
        db.session.commit()
    return feed_row.token


def rotate_staff_feed_token() -> str:
    feed_row = db.session.scalar(select(StaffCalendarFeed))
    if feed_row is None:
        return staff_feed_token()
    feed_row.token, feed_row.rotated_at = new_link_token(), utcnow()
    db.session.commit()
    return feed_row.token


def staff_feed_token_matches(given: str) -> bool:
    feed_row = db.session.scalar(select(StaffCalendarFeed))
    return feed_row is not None and tokens_match(given, feed_row.token)
