"""The interpreter rules as plain functions: the pool, invitations and answers, the demand
of an event, and its plan (solved by ``assignment.solve``, kept as ``InterpreterPost`` rows).

Windows (the issue leaves them open): an event is one window, "event", while every
interpreter who said yes is there the whole time. As soon as one gave a time window, the
event is split in two halves, "first" and "second", and an interpreter counts as available
in a half when their time covers at least half of it: an interpreter who comes for most of
a half is worth placing, one who drops by for twenty minutes is not. Halves keep the plan
simple to print and to follow on the floor; finer windows would move people too often.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..core.tokens import find_by_token, hash_token, new_link_token
from ..core.types import utcnow
from ..employers.models import BookingStatus, StandBooking
from ..extensions import db
from ..scheduling.models import Event
from . import assignment
from .assignment import WHOLE_EVENT, Exclusion, InterpreterInfo, Pin, Plan, Problem, Stand
from .demand import CandidateNeed, Demand, StandInfo, demand
from .models import (
    Answer,
    Interpreter,
    InterpreterInvitation,
    InterpreterLanguage,
    InterpreterPlan,
    InterpreterPost,
    InterpreterRule,
    PlanStatus,
    RuleKind,
)

FIRST_HALF, SECOND_HALF = "first", "second"
# The solver stops as soon as the plan is proven optimal; the limit only caps a hard instance,
# which then gets the best plan found (and the page says how far from optimal it may be).
SOLVE_SECONDS = 12.0


# --- the pool ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InterpreterData:
    name: str
    languages: list[str]
    email: str = ""
    phone: str = ""
    agency: str = ""
    certified: bool = False
    table_count: int = 2
    notes: str = ""
    active: bool = True


def pool() -> list[Interpreter]:
    return list(db.session.scalars(select(Interpreter).order_by(Interpreter.name)))


def interpreter_by_ref(ref: str) -> Interpreter | None:
    return db.session.scalar(select(Interpreter).where(Interpreter.ref == ref))


def save_interpreter(data: InterpreterData, interpreter: Interpreter | None = None) -> Interpreter:
    """Create or update one interpreter. The form checks the input; these are the rules
    again, so no caller can store an interpreter the solver cannot use."""
    if not data.languages:
        raise ValueError("an interpreter needs at least one language")
    if data.table_count < 1:
        raise ValueError("the table count is at least 1")
    interpreter = interpreter or Interpreter()
    for name in ("name", "email", "phone", "agency", "certified", "table_count", "notes",
                 "active"):
        setattr(interpreter, name, getattr(data, name))
    wanted = list(dict.fromkeys(data.languages))
    kept = [language for language in interpreter.languages if language.code in wanted]
    known = {language.code for language in kept}
    interpreter.languages = kept + [InterpreterLanguage(code=code) for code in wanted
                                    if code not in known]
    db.session.add(interpreter)
    db.session.commit()
    return interpreter


# --- invitations and answers ------------------------------------------------------------


def invitations(event: Event) -> dict[int, InterpreterInvitation]:
    """interpreter id -> invitation, for one event."""
    rows = db.session.scalars(
        select(InterpreterInvitation).where(InterpreterInvitation.event_id == event.id))
    return {row.interpreter_id: row for row in rows}


def invite(event: Event,
           interpreters: list[Interpreter]) -> list[tuple[InterpreterInvitation, str]]:
    """Invite (or invite again) each interpreter; returns each invitation with its new link
    token. Inviting again makes a new link (the old one stops working) and keeps the answer.

    The same form sent twice at once: the other request may invite someone new between our
    read and our write. Then this one skips them (the other mails their link) and does the
    rest, so a double click sends one mail each and no error."""
    before = invitations(event)
    try:
        return _invite(event, interpreters, before)
    except IntegrityError:
        db.session.rollback()
        now = invitations(event)
        return _invite(event, [person for person in interpreters
                               if person.id in before or person.id not in now], now)


def _invite(event: Event, interpreters: list[Interpreter],
            existing: dict[int, InterpreterInvitation]) -> list[tuple[InterpreterInvitation, str]]:
    result = []
    for interpreter in interpreters:
        token = new_link_token()
        invitation = existing.get(interpreter.id) or InterpreterInvitation(
            event_id=event.id, interpreter_id=interpreter.id)
        invitation.token_hash = hash_token(token)
        invitation.invited_at = utcnow()
        db.session.add(invitation)
        result.append((invitation, token))
    db.session.commit()
    return result


def invitation_for_token(token: str) -> InterpreterInvitation | None:
    return find_by_token(InterpreterInvitation.token_hash, token)


class AvailabilityError(ValueError):
    """The time window does not lie within the event, or ends before it starts."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "outside_event" or "order"


