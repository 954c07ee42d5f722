"""The planning rule of a Meet & Greet series: one event every 4 to 6 weeks.

Pure functions on dates; the views and services feed them plain values.

Choices made here (the product brief leaves them open):

* Public holidays are those the ``holidays`` package lists for NL in its
  default ("public") category. It lists Bevrijdingsdag (5 May) only in lustrum
  years (2025, 2030, ...), when it is a national day off; in other years
  5 May is an ordinary working day and stays plannable. Goede Vrijdag is
  listed too and therefore blocks: few employers and candidates come that day.
* When the preferred date is blocked, the nearest allowed date in the spacing
  window on the series' weekday wins; only when there is none do the other
  working days (Monday to Friday, never a weekend) get a turn. Ties go to the
  earlier date.
* When nothing in the window is allowed the slot is a conflict (no date), and
  the series keeps its rhythm: the next slot is planned as if the conflicting
  event had been held on its preferred date.
* Without a previous event the first event may only move later, at most
  ``max_days - min_days`` days: a series never starts before the date asked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import holidays

COUNTRY = "NL"
DEFAULT_LANGUAGE = "nl"
ALLOWED_INTERVALS = frozenset({4, 5, 6})
WORKING_DAYS = range(0, 5)  # Monday .. Friday

Blackout = tuple[date, date, str]  # inclusive range and the reason shown to planners
BlockerKind = Literal["holiday", "blackout", "taken"]
SpacingFlag = Literal["too_close", "too_far"]


@dataclass(frozen=True)
class SeriesRule:
    """When the events of a series may take place.

    ``weekday`` is 0 for Monday. Each event comes ``interval_weeks`` after the
    previous one, and never closer than ``min_days`` or further than ``max_days``.
    """

    weekday: int
    interval_weeks: int
    min_days: int = 28
    max_days: int = 42

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}")
        if self.interval_weeks not in ALLOWED_INTERVALS:
            raise ValueError(f"interval_weeks must be 4, 5 or 6, not {self.interval_weeks}")
        if self.min_days < 1:
            raise ValueError(f"min_days must be at least 1, not {self.min_days}")
        if self.min_days > self.max_days:
            raise ValueError(
                f"min_days ({self.min_days}) must not be greater than max_days ({self.max_days})"
            )
        # A window of a full week always holds the series' weekday once.
        if self.max_days - self.min_days < 6:
            raise ValueError(
                f"the window from min_days ({self.min_days}) to max_days ({self.max_days}) "
                "must span at least 7 days"
            )
        if not self.min_days <= self.interval_days <= self.max_days:
            raise ValueError(
                f"interval_weeks ({self.interval_weeks} weeks = {self.interval_days} days) "
                f"must lie between min_days ({self.min_days}) and max_days ({self.max_days})"
            )

    @property
    def interval_days(self) -> int:
        return self.interval_weeks * 7

    def window_after(self, previous: date) -> tuple[date, date]:
        """The first and last day (inclusive) the event after ``previous`` may take."""
        return previous + timedelta(self.min_days), previous + timedelta(self.max_days)


@dataclass(frozen=True)
class Blocker:
    """Why a day cannot be used; the UI words the sentence in the reader's language."""

    kind: BlockerKind
    label: str = ""  # holiday name or blackout reason; empty for "taken"


Check = Callable[[date], tuple[Blocker, ...]]  # every reason a day is blocked


@dataclass(frozen=True)
class Proposal:
    """One planned slot. ``date`` is None when no day in the window was allowed."""

    preferred: date
    date: date | None
    blockers: tuple[Blocker, ...]  # why ``preferred`` was not used; empty when it was

    @property
    def conflict(self) -> bool:
        return self.date is None


@dataclass(frozen=True)
class FollowingEvent:
    """An event after the one that was moved or cancelled."""

    id: int | str
    date: date
    published: bool


@dataclass(frozen=True)
class Replan:
    """The outcome for one following event.

    ``new_date`` equals ``old_date`` when the event stays; it is None when an
    unpublished event found no allowed day (``flagged == "conflict"``).
    ``flagged`` is set for published events that now break the rule
    (``"too_close"``, ``"too_far"`` or ``"blocked"``): they are never moved.
    ``blockers`` tells what blocks ``old_date``, if anything.
    """

    id: int | str
    old_date: date
    new_date: date | None
    blockers: tuple[Blocker, ...]
    flagged: str | None = None