def check_availability(event: Event, available_from: datetime | None,
                       available_until: datetime | None) -> None:
    if available_from is not None and not event.starts_at <= available_from < event.ends_at:
        raise AvailabilityError("outside_event")
    if available_until is not None and not event.starts_at < available_until <= event.ends_at:
        raise AvailabilityError("outside_event")
    if available_from and available_until and available_until <= available_from:
        raise AvailabilityError("order")


def set_answer(invitation: InterpreterInvitation, answer: Answer, *,
               available_from: datetime | None = None, available_until: datetime | None = None,
               now: datetime | None = None) -> None:
    """The one way an answer changes (from the interpreter's link or by staff). A window
    equal to the whole event is stored as "whole event"; a "no" keeps no window."""
    if answer is Answer.YES:
        check_availability(invitation.event, available_from, available_until)
        if available_from == invitation.event.starts_at:
            available_from = None
        if available_until == invitation.event.ends_at:
            available_until = None
    else:
        available_from = available_until = None
    invitation.answer = answer
    invitation.available_from = available_from
    invitation.available_until = available_until
    invitation.answered_at = None if answer is Answer.NONE else (now or utcnow())
    db.session.commit()


def available(event: Event) -> list[InterpreterInvitation]:
    """Yes answers of active interpreters, by name."""
    rows = db.session.scalars(
        select(InterpreterInvitation).join(InterpreterInvitation.interpreter)
        .where(InterpreterInvitation.event_id == event.id,
               InterpreterInvitation.answer == Answer.YES, Interpreter.active.is_(True))
        .options(selectinload(InterpreterInvitation.interpreter)
                 .selectinload(Interpreter.languages))
        .order_by(Interpreter.name))
    return list(rows)


# --- windows -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    name: str
    starts_at: datetime
    ends_at: datetime


def windows(event: Event, yes: list[InterpreterInvitation] | None = None) -> list[Window]:
    """The whole event, or its two halves when anyone is there only part of the time."""
    yes = available(event) if yes is None else yes
    if all(invitation.whole_event for invitation in yes):
        return [Window(WHOLE_EVENT, event.starts_at, event.ends_at)]
    middle = event.starts_at + (event.ends_at - event.starts_at) / 2
    return [Window(FIRST_HALF, event.starts_at, middle),
            Window(SECOND_HALF, middle, event.ends_at)]


def windows_of(invitation: InterpreterInvitation,
               event_windows: list[Window]) -> frozenset[str] | None:
    """The windows an interpreter is available in; None for all of them."""
    if invitation.whole_event:
        return None
    starts = invitation.available_from or invitation.event.starts_at
    ends = invitation.available_until or invitation.event.ends_at
    result = set()
    for window in event_windows:
        overlap = min(ends, window.ends_at) - max(starts, window.starts_at)
        if overlap >= (window.ends_at - window.starts_at) / 2:
            result.add(window.name)
    return frozenset(result)


# --- demand ------------------------------------------------------------------------------


def placed_bookings(event: Event) -> list[StandBooking]:
    """Confirmed stands with a number: where interpreters can go."""
    return list(db.session.scalars(
        select(StandBooking).where(StandBooking.event_id == event.id,
                                   StandBooking.status == BookingStatus.CONFIRMED,
                                   StandBooking.stand_number.is_not(None))
        # Pages and printouts name each stand's organisation: with the list, not per stand.
        .options(selectinload(StandBooking.organisation))
        .order_by(StandBooking.stand_number)))


def stand_infos(bookings: list[StandBooking]) -> list[StandInfo]:
    return [StandInfo(booking.stand_number, booking.organisation.sector,
                      frozenset(booking.languages)) for booking in bookings]


def candidate_needs(event: Event) -> list[CandidateNeed]:
    registrations = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == RegistrationStatus.REGISTERED)
        # Languages and sectors of everyone: with the list, not one query per person (the
        # dashboard adds up a year of events).
        .options(selectinload(Registration.candidate).selectinload(Candidate.languages),
                 selectinload(Registration.candidate).selectinload(Candidate.sectors)))
    needs = []
    for registration in registrations:
        candidate = registration.candidate
        needs.append(CandidateNeed(
            languages={language.code: language.level for language in candidate.languages},
            dutch_level=candidate.dutch_level, needs_interpreter=candidate.needs_interpreter,
            sectors=frozenset(sector.code for sector in candidate.sectors)))
    return needs


def event_demand(event: Event, bookings: list[StandBooking] | None = None) -> Demand:
    """``bookings``: the event's placed bookings, if already read."""
    return demand(stand_infos(placed_bookings(event) if bookings is None else bookings),
                  candidate_needs(event))


def supply(yes: list[InterpreterInvitation]) -> dict[str, int]:
    """How many available interpreters speak each language."""
    counts: dict[str, int] = defaultdict(int)
    for invitation in yes:
        for code in invitation.interpreter.language_codes:
            counts[code] += 1
    return dict(counts)


# --- the plan ----------------------------------------------------------------------------


def grid_position(event: Event, stand_number: int) -> tuple[int, int]:
    """Stands are numbered row by row on a grid ``layout_columns`` wide."""
    columns = max(1, event.venue.layout_columns)
    return (stand_number - 1) // columns, (stand_number - 1) % columns


def floor_rows(event: Event) -> list[list[int]]:
    """The stand numbers row by row, as ``grid_position`` lays them out: the floor plans."""
    rows: list[list[int]] = []
    for number in range(1, event.stand_count + 1):
        row, _column = grid_position(event, number)
        if row == len(rows):
            rows.append([])
        rows[row].append(number)
    return rows


def rules(event: Event) -> list[InterpreterRule]:
    return list(db.session.scalars(
        select(InterpreterRule).where(InterpreterRule.event_id == event.id)
        .order_by(InterpreterRule.id)))


@dataclass(frozen=True)
class PlanInputs:
    """What a plan is made of, read once for a page: the yes answers, the placed bookings and
    the pins and exclusions."""

    yes: list[InterpreterInvitation]
    bookings: list[StandBooking]
    rules: list[InterpreterRule]


def plan_inputs(event: Event) -> PlanInputs:
    return PlanInputs(available(event), placed_bookings(event), rules(event))


def event_problem(event: Event, inputs: PlanInputs | None = None) -> Problem:
    inputs = inputs or plan_inputs(event)
    yes, bookings = inputs.yes, inputs.bookings
    event_windows = windows(event, yes)
    stands = [Stand(booking.stand_number, *grid_position(event, booking.stand_number))
              for booking in bookings]
    people = [InterpreterInfo(invitation.interpreter_id,
                              frozenset(invitation.interpreter.language_codes),
                              invitation.interpreter.table_count,
                              windows_of(invitation, event_windows))
              for invitation in yes]
    pins, exclusions = [], []
    for rule in inputs.rules:
        if rule.kind is RuleKind.PIN and rule.stand_number is not None:
            pins.append(Pin(rule.interpreter_id, rule.stand_number, rule.language, rule.window))
        elif rule.kind is RuleKind.EXCLUDE:
            exclusions.append(Exclusion(rule.interpreter_id, rule.stand_number, rule.window))
    need = event_demand(event, bookings)
    names = [window.name for window in event_windows]
    # A half of the event holds half its conversations, so the figures of a plan in halves
    # add up to those of the need page. The best plan is the same either way.
    share = 1 / len(names)
    by_window = {} if share == 1 else {
        name: {stand: {code: value * share for code, value in needs.items()}
               for stand, needs in need.by_stand.items()} for name in names}
    return Problem(stands=stands, interpreters=people, demand=need, windows=names,
                   demand_by_window=by_window, pins=pins, exclusions=exclusions)