# --- holidays ---------------------------------------------------------------


@lru_cache(maxsize=64)
def holiday_language(language: str) -> str:
    """The closest language the holidays package offers for NL, else Dutch."""
    offered = holidays.list_localized_countries().get(COUNTRY, ())
    wanted = language.replace("-", "_")
    if wanted in offered:
        return wanted
    base = wanted.split("_")[0].lower()
    for code in offered:  # "en" -> "en_US"
        if code.split("_")[0].lower() == base:
            return code
    return DEFAULT_LANGUAGE


@lru_cache(maxsize=256)
def _holidays_of(year: int, language: str) -> dict[date, str]:
    found = holidays.country_holidays(COUNTRY, years=year, language=language)
    return dict(found.items())


def holiday_name(day: date, language: str = DEFAULT_LANGUAGE) -> str | None:
    """The public holiday on ``day`` in the given language, or None."""
    return _holidays_of(day.year, holiday_language(language)).get(day)


# --- what blocks a day ------------------------------------------------------


def blockers_of(
    day: date,
    *,
    blackouts: Iterable[Blackout] = (),
    taken: AbstractSet[date] = frozenset(),
    language: str = DEFAULT_LANGUAGE,
) -> tuple[Blocker, ...]:
    """Every reason ``day`` cannot be used: holiday first, then blackouts, then taken."""
    found: list[Blocker] = []
    name = holiday_name(day, language)
    if name is not None:
        found.append(Blocker("holiday", name))
    found.extend(
        Blocker("blackout", reason) for first, last, reason in blackouts if first <= day <= last
    )
    if day in taken:
        found.append(Blocker("taken"))
    return tuple(found)


def blocked_reason(
    day: date,
    *,
    blackouts: Iterable[Blackout] = (),
    taken: AbstractSet[date] = frozenset(),
    language: str = DEFAULT_LANGUAGE,
) -> Blocker | None:
    """The first reason ``day`` cannot be used, or None when it is free."""
    found = blockers_of(day, blackouts=blackouts, taken=taken, language=language)
    return found[0] if found else None


# --- choosing a day ---------------------------------------------------------