def solve_event(event: Event, *, time_limit: float = SOLVE_SECONDS) -> Plan:
    """Solve and keep the plan (replacing the previous one); pins and exclusions stay."""
    plan = assignment.solve(event_problem(event), time_limit=time_limit)
    db.session.execute(delete(InterpreterPost).where(InterpreterPost.event_id == event.id))
    for post in plan.posts:
        db.session.add(InterpreterPost(
            event_id=event.id, interpreter_id=post.interpreter, window=post.window,
            language=post.language, home_stand=post.home,
            stand_numbers=",".join(str(number) for number in _home_first(post))))
    record = saved_plan(event) or InterpreterPlan(event_id=event.id)
    record.status = (PlanStatus.OPTIMAL if plan.optimal
                     else PlanStatus.FEASIBLE if plan.gap is not None else PlanStatus.TIME_LIMIT)
    record.gap = 0.0 if plan.optimal else plan.gap
    record.seconds = plan.seconds
    record.made_at = utcnow()
    db.session.add(record)
    db.session.commit()
    return plan


def saved_plan(event: Event) -> InterpreterPlan | None:
    """How the saved plan was made; None for a plan saved before this was kept."""
    return db.session.scalar(select(InterpreterPlan).where(InterpreterPlan.event_id == event.id))


def _home_first(post) -> list[int]:
    return [post.home, *sorted(set(post.stands) - {post.home})]


def saved_posts(event: Event) -> list[InterpreterPost]:
    return list(db.session.scalars(
        select(InterpreterPost).where(InterpreterPost.event_id == event.id)
        # The plan pages, printout and mails name each post's interpreter.
        .options(selectinload(InterpreterPost.interpreter))
        .order_by(InterpreterPost.window, InterpreterPost.home_stand)))


@dataclass(frozen=True)
class Coverage:
    """The saved plan measured against today's demand (registrations keep coming in)."""

    by_language: dict[str, float]
    demand_by_language: dict[str, float]
    gaps: list[tuple[str, int, str, float]]  # (window, stand, language, need), largest first

    @property
    def covered(self) -> float:
        return sum(self.by_language.values())

    @property
    def total(self) -> float:
        return sum(self.demand_by_language.values())

    @property
    def uncovered_by_language(self) -> dict[str, float]:
        return {code: need - self.by_language.get(code, 0.0)
                for code, need in self.demand_by_language.items()
                if need - self.by_language.get(code, 0.0) > 1e-9}


def coverage(event: Event, posts: list[InterpreterPost], event_demand_: Demand,
             window_names: list[str]) -> Coverage:
    covered = {(post.window, stand, post.language) for post in posts for stand in post.stands}
    share = 1 / len(window_names) if window_names else 1.0  # as in event_problem
    by_language: dict[str, float] = defaultdict(float)
    demand_by_language: dict[str, float] = defaultdict(float)
    gaps = []
    for window in window_names:
        for stand, language, whole in event_demand_.items():
            need = whole * share
            demand_by_language[language] += need
            if (window, stand, language) in covered:
                by_language[language] += need
            else:
                gaps.append((window, stand, language, need))
    gaps.sort(key=lambda gap: (-gap[3], gap[1], gap[2]))
    return Coverage(dict(by_language), dict(demand_by_language), gaps)


def add_rule(event: Event, interpreter: Interpreter, kind: RuleKind, *,
             stand_number: int | None = None, language: str | None = None,
             window: str | None = None) -> InterpreterRule:
    """A pin replaces the interpreter's earlier pins in that window: one place at a time."""
    if kind is RuleKind.PIN:
        if stand_number is None:
            raise ValueError("a pin needs a stand")
        db.session.execute(delete(InterpreterRule).where(
            InterpreterRule.event_id == event.id,
            InterpreterRule.interpreter_id == interpreter.id,
            InterpreterRule.kind == RuleKind.PIN,
            InterpreterRule.window.is_(None) if window is None
            else InterpreterRule.window == window))
    rule = InterpreterRule(event_id=event.id, interpreter_id=interpreter.id, kind=kind,
                           stand_number=stand_number, language=language, window=window)
    db.session.add(rule)
    db.session.commit()
    return rule


def remove_rule(event: Event, rule_id: int) -> bool:
    rule = db.session.get(InterpreterRule, rule_id)
    if rule is None or rule.event_id != event.id:
        return False
    db.session.delete(rule)
    db.session.commit()
    return True


def event_window_by_name(event: Event,
                         yes: list[InterpreterInvitation] | None = None) -> dict[str, Window]:
    """The event's windows by name; ``yes`` as in ``windows`` (the answers, if already read)."""
    return {window.name: window for window in windows(event, yes)}