def _days(first: date, last: date) -> Iterator[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(offset)


def candidates(preferred: date, first: date, last: date, weekday: int) -> list[date]:
    """Days of [first, last] in the order they are tried.

    The series' weekday first, then the other working days; within each group
    the nearest to ``preferred`` first, the earlier one on a tie.
    """

    def closeness(day: date) -> tuple[int, date]:
        return abs((day - preferred).days), day

    days = list(_days(first, last))
    same = [day for day in days if day.weekday() == weekday]
    other = [day for day in days if day.weekday() != weekday and day.weekday() in WORKING_DAYS]
    return sorted(same, key=closeness) + sorted(other, key=closeness)


def _checker(blackouts: Iterable[Blackout], taken: AbstractSet[date], language: str) -> Check:
    blackouts = tuple(blackouts)  # read many times, so never a one-shot iterator
    return lambda day: blockers_of(day, blackouts=blackouts, taken=taken, language=language)


def _place(
    rule: SeriesRule, preferred: date, window: tuple[date, date], check: Check
) -> date | None:
    """The first free day in the order of :func:`candidates`, or None."""
    ordered = candidates(preferred, *window, rule.weekday)
    return next((day for day in ordered if not check(day)), None)


def preferred_after(rule: SeriesRule, previous: date) -> date:
    """The series' weekday nearest to ``interval_weeks`` after ``previous``.

    Normally that is exactly ``previous + interval``; when ``previous`` had to
    move to another weekday this brings the series back to its own weekday.
    The window spans a full week, so the result always lies inside it.
    """
    target = previous + timedelta(rule.interval_days)
    first, last = rule.window_after(previous)
    return min(
        (day for day in _days(first, last) if day.weekday() == rule.weekday),
        key=lambda day: (abs((day - target).days), day),
    )


# --- planning a series ------------------------------------------------------


def plan(
    rule: SeriesRule,
    previous: date | None,
    first_preferred: date,
    count: int | None = None,
    until: date | None = None,
    *,
    blackouts: Iterable[Blackout] = (),
    taken: AbstractSet[date] = frozenset(),
    language: str = DEFAULT_LANGUAGE,
) -> list[Proposal]:
    """Propose the next events of a series.

    ``previous`` is the last event already held or planned (None for a new
    series). Planning stops after ``count`` slots or at the first slot whose
    preferred date is after ``until``, whichever comes first.
    """
    if count is None and until is None:
        raise ValueError("give count or until (or both) to know when to stop")
    if count is not None and count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    if first_preferred.weekday() != rule.weekday:
        raise ValueError(
            f"first_preferred ({first_preferred}) is not on the series' weekday ({rule.weekday})"
        )
    if previous is not None:
        first, last = rule.window_after(previous)
        if not first <= first_preferred <= last:
            raise ValueError(
                f"first_preferred ({first_preferred}) must lie {rule.min_days} to "
                f"{rule.max_days} days after the previous event ({previous})"
            )

    check = _checker(blackouts, taken, language)
    proposals: list[Proposal] = []
    preferred = first_preferred
    if previous is None:
        window = _opening_window(rule, first_preferred)
    else:
        window = rule.window_after(previous)
    while (count is None or len(proposals) < count) and (until is None or preferred <= until):
        chosen = _place(rule, preferred, window, check)
        blockers = () if chosen == preferred else check(preferred)
        proposals.append(Proposal(preferred=preferred, date=chosen, blockers=blockers))
        # A conflict keeps the rhythm: the next slot counts from its preferred date.
        anchor = chosen if chosen is not None else preferred
        preferred = preferred_after(rule, anchor)
        window = rule.window_after(anchor)
    return proposals


def _opening_window(rule: SeriesRule, first_preferred: date) -> tuple[date, date]:
    # A new series never starts before the date asked, and moves at most as far
    # as the spacing window is wide.
    return first_preferred, first_preferred + timedelta(rule.max_days - rule.min_days)


# --- re-planning after a change ---------------------------------------------


def spacing_flag(rule: SeriesRule, previous: date, day: date) -> SpacingFlag | None:
    """Whether ``day`` is too close to or too far from ``previous``."""
    gap = (day - previous).days
    if gap < rule.min_days:
        return "too_close"
    if gap > rule.max_days:
        return "too_far"
    return None


def replan_after(
    rule: SeriesRule,
    anchor: date,
    following: Iterable[FollowingEvent],
    *,
    blackouts: Iterable[Blackout] = (),
    taken: AbstractSet[date] = frozenset(),
    language: str = DEFAULT_LANGUAGE,
) -> list[Replan]:
    """Bring the events after ``anchor`` back in line with the rule.

    ``anchor`` is the new date of the moved event; after a cancellation pass
    the cancelled date, so the series keeps its rhythm (as a conflict does in
    :func:`plan`). Events are handled in date order and each is measured
    against the one before it as it ends up. An unpublished event keeps its
    date when that still fits (least disruption), else it is planned as
    :func:`plan` would. A published event is never moved, only flagged.
    ``taken`` must not hold the dates of this series' own events.
    """
    check = _checker(blackouts, taken, language)
    results: list[Replan] = []
    previous = anchor
    for event in sorted(following, key=lambda e: e.date):
        spacing = spacing_flag(rule, previous, event.date)
        blocked = check(event.date)
        if event.published:
            flag = spacing or ("blocked" if blocked else None)
            results.append(Replan(event.id, event.date, event.date, blocked, flag))
            previous = event.date
        elif spacing is None and not blocked:
            results.append(Replan(event.id, event.date, event.date, ()))
            previous = event.date
        else:
            preferred = preferred_after(rule, previous)
            chosen = _place(rule, preferred, rule.window_after(previous), check)
            flag = None if chosen is not None else "conflict"
            results.append(Replan(event.id, event.date, chosen, blocked, flag))
            previous = chosen if chosen is not None else preferred
    return results
