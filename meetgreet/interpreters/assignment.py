"""Where each interpreter stands: an optimal assignment of interpreters to stands.

Pure functions on plain values (no Flask, no database): ``validate`` lists what
is wrong with the input, ``solve`` returns the best plan, ``greedy`` a simple
baseline to compare against.

The rules
---------
* The event is split into one or more **windows** (e.g. first and second half).
  An interpreter available in a window gets in it at most one **post**: one of
  their languages and a set of stands they serve.
* **Neighbouring stands.** An interpreter stands at a *home* stand and serves it
  plus up to ``table_count - 1`` stands around it: stands whose row and column
  each differ by at most one from the home (Chebyshev distance <= 1, the eight
  surrounding stands on the venue grid). So a set of stands is neighbouring when
  one of its stands touches all the others; every stand is at most one step
  from where the interpreter stands, and two served stands at most two apart.
* A need (stand, language, window) is **covered** once some interpreter serves
  that stand in that language in that window; a second interpreter adds
  nothing. The plan maximises the covered need summed over the windows
  (each window has the demand of the whole event unless given per window).
* Every interpreter with something to do gets a post, also when their language
  is covered already (they are there anyway); an interpreter none of whose
  languages has any need is left idle and reported.
* **Pins** (interpreter serves a stand, optionally in a language or window) are
  kept; **exclusions** take an interpreter out (of the event or a window) or
  keep them away from a stand.

Tie-breaks
----------
Among plans with the most covered need the solver then minimises, with these
weights: 2 for each 3x3 block of stands holding the homes of two interpreters
of the same language, per extra interpreter (spread one language over the
floor: colleagues at adjacent homes share up to six blocks, at distance three
none); 1 for each stand served beyond the home (shorter walking: no stand
without a reason); minus 3 for an interpreter keeping the home and language of
the previous window. The tie-breaks get a short time budget per window
(``tie_break_limit``); ``Plan.tie_breaks_optimal`` says whether they were proven.

The solver
----------
OR-Tools, used in three ways (``model_builder``): GLOP solves LP relaxations,
HiGHS (a MIP solver) finds and proves optima, CP-SAT chooses who takes which
language and optimises the tie-breaks. A window's model is a maximum-coverage
problem with side constraints (one post per interpreter, neighbourhoods,
capacities, pins) in about ten thousand rows at the benchmark size. Its LP
relaxation is nearly tight (within 0.05 %), but closing that last bit in one
branch-and-bound takes seconds: it must close the small gaps of all languages at
once. The languages share nothing but the interpreters who speak several, so per
window (``_cover``):

1. the window's LP: a bound (rounded down to the objective's step), and a choice
   of who takes which language, nearly always integral and right. A plan (greedy's,
   or the LP's own when integral) that meets the bound is optimal;
2. otherwise the window is solved language by language (``_Languages``): each
   language with the interpreters the choice gives it is a small model, whose LP is
   often integral (then that is its optimum) and else solved by HiGHS
   (``_proven``: on the model narrowed by reduced-cost fixing to the plans reaching
   a goal, the goals coming down from the LP bound). A tiny master problem then
   looks for a choice that could cover more, bounding each language by what its
   LPs teach (see ``_Languages``); when none can, the plan is optimal. (HiGHS gets
   no solution hint: the OR-Tools binding crashes on one.)
3. If time runs out first, CP-SAT improves the best plan for the rest, and the plan
   is FEASIBLE: ``Plan.bound`` and ``Plan.gap`` say how far from the optimum it can
   at most be. It is never worse than greedy's.

The windows' coverage problems share no constraint and are solved side by side
in threads (the solvers release the GIL), each with its share of the workers.
Then 4. the tie-breaks: CP-SAT with the coverage held at its best value, for
``tie_break_limit`` seconds; in the thread of the window where they do not depend
on the window before, else window after window.

Per window, interpreters without pins or stand exclusions are pooled by
(useful languages, table count): f[type, language] of them take a language,
u[language, home, k] (table count k) stand at a home, v[language, home, stand]
(a neighbour is served from that home; sum of v <= sum of (k-1) u, v <= u), and
y[stand, language] <= what serves it (covered). Pooling removes the symmetry
between interchangeable interpreters. Pinned or partly excluded interpreters get
their own x[i, home, language] (exactly one post) and z[i, stand, language]
(z <= x of a home next to it, the home is served, sum of z <= table_count).
Variables exist only where they can matter: languages with need, homes with
need within one step, stands with need (or forced by a home or a pin).
A window whose input equals the previous one's reuses its plan. Need is counted
in exact units (need comes in quarters and halves: eighths make it whole; else
thousandths), so the objective moves in whole steps and the LP bound can be
rounded down to one.

Bad input never raises: ``validate`` returns ``Issue`` codes (the view turns
them into translated messages), and ``solve`` ignores the parts concerned and
still returns a valid, possibly empty, ``Plan``.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction

from .demand import Demand

WHOLE_EVENT = "event"
SCALE = 1000  # need is counted in thousandths when no exact unit is found
MAX_UNITS = 10_000

SPREAD_WEIGHT = 2
WALK_WEIGHT = 1
STAY_WEIGHT = 3

DemandTable = Mapping[int, Mapping[str, float]]


@dataclass(frozen=True)
class Stand:
    """A stand and its place on the venue grid."""

    number: int
    row: int
    col: int


@dataclass(frozen=True)
class InterpreterInfo:
    """An interpreter available for the event: ``windows`` None means all of it."""

    id: int
    languages: frozenset[str]
    table_count: int = 2
    windows: frozenset[str] | None = None


@dataclass(frozen=True)
class Pin:
    """The interpreter serves this stand (in every window they are there, or one)."""

    interpreter: int
    stand: int
    language: str | None = None
    window: str | None = None


@dataclass(frozen=True)
class Exclusion:
    """Without a stand: the interpreter is not used. With one: not at that stand."""

    interpreter: int
    stand: int | None = None
    window: str | None = None


@dataclass(frozen=True)
class Problem:
    stands: Sequence[Stand]
    interpreters: Sequence[InterpreterInfo]
    demand: Demand | DemandTable = field(default_factory=dict)
    windows: Sequence[str] = (WHOLE_EVENT,)
    # Need per window where it differs from ``demand``.
    demand_by_window: Mapping[str, Demand | DemandTable] = field(default_factory=dict)
    pins: Sequence[Pin] = ()
    exclusions: Sequence[Exclusion] = ()


_ISSUE_TEXT = {
    "no_windows": "The event has no time windows.",
    "duplicate_window": "Window {window} is listed twice.",
    "duplicate_stand": "Stand {stand} is listed twice; the first is used.",
    "duplicate_interpreter": "Interpreter {interpreter} is listed twice; the first is used.",
    "no_languages": "Interpreter {interpreter} has no languages.",
    "bad_table_count": "Interpreter {interpreter} has a table count below 1.",
    "window_outside_event": "Interpreter {interpreter} is available in {window}, "
                            "which is not part of the event.",
    "not_available": "Interpreter {interpreter} is available in no window of the event.",
    "no_interpreters": "No interpreter is available.",
    "no_demand": "There is no need for interpreters.",
    "no_interpreter_for_language": "Nobody available interprets {language}.",
    "demand_unknown_stand": "There is need at stand {stand}, which is not on the floor.",
    "demand_unknown_window": "There is need in {window}, which is not part of the event.",
    "bad_demand": "The need at stand {stand} for {language} is not a positive number.",
    "pin_unknown_interpreter": "A pin names interpreter {interpreter}, who cannot be placed.",
    "pin_unknown_stand": "Interpreter {interpreter} is pinned to stand {stand}, "
                         "which is not on the floor.",
    "pin_unknown_window": "Interpreter {interpreter} is pinned in {window}, "
                          "which is not part of the event.",
    "pin_not_available": "Interpreter {interpreter} is pinned in {window} "
                         "but is not available then.",
    "pin_language_not_spoken": "Interpreter {interpreter} is pinned for {language}, "
                               "which they do not speak.",
    "pin_excluded": "Interpreter {interpreter} is both pinned to and excluded from "
                    "stand {stand}; the pin is ignored.",
    "pin_conflict": "The pin of interpreter {interpreter} to stand {stand} does not fit "
                    "with their other pins; it is ignored.",
    "exclusion_unknown_interpreter": "An exclusion names interpreter {interpreter}, "
                                     "who is not in the pool.",
    "exclusion_unknown_stand": "An exclusion names stand {stand}, which is not on the floor.",
    "exclusion_unknown_window": "An exclusion names {window}, which is not part of the event.",
}


@dataclass(frozen=True)
class Issue:
    """Something wrong with the input; ``code`` is one of ``ISSUE_CODES``."""

    code: str
    interpreter: int | None = None
    stand: int | None = None
    window: str | None = None
    language: str | None = None

    def __str__(self) -> str:  # English, for logs; the views translate by code
        return _ISSUE_TEXT[self.code].format(**self.__dict__)


ISSUE_CODES = frozenset(_ISSUE_TEXT)


@dataclass(frozen=True)
class Post:
    """Where one interpreter stands in one window, and in which language."""

    interpreter: int
    window: str
    language: str
    home: int
    stands: tuple[int, ...]


@dataclass(frozen=True)
class Gap:
    """Need left uncovered: whom to call."""

    window: str
    stand: int
    language: str
    need: float


class Status(StrEnum):
    OPTIMAL = "optimal"  # the covered need is proven to be the most possible
    FEASIBLE = "feasible"  # the time limit ended the search: best found, at least greedy's
    GREEDY = "greedy"  # made by ``greedy``


@dataclass(frozen=True)
class Plan:
    status: Status
    posts: tuple[Post, ...]
    coverage: float
    total_demand: float
    coverage_by_language: Mapping[str, float]
    demand_by_language: Mapping[str, float]
    uncovered: Mapping[str, float]
    gaps: tuple[Gap, ...]
    idle: tuple[tuple[int, str], ...]  # (interpreter, window) available but without a post
    issues: tuple[Issue, ...]
    tie_breaks_optimal: bool = False
    seconds: float = 0.0
    # No plan can cover more than this (the LP bound); None when unknown (greedy).
    bound: float | None = None

    @property
    def optimal(self) -> bool:
        return self.status is Status.OPTIMAL

    @property
    def gap(self) -> float | None:
        """How far the plan may be from the optimum, as a share of the bound."""
        if self.bound is None:
            return None
        return (self.bound - self.coverage) / self.bound if self.bound > 0 else 0.0

    @property
    def share(self) -> float:
        """Covered part of the need, 1.0 when there is none."""
        return self.coverage / self.total_demand if self.total_demand else 1.0

    @property
    def assignments(self) -> dict[int, dict[str, Post]]:
        """interpreter -> window -> post."""
        result: dict[int, dict[str, Post]] = defaultdict(dict)
        for post in self.posts:
            result[post.interpreter][post.window] = post
        return dict(result)


# --- input, cleaned -----------------------------------------------------------


@dataclass
class _Seat:
    """One interpreter in one window, after validation."""

    interpreter: int
    languages: tuple[str, ...]
    table_count: int
    allowed: frozenset[int]
    pinned: tuple[int, ...] = ()
    pin_language: str | None = None

    def key(self) -> tuple:
        return (self.interpreter, self.languages, self.table_count, self.allowed,
                self.pinned, self.pin_language)


@dataclass
class _Prepared:
    positions: dict[int, tuple[int, int]]
    around: dict[int, frozenset[int]]  # closed 8-neighbourhood, the stand included
    windows: tuple[str, ...]
    need: dict[str, dict[tuple[int, str], float]]  # window -> (stand, language) -> need
    seats: dict[str, list[_Seat]]
    issues: list[Issue]


def _table(source: Demand | DemandTable) -> DemandTable:
    return source.by_stand if isinstance(source, Demand) else source


def _prepare(problem: Problem) -> _Prepared:
    issues: list[Issue] = []

    windows: list[str] = []
    for window in problem.windows:
        if window in windows:
            issues.append(Issue("duplicate_window", window=window))
        else:
            windows.append(window)
    if not windows:
        issues.append(Issue("no_windows"))

    positions: dict[int, tuple[int, int]] = {}
    for stand in problem.stands:
        if stand.number in positions:
            issues.append(Issue("duplicate_stand", stand=stand.number))
        else:
            positions[stand.number] = (stand.row, stand.col)
    by_place: dict[tuple[int, int], list[int]] = defaultdict(list)
    for number, (row, col) in positions.items():
        by_place[row, col].append(number)
    around = {
        number: frozenset(other for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                          for other in by_place.get((row + dr, col + dc), ()))
        for number, (row, col) in positions.items()
    }

    reported_stands: set[int] = set()

    def clean(source: Demand | DemandTable) -> dict[tuple[int, str], float]:
        result = {}
        for stand, needs in _table(source).items():
            if stand not in positions:
                if stand not in reported_stands:
                    reported_stands.add(stand)
                    issues.append(Issue("demand_unknown_stand", stand=stand))
                continue
            for language, amount in needs.items():
                try:
                    value = float(amount)
                except (TypeError, ValueError):
                    value = math.nan
                if not math.isfinite(value) or value < 0:
                    issues.append(Issue("bad_demand", stand=stand, language=language))
                elif value > 0:
                    result[stand, language] = value
        return result

    shared = clean(problem.demand)
    need = {window: shared for window in windows}
    for window, source in problem.demand_by_window.items():
        if window in need:
            need[window] = clean(source)
        else:
            issues.append(Issue("demand_unknown_window", window=window))

    interpreters: dict[int, InterpreterInfo] = {}
    available: dict[int, list[str]] = {}
    for person in problem.interpreters:
        if person.id in interpreters:
            issues.append(Issue("duplicate_interpreter", interpreter=person.id))
            continue
        interpreters[person.id] = person
        if not person.languages:
            issues.append(Issue("no_languages", interpreter=person.id))
            continue
        if person.table_count < 1:
            issues.append(Issue("bad_table_count", interpreter=person.id))
            continue
        wanted = windows if person.windows is None else sorted(person.windows)
        for window in wanted:
            if window not in windows:
                issues.append(Issue("window_outside_event", interpreter=person.id,
                                    window=window))
        inside = [window for window in windows if window in wanted]
        if not inside and windows:
            issues.append(Issue("not_available", interpreter=person.id))
            continue
        available[person.id] = inside

    removed: set[tuple[int, str]] = set()
    barred: dict[tuple[int, str], set[int]] = defaultdict(set)
    for exclusion in problem.exclusions:
        if exclusion.interpreter not in interpreters:
            issues.append(Issue("exclusion_unknown_interpreter",
                                interpreter=exclusion.interpreter))
            continue
        if exclusion.stand is not None and exclusion.stand not in positions:
            issues.append(Issue("exclusion_unknown_stand", interpreter=exclusion.interpreter,
                                stand=exclusion.stand))
            continue
        if exclusion.window is not None and exclusion.window not in windows:
            issues.append(Issue("exclusion_unknown_window", interpreter=exclusion.interpreter,
                                window=exclusion.window))
            continue
        for window in windows if exclusion.window is None else (exclusion.window,):
            if exclusion.stand is None:
                removed.add((exclusion.interpreter, window))
            else:
                barred[exclusion.interpreter, window].add(exclusion.stand)

    seats: dict[str, dict[int, _Seat]] = {window: {} for window in windows}
    everywhere = frozenset(positions)
    for person_id, inside in available.items():
        person = interpreters[person_id]
        for window in inside:
            if (person_id, window) not in removed:
                seats[window][person_id] = _Seat(
                    person_id, tuple(sorted(person.languages)), person.table_count,
                    everywhere - barred[person_id, window])

    for pin in problem.pins:
        person = interpreters.get(pin.interpreter)
        if pin.interpreter not in available:
            issues.append(Issue("pin_unknown_interpreter", interpreter=pin.interpreter))
            continue
        if pin.stand not in positions:
            issues.append(Issue("pin_unknown_stand", interpreter=pin.interpreter,
                                stand=pin.stand))
            continue
        if pin.window is not None and pin.window not in windows:
            issues.append(Issue("pin_unknown_window", interpreter=pin.interpreter,
                                window=pin.window))
            continue
        if pin.language is not None and pin.language not in person.languages:
            issues.append(Issue("pin_language_not_spoken", interpreter=pin.interpreter,
                                language=pin.language))
            continue
        if pin.window is not None and pin.window not in available[pin.interpreter]:
            issues.append(Issue("pin_not_available", interpreter=pin.interpreter,
                                window=pin.window))
            continue
        for window in available[pin.interpreter] if pin.window is None else (pin.window,):
            seat = seats[window].get(pin.interpreter)
            if seat is None:  # excluded from this window: the exclusion wins
                continue
            if pin.stand not in seat.allowed:
                issues.append(Issue("pin_excluded", interpreter=pin.interpreter,
                                    stand=pin.stand, window=window))
                continue
            if pin.stand in seat.pinned:
                continue
            stands = (*seat.pinned, pin.stand)
            language = pin.language or seat.pin_language
            fits = ((pin.language is None or seat.pin_language in (None, pin.language))
                    and any(set(stands) <= around[home]
                            and len({home, *stands}) <= seat.table_count
                            for home in seat.allowed & around[pin.stand]))
            if fits:
                seat.pinned, seat.pin_language = stands, language
            else:
                issues.append(Issue("pin_conflict", interpreter=pin.interpreter,
                                    stand=pin.stand, window=window))

    if not any(seats.values()):
        issues.append(Issue("no_interpreters"))
    needed = {language for table in need.values() for (_, language) in table}
    if not needed:
        issues.append(Issue("no_demand"))
    spoken = {language for window in seats.values() for seat in window.values()
              for language in seat.languages}
    for language in sorted(needed - spoken):
        issues.append(Issue("no_interpreter_for_language", language=language))

    return _Prepared(
        positions=positions, around=around, windows=tuple(windows), need=need,
        seats={window: [seats[window][key] for key in sorted(seats[window])]
               for window in windows},
        issues=issues,
    )


def validate(problem: Problem) -> tuple[Issue, ...]:
    """What is wrong with the input; an empty tuple when nothing is."""
    return tuple(_prepare(problem).issues)


# --- shared by both planners ----------------------------------------------------


def _homes(prep: _Prepared, seat: _Seat, language: str,
           need: Mapping[tuple[int, str], float]) -> list[int]:
    """Homes worth considering: allowed, next to every pinned stand, with need in reach."""
    result = []
    for home in sorted(seat.allowed):
        reach = prep.around[home] & seat.allowed
        if not set(seat.pinned) <= reach or len({home, *seat.pinned}) > seat.table_count:
            continue
        if seat.pinned or any((stand, language) in need for stand in reach):
            result.append(home)
    return result


def _languages(seat: _Seat, need: Mapping[tuple[int, str], float]) -> tuple[str, ...]:
    if seat.pin_language:
        return (seat.pin_language,)
    needed = {language for (_, language) in need}
    useful = tuple(language for language in seat.languages if language in needed)
    # A pinned interpreter is placed even without need; the others would be idle.
    return useful or (seat.languages if seat.pinned else ())


def _finish(prep: _Prepared, posts: list[Post], status: Status, *, tie_breaks_optimal: bool,
            started: float, bound: float | None = None) -> Plan:
    covered = {(post.window, stand, post.language) for post in posts for stand in post.stands}
    total: dict[str, float] = defaultdict(float)
    done: dict[str, float] = defaultdict(float)
    gaps = []
    for window in prep.windows:
        for (stand, language), amount in sorted(prep.need[window].items()):
            total[language] += amount
            if (window, stand, language) in covered:
                done[language] += amount
            else:
                gaps.append(Gap(window, stand, language, amount))
    gaps.sort(key=lambda gap: (-gap.need, gap.window, gap.stand, gap.language))
    placed = {(post.interpreter, post.window) for post in posts}
    idle = tuple((seat.interpreter, window) for window in prep.windows
                 for seat in prep.seats[window] if (seat.interpreter, window) not in placed)
    return Plan(
        status=status,
        posts=tuple(sorted(posts, key=lambda post: (post.interpreter,
                                                    prep.windows.index(post.window)))),
        coverage=sum(done.values()),
        total_demand=sum(total.values()),
        coverage_by_language={language: done[language] for language in sorted(total)},
        demand_by_language=dict(sorted(total.items())),
        uncovered={language: total[language] - done[language] for language in sorted(total)},
        gaps=tuple(gaps),
        idle=idle,
        issues=tuple(prep.issues),
        tie_breaks_optimal=tie_breaks_optimal,
        seconds=time.perf_counter() - started,
        bound=None if bound is None else (
            sum(done.values()) if status is Status.OPTIMAL
            else max(bound, sum(done.values()))),
    )


# --- the greedy baseline ----------------------------------------------------------


def _best_post(prep: _Prepared, seat: _Seat, window: str,
               left: Mapping[tuple[int, str], float]) -> tuple[float, Post] | None:
    """The seat's post covering the most of the need ``left`` (fewest stands on a tie)."""
    need = prep.need[window]
    best: tuple | None = None
    for language in _languages(seat, need):
        gain = {stand: left.get((stand, language), 0.0) for stand in seat.allowed}
        for home in _homes(prep, seat, language, need):
            chosen = list(dict.fromkeys((home, *seat.pinned)))
            room = seat.table_count - len(chosen)
            if room < 0:
                continue
            if room:
                others = sorted((-gain[stand], stand) for stand in prep.around[home]
                                if stand in gain and stand not in chosen and gain[stand] > 0)
                chosen += [stand for _, stand in others[:room]]
            rank = (sum(gain[stand] for stand in chosen), -len(chosen))
            if best is None or rank > best[0]:
                best = (rank, language, home, chosen)
    if best is None:
        return None
    (covered, _), language, home, chosen = best
    return covered, Post(seat.interpreter, window, language, home, tuple(sorted(chosen)))


def _greedy_window(prep: _Prepared, window: str) -> list[Post]:
    """Interpreters in turn (pinned first, then those with fewest languages, then by id);
    each takes the post that covers the most need not covered yet (fewest stands on a tie)."""
    left = dict(prep.need[window])  # need not covered yet
    posts = []
    order = sorted(prep.seats[window],
                   key=lambda seat: (not seat.pinned, len(seat.languages), seat.interpreter))
    for seat in order:
        found = _best_post(prep, seat, window, left)
        if found is None:
            continue
        post = found[1]
        for stand in post.stands:
            left.pop((stand, post.language), None)
        posts.append(post)
    return posts


def greedy(problem: Problem) -> Plan:
    """A simple baseline: see ``_greedy_window``. Keeps every rule, is not optimal."""
    started = time.perf_counter()
    prep = _prepare(problem)
    posts = [post for window in prep.windows for post in _greedy_window(prep, window)]
    return _finish(prep, posts, Status.GREEDY, tie_breaks_optimal=False, started=started)


# --- the optimal plan ---------------------------------------------------------------


@dataclass(frozen=True)
class _Solution:
    values: Mapping[int, int]  # variable index -> value
    objective: int


@dataclass(frozen=True)
class _Outcome:
    solution: _Solution | None
    complete: bool  # the search ended: OPTIMAL, or INFEASIBLE (no solution at all)


@dataclass(frozen=True)
class _Relaxation:
    bound: int  # on the coverage, rounded down to a step
    objective: float  # the LP optimum, with a margin against rounding
    values: Mapping[int, float]
    costs: Mapping[int, float]  # reduced costs
    # Per pooled type: what one more interpreter of it adds to the LP optimum at most.
    marginals: Mapping[tuple[tuple[str, ...], int], float]


def _units(needs: Iterable[float]) -> int:
    """The smallest factor that makes every need a whole number (needs are sums of
    quarters and halves, often split once more), else ``SCALE``: exact integers give
    the objective coarse steps, which the LP bound can be rounded down to."""
    factor = 1
    for need in needs:
        fraction = Fraction(need).limit_denominator(MAX_UNITS)
        factor = math.lcm(factor, fraction.denominator)
        if abs(float(fraction) - need) > 1e-9 or factor > MAX_UNITS:
            return SCALE
    return factor


class _WindowModel:
    """The model of one window (see the module docstring).

    Interpreters without pins or stand exclusions in the window are *pooled*:
    those with the same useful languages and table count are interchangeable,
    so the model counts them per home (``u``) instead of naming them, which
    removes their symmetry and most variables. The others get variables of
    their own (``x`` and ``z``).
    """

    def __init__(self, prep: _Prepared, window: str, *, scale: int | None = None,
                 tight: bool = False) -> None:
        """``scale``: the unit of need, when it must match another model's. ``tight``
        adds rows that tighten the LP relaxation: worth their cost where HiGHS closes
        gaps (one language), not where the LP only guides (the whole window: 15 %
        faster without them at the benchmark's size)."""
        from ortools.linear_solver.python import model_builder as mb

        self.mb = mb
        total = mb.LinearExpr.sum
        self.prep, self.window = prep, window
        # The posts of the window before: set before the tie-breaks (staying put).
        self.previous: Mapping[int, Post] = {}
        self.model = model = mb.Model()
        need = self.need = prep.need[window]
        serving: dict[tuple[int, str], list] = defaultdict(list)
        self.homes_of: dict[str, list[tuple[int, object]]] = defaultdict(list)
        self.speakers: dict[str, int] = defaultdict(int)
        self.walking: list = []
        self.x: dict[tuple[int, int, str], object] = {}
        self.z: dict[tuple[int, int, str], object] = {}
        self.types: dict[tuple[tuple[str, ...], int], list[_Seat]] = defaultdict(list)
        self.own: list[_Seat] = []  # the seats with variables of their own, placed
        # Right-hand sides that say who takes part (see ``hold``): per own seat its one
        # post and its pins, per pooled type how many.
        self.presence: dict[int, list] = defaultdict(list)
        everywhere = len(prep.positions)

        for seat in prep.seats[window]:
            languages = _languages(seat, need)
            for language in languages:
                self.speakers[language] += 1
            if not languages:
                continue
            if not seat.pinned and len(seat.allowed) == everywhere:
                self.types[languages, seat.table_count].append(seat)
                continue
            i, posts, served = seat.interpreter, [], []
            for language in languages:
                homes = _homes(prep, seat, language, need)
                for home in homes:
                    x = self.x[i, home, language] = model.new_bool_var(f"x{i}_{home}_{language}")
                    posts.append(x)
                    self.homes_of[language].append((home, x))
                    self.walking.append(-x)  # the home is no walk
                home_set = set(homes)
                reach = {stand for home in homes for stand in prep.around[home] & seat.allowed}
                for stand in sorted(reach):
                    if (stand, language) not in need and stand not in home_set \
                            and stand not in seat.pinned:
                        continue  # serving it could only cost walking
                    z = self.z[i, stand, language] = model.new_bool_var(
                        f"z{i}_{stand}_{language}")
                    served.append(z)
                    self.walking.append(z)
                    serving[stand, language].append(z)
                    model.add(z <= total([self.x[i, home, language]
                                          for home in prep.around[stand] if home in home_set]))
                    if stand in home_set:
                        model.add(self.x[i, stand, language] <= z)
            if not posts:
                continue
            self.own.append(seat)
            self.presence[i].append(model.add(total(posts) == 1))
            model.add(total(served) <= seat.table_count)
            for stand in seat.pinned:
                self.presence[i].append(model.add(total(
                    [self.z[i, stand, language] for language in languages
                     if (i, stand, language) in self.z]) == 1))

        # The pool: f interpreters of a type take a language; u of them (table count k)
        # stand at a home; v: the home's interpreters also serve that neighbouring stand.
        self.f: dict[tuple[tuple[tuple[str, ...], int], str], object] = {}
        self.type_rows: dict[tuple[tuple[str, ...], int], object] = {}
        sizes: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
        for key, seats in self.types.items():
            languages, table_count = key
            choices = []
            for language in languages:
                f = self.f[key, language] = model.new_int_var(
                    0, len(seats), f"f{len(self.f)}_{language}")
                choices.append(f)
                sizes[language][table_count].append((f, len(seats)))
            self.type_rows[key] = model.add(total(choices) == len(seats))
        self.u: dict[tuple[str, int, int], object] = {}
        self.v: dict[tuple[str, int, int], object] = {}
        for language, by_size in sorted(sizes.items()):
            homes = [home for home in sorted(prep.positions)
                     if any((stand, language) in need for stand in prep.around[home])]
            for size, supply in sorted(by_size.items()):
                people = sum(count for _, count in supply)
                for home in homes:
                    u = self.u[language, home, size] = model.new_int_var(
                        0, people, f"u{language}_{home}_{size}")
                    self.homes_of[language].append((home, u))
                    if (home, language) in need:
                        serving[home, language].append(u)
                model.add(total([self.u[language, home, size] for home in homes])
                          == total([f for f, _ in supply]))
            if max(by_size) == 1:
                continue
            for home in homes:
                extra = []
                for stand in sorted(prep.around[home] - {home}):
                    if (stand, language) in need:
                        v = self.v[language, home, stand] = model.new_bool_var(
                            f"v{language}_{home}_{stand}")
                        extra.append(v)
                        serving[stand, language].append(v)
                self.walking += extra
                here = [self.u[language, home, size] for size in by_size]
                model.add(total(extra) <= mb.LinearExpr.weighted_sum(
                    here, [size - 1 for size in by_size]))
                if tight:
                    present = total(here)
                    for v in extra:
                        model.add(v <= present)  # implied by the row above for integers

        self.y = {}
        self.scale = scale or _units(need.values())
        self.weight = {key: round(amount * self.scale) for key, amount in need.items()}
        covers = []
        for key in sorted(need):
            if key in serving:
                y = self.y[key] = model.new_bool_var(f"y{key[0]}_{key[1]}")
                model.add(y <= total(serving[key]))
                covers.append(y)
        weights = [self.weight[key] for key in self.y]
        self.coverage = mb.LinearExpr.weighted_sum(covers, weights)
        # Coverage moves in steps of the weights' common divisor: a better plan covers
        # at least one step more, and the LP bound may be rounded down to a step.
        self.step = math.gcd(*weights) or 1
        # lower <= coverage <= upper: the LP bound, then what a better plan must reach.
        self.target = model.add_linear_constraint(self.coverage, 0, math.inf)
        self.variables = [var for group in (self.x, self.z, self.f, self.u, self.v, self.y)
                          for var in group.values()]
        # Every variable starts as 0..upper; kept to undo ``run``'s fixing and ``narrow``.
        self.upper = {var.index: round(var.upper_bound) for var in self.variables}

    @property
    def empty(self) -> bool:
        return not self.x and not self.f

    def hold(self, numbers: Mapping[tuple[tuple[str, ...], int], int],
             present: Collection[int]) -> None:
        """Only some interpreters take part: ``numbers`` of each pooled type (at most
        its seats) and the own seats ``present``. Only right-hand sides change, so the
        variables' bounds stay and the type rows' duals price one interpreter more or
        less (``_Relaxation.marginals``)."""
        for key, row in self.type_rows.items():
            row.lower_bound = row.upper_bound = numbers[key]
        for i, rows in self.presence.items():
            for row in rows:
                row.lower_bound = row.upper_bound = int(i in present)

    def tie_breaks(self):
        """Spread, walking and staying put (built only when needed)."""
        total = self.mb.LinearExpr.sum
        crowding = []
        for language, homes in sorted(self.homes_of.items()):
            if self.speakers[language] < 2:
                continue
            at: dict[int, list] = defaultdict(list)
            for home, var in homes:
                at[home].append(var)
            for centre in sorted(self.prep.positions):
                inside = [var for stand in self.prep.around[centre] for var in at.get(stand, ())]
                if len(inside) > 1:
                    excess = self.model.new_int_var(0, self.speakers[language] - 1,
                                                    f"e{centre}_{language}")
                    self.model.add(excess >= total(inside) - 1)
                    crowding.append(excess)
        return (SPREAD_WEIGHT * total(crowding) + WALK_WEIGHT * total(self.walking)
                - STAY_WEIGHT * total(self.stay()))

    def stay(self) -> list:
        """The own-variable interpreters' posts that keep the previous window's."""
        return [x for (i, home, language), x in self.x.items()
                if i in self.previous
                and (self.previous[i].home, self.previous[i].language) == (home, language)]

    def values_of(self, posts: Iterable[Post]) -> dict[int, int]:
        """The variables' values for these posts (the greedy plan)."""
        values: dict[int, int] = defaultdict(int)
        seat_type = {seat.interpreter: key for key, seats in self.types.items()
                     for seat in seats}
        covered = set()
        for post in posts:
            covered.update((stand, post.language) for stand in post.stands)
            key = seat_type.get(post.interpreter)
            if key is None:
                values[self.x[post.interpreter, post.home, post.language].index] = 1
                for stand in post.stands:
                    values[self.z[post.interpreter, stand, post.language].index] = 1
                continue
            values[self.f[key, post.language].index] += 1
            values[self.u[post.language, post.home, key[1]].index] += 1
            for stand in post.stands:
                if stand != post.home:
                    values[self.v[post.language, post.home, stand].index] = 1
        for key, y in self.y.items():
            values[y.index] = int(key in covered)
        return {var.index: values[var.index] for var in self.variables}

    def relaxation(self) -> _Relaxation | None:
        """The LP relaxation (GLOP) of maximising the coverage, or None."""
        solver = self.mb.Solver("glop")
        if solver.solve(self.model) != self.mb.SolveStatus.OPTIMAL:
            return None
        objective = solver.objective_value
        # Half a unit of margin against rounding in the simplex; the objective is integral.
        bound = math.floor((objective + 0.5) / self.step) * self.step
        values = solver.values(self.variables).tolist()
        costs = solver.reduced_costs(self.variables).tolist()
        return _Relaxation(bound, objective + 0.5,
                           {var.index: value for var, value in zip(self.variables, values,
                                                                   strict=True)},
                           {var.index: cost for var, cost in zip(self.variables, costs,
                                                                 strict=True)},
                           {key: solver.dual_value(row) for key, row in self.type_rows.items()})

    def narrow(self, relaxed: _Relaxation, goal: int) -> None:
        """Reduced-cost fixing: keep each variable within the range where a plan can
        still reach ``goal``. Moving a variable one unit away from its LP value costs
        the LP at least its reduced cost, so a variable whose cost exceeds the room
        between the LP optimum and the goal stays put (or moves only a few units)."""
        room = relaxed.objective - goal
        for var in self.variables:
            cost, value = relaxed.costs[var.index], relaxed.values[var.index]
            if abs(cost) < 1e-9 or room < 0:
                continue
            reach = math.floor(room / abs(cost) + 1e-9)
            if cost < 0 and value < 0.5:  # at its lower bound: raising it costs
                var.upper_bound = min(self.upper[var.index], reach)
            elif cost > 0 and value > self.upper[var.index] - 0.5:  # at its upper bound
                var.lower_bound = max(0, self.upper[var.index] - reach)

    def restore(self) -> None:
        for var in self.variables:
            var.lower_bound, var.upper_bound = 0, self.upper[var.index]

    def run(self, seconds: float, workers: int, hint: Mapping[int, int] | None) -> _Outcome:
        """CP-SAT from ``hint``; without a hint HiGHS (a MIP solver; its binding crashes
        on hints)."""
        self.model.clear_hints()
        if hint is None:
            solver = self.mb.Solver("highs")
            # Proven means proven: HiGHS stops at a 0.01 % gap by default. Its presolve
            # rules cost more than they save on these small, narrowed models (measured).
            # Quiet: it would print its banner to the server's log on every solve.
            solver.set_solver_specific_parameters(
                "mip_rel_gap=0,mip_abs_gap=0.5,presolve_rule_off=65535,output_flag=false")
        else:
            for var in self.variables:
                self.model.add_hint(var, hint[var.index])
            solver = self.mb.Solver("sat")
            solver.set_solver_specific_parameters(f"num_workers:{workers}")
        solver.set_time_limit_in_seconds(max(seconds, 0.05))
        status = solver.solve(self.model)
        self.restore()
        done = status in (self.mb.SolveStatus.OPTIMAL, self.mb.SolveStatus.INFEASIBLE)
        if status not in (self.mb.SolveStatus.OPTIMAL, self.mb.SolveStatus.FEASIBLE):
            return _Outcome(None, done)
        values = solver.values(self.variables).tolist()
        return _Outcome(_Solution({var.index: round(value) for var, value in zip(
            self.variables, values, strict=True)}, round(solver.objective_value)), done)

    def coverage_of(self, values: Mapping[int, int]) -> int:
        return sum(self.weight[key] for key, y in self.y.items() if values[y.index])

    def posts(self, values: Mapping[int, int]) -> list[Post]:
        result = []
        for (i, home, language), x in self.x.items():
            if values[x.index]:
                stands = tuple(sorted(stand for (j, stand, lang), z in self.z.items()
                                      if j == i and lang == language and values[z.index]))
                result.append(Post(i, self.window, language, home, stands))
        return result + self._pooled_posts(values)

    def _pooled_posts(self, values: Mapping[int, int]) -> list[Post]:
        """Name the counted interpreters; who was at a home in the previous window stays."""
        before = {i: (post.home, post.language) for i, post in self.previous.items()}
        going: dict[tuple[str, int], list[_Seat]] = defaultdict(list)  # (language, k)
        for key, seats in self.types.items():
            languages, size = key
            left = {language: values[self.f[key, language].index] for language in languages}
            rest = []
            for seat in seats:
                language = before.get(seat.interpreter, (None, None))[1]
                if left.get(language, 0) > 0:
                    left[language] -= 1
                    going[language, size].append(seat)
                else:
                    rest.append(seat)
            for language in languages:
                for _ in range(left[language]):
                    going[language, size].append(rest.pop(0))
        at_home: dict[tuple[str, int], list[_Seat]] = defaultdict(list)
        for (language, size), seats in going.items():
            free = Counter({home: values[u.index] for (lang, home, k), u in self.u.items()
                            if lang == language and k == size})
            rest = []
            for seat in seats:
                home, was = before.get(seat.interpreter, (None, None))
                if was == language and free[home] > 0:
                    free[home] -= 1
                    at_home[language, home].append(seat)
                else:
                    rest.append(seat)
            for home in sorted(free):
                for _ in range(free[home]):
                    at_home[language, home].append(rest.pop(0))
        served: dict[tuple[str, int], list[int]] = defaultdict(list)
        for (language, home, stand), v in self.v.items():
            if values[v.index]:
                served[language, home].append(stand)
        result = []
        for (language, home), seats in sorted(at_home.items()):
            row, col = self.prep.positions[home]
            # Hand out the served neighbours, the closest (not diagonal) first.
            extra = sorted(served[language, home],
                           key=lambda stand: (abs(self.prep.positions[stand][0] - row)
                                              + abs(self.prep.positions[stand][1] - col), stand))
            for seat in seats:
                mine, extra = extra[:seat.table_count - 1], extra[seat.table_count - 1:]
                result.append(Post(seat.interpreter, self.window, language, home,
                                   tuple(sorted((home, *mine)))))
        return result


def solve(problem: Problem, *, time_limit: float = 10.0, tie_break_limit: float = 0.15,
          workers: int = 2) -> Plan:
    """The plan covering the most need (see the module docstring); never raises on bad input.

    ``time_limit`` bounds the whole solve in seconds; when it ends the search the
    status is FEASIBLE and the plan the best found, never worse than ``greedy``.
    ``tie_break_limit`` is the time per window for the tie-breaks.
    """
    started = time.perf_counter()
    prep = _prepare(problem)
    # A window whose input equals the one before reuses its plan.
    inputs = [(tuple(seat.key() for seat in prep.seats[window]),
               sorted(prep.need[window].items())) for window in prep.windows]
    distinct = [window for index, window in enumerate(prep.windows)
                if index == 0 or inputs[index] != inputs[index - 1]]
    tie_seconds = min(tie_break_limit, time_limit / 4)
    cover_seconds = time_limit - tie_seconds * len(distinct) - (time.perf_counter() - started)
    # The windows' coverage problems share nothing: solve them side by side (the solvers
    # release the GIL), with their tie-breaks where they can; the rest of those go one
    # window after another (staying put needs the window before).
    share = max(1, workers // max(1, len(distinct)))
    posts: list[Post] = []
    previous: dict[int, Post] = {}
    used: list[_Cover] = []  # per window, the cover its plan comes from
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(distinct)))) as pool:
        covers = {window: pool.submit(_covered, prep, window, seconds=cover_seconds,
                                      tie_seconds=tie_seconds, workers=share,
                                      first=window == prep.windows[0])
                  for window in distinct}
        for window in prep.windows:
            if window in covers:
                cover = covers[window].result()
                if not cover.ties_broken:
                    _break_ties(cover, previous, workers=workers, seconds=min(
                        tie_seconds, started + time_limit - time.perf_counter()))
                found = []
                if cover.model:
                    cover.model.previous = previous  # who stays where they were is named so
                    found = cover.model.posts(cover.values)
            else:
                cover = used[-1]
                found = [Post(post.interpreter, window, post.language, post.home, post.stands)
                         for post in previous.values()]
            used.append(cover)
            posts += found
            previous = {post.interpreter: post for post in found}
    proven = all(cover.proven for cover in used)
    bound = (None if any(cover.bound is None for cover in used)
             else sum(cover.bound for cover in used))
    return _finish(prep, posts, Status.OPTIMAL if proven else Status.FEASIBLE,
                   tie_breaks_optimal=proven and all(cover.ties_proven for cover in used),
                   started=started, bound=bound)


@dataclass
class _Cover:
    """One window's coverage, solved: the model, the best values and what is proven."""

    model: _WindowModel | None  # None: nobody to place
    values: Mapping[int, int]
    value: int
    proven: bool
    bound: float | None  # on the coverage in need units; None when unknown
    ties_proven: bool = True
    ties_broken: bool = False


def _covered(prep: _Prepared, window: str, *, seconds: float, tie_seconds: float,
             workers: int, first: bool) -> _Cover:
    """``_cover``, and the tie-breaks straight away where they do not depend on the
    window before: in the first window, or without own seats (who alone can be
    rewarded for staying put; pooled interpreters are named after the plan)."""
    cover = _cover(prep, window, seconds=seconds, workers=workers)
    if first or cover.model is None or not cover.model.own:
        _break_ties(cover, {}, seconds=tie_seconds, workers=workers)
    return cover


def _cover(prep: _Prepared, window: str, *, seconds: float, workers: int) -> _Cover:
    """The most need one window's interpreters can cover (see the module docstring)."""
    deadline = time.perf_counter() + seconds
    built = _WindowModel(prep, window)
    if built.empty:
        return _Cover(None, {}, 0, True, 0.0)
    start = _relaxed(built, lambda: _greedy_window(prep, window))
    best, value, bound, relaxed = start.values, start.value, start.bound, start.relaxed
    if relaxed:
        built.target.upper_bound = bound  # valid, and tells the solvers when to stop
    proven = bound is not None and value >= bound
    if not proven and relaxed:
        found = _Languages(built, relaxed, deadline).solve()
        if found.value > value:
            best, value = built.values_of(found.posts), found.value
        proven = found.proven
        bound = min(bound, found.bound)
    if not proven:
        # No proof in time: CP-SAT improves the plan from the best one for the rest.
        outcome = built.run(deadline - time.perf_counter(), workers, best)
        if outcome.solution and outcome.solution.objective > value:
            best, value = outcome.solution.values, outcome.solution.objective
        proven = outcome.complete or (bound is not None and value >= bound)
    return _Cover(built, best, value, proven,
                  value / built.scale if proven
                  else None if bound is None else bound / built.scale)


@dataclass(frozen=True)
class _Solved:
    """A model's best plan so far, and how much better one could be."""

    values: Mapping[int, int]
    value: int
    bound: int | None  # no plan covers more; the value itself when proven; None: unknown
    relaxed: _Relaxation | None
    tried: bool = False  # HiGHS had its go (``_proven``)

    @property
    def proven(self) -> bool:
        return self.bound is not None and self.value >= self.bound


def _relaxed(built: _WindowModel, start: Callable[[], Iterable[Post]]) -> _Solved:
    """The LP bound, and a plan: the LP optimum where it is integral (then optimal; per
    language it often is), else ``start()``."""
    built.model.maximize(built.coverage)
    relaxed = built.relaxation()
    if relaxed and all(abs(share - round(share)) < 1e-6 for share in relaxed.values.values()):
        best = {index: round(share) for index, share in relaxed.values.items()}
    else:
        best = built.values_of(start())
    return _Solved(best, built.coverage_of(best), relaxed and relaxed.bound, relaxed)


def _proven(built: _WindowModel, solved: _Solved, deadline: float) -> _Solved:
    """The optimum, by HiGHS on the model narrowed by reduced-cost fixing against the
    LP to the plans that reach a goal: the best of those is the optimum, and none at
    all lowers the bound below the goal. Goals start at the LP bound and go down in
    growing steps: near the bound the narrowed model is tiny, and the LP is close."""
    best, value, bound = solved.values, solved.value, solved.bound
    if solved.proven or solved.relaxed is None:
        return solved
    step, fall, before = built.step, built.step, 0
    while value < bound:
        goal = max(value + step, bound - fall + step)
        built.narrow(solved.relaxed, goal)
        built.target.lower_bound = goal
        outcome = built.run(deadline - time.perf_counter(), 1, None)
        built.target.lower_bound = 0
        if outcome.solution and outcome.solution.objective > value:
            best, value = outcome.solution.values, outcome.solution.objective
        if not outcome.complete:
            break
        bound = value if outcome.solution else goal - step
        fall, before = fall + before, fall
    return _Solved(best, value, bound, solved.relaxed, tried=True)


# Who takes which language: per pooled type and language how many, per own seat its one.
_Choice = tuple[Mapping[tuple[tuple[tuple[str, ...], int], str], int], Mapping[int, str]]
# One language's interpreters: how many pooled ones per table count, which own seats.
_Point = tuple[tuple[int, ...], frozenset[int]]
MILLI = 1000  # the master problem counts need in thousandths of the window's unit


@dataclass(frozen=True)
class _Found:
    posts: tuple[Post, ...]
    value: int
    proven: bool
    bound: int  # no plan of the window covers more


class _Languages:
    """A window solved language by language.

    The languages share nothing but the interpreters who speak several. Once it is
    decided who takes which language, each language is a model of its own that HiGHS
    solves in a fraction of the time the whole window takes (one branch-and-bound
    over all languages has to close all their small LP gaps at once). A master
    problem, tiny, chooses who takes which language (CP-SAT). It bounds a language's
    coverage at the points solved by their bound, and elsewhere by planes: a
    language's LP optimum is concave in the number of pooled interpreters of each
    table count (the type rows' duals give the slopes; ``hold`` changes only
    right-hand sides), and an own seat that joins adds at most its best
    ``table_count`` needs in reach; the window LP's reduced costs cap each choice as
    a whole (``cap``). Solve the master's choice (the LP first, HiGHS only where the
    choice could still beat the best plan), add what it teaches, repeat: when no
    choice can cover a step more than the best plan found, that plan is optimal. The
    window's LP nearly always chooses right at once; one or two master rounds prove it.
    """

    def __init__(self, built: _WindowModel, relaxed: _Relaxation, deadline: float) -> None:
        """``relaxed``: the window's LP."""
        self.built, self.relaxed, self.deadline = built, relaxed, deadline
        self.options = {seat.interpreter: sorted({language for (i, _, language) in built.x
                                                  if i == seat.interpreter})
                        for seat in built.own}
        self.languages = sorted({language for key in built.types for language in key[0]}
                                | {language for options in self.options.values()
                                   for language in options})
        self.sizes = {language: sorted({size for (spoken, size) in built.types
                                        if language in spoken})
                      for language in self.languages}
        # language -> table count -> the pooled seats who could take it
        self.pooled = {language: {size: [seat for (spoken, k), seats in built.types.items()
                                         if language in spoken and k == size
                                         for seat in seats]
                                  for size in self.sizes[language]}
                       for language in self.languages}
        # What an own seat can add to a language at most: its best needs in reach.
        self.worth = {(seat.interpreter, language): sum(sorted(
            (built.weight.get((stand, language), 0)
             for (i, stand, spoken), _ in built.z.items()
             if i == seat.interpreter and spoken == language), reverse=True)[:seat.table_count])
            for seat in built.own for language in self.options[seat.interpreter]}
        self.alone: dict[str, tuple[_Prepared, _WindowModel]] = {}  # built when first needed
        self.solved: dict[tuple[str, _Point], _Solved] = {}

    def rounded(self) -> _Choice:
        """The LP's choice (nearly always integral; else rounded by largest remainders)."""
        built, relaxed = self.built, self.relaxed
        counts = {}
        for key, seats in built.types.items():
            shares = {language: relaxed.values[built.f[key, language].index]
                      for language in key[0]}
            whole = {language: math.floor(share + 1e-6) for language, share in shares.items()}
            for language in sorted(shares, key=lambda spoken: whole[spoken] - shares[spoken])[
                    :len(seats) - sum(whole.values())]:
                whole[language] += 1
            counts.update({(key, language): number for language, number in whole.items()})
        taken: dict[tuple[int, str], float] = defaultdict(float)
        for (i, _, language), x in built.x.items():
            taken[i, language] += relaxed.values[x.index]
        return counts, {i: max(options, key=lambda language: taken[i, language])
                        for i, options in self.options.items()}

    def point(self, choice: _Choice, language: str) -> _Point:
        counts, own = choice
        return (tuple(sum(number for (key, spoken), number in counts.items()
                          if spoken == language and key[1] == size)
                      for size in self.sizes[language]),
                frozenset(i for i, spoken in own.items() if spoken == language))

    def model(self, language: str, point: _Point) -> tuple[_Prepared, _WindowModel]:
        """The language on its own, holding the interpreters of ``point``: one model per
        language, with every seat who could take it, built when first needed."""
        built, window = self.built, self.built.window
        if language not in self.alone:
            seats = [seat for by_size in self.pooled[language].values() for seat in by_size]
            seats += [seat for seat in built.own if language in self.options[seat.interpreter]]
            prep = _Prepared(
                positions=built.prep.positions, around=built.prep.around, windows=(window,),
                need={window: {key: amount for key, amount in built.need.items()
                               if key[1] == language}},
                seats={window: sorted((replace(seat, languages=(language,)) for seat in seats),
                                      key=lambda seat: seat.interpreter)},
                issues=[])
            self.alone[language] = prep, _WindowModel(prep, window, scale=built.scale,
                                                      tight=True)
        prep, alone = self.alone[language]
        numbers, present = point
        taking = dict(zip(self.sizes[language], numbers, strict=True))
        alone.hold({key: taking[key[1]] for key in alone.type_rows}, present)
        there = {seat.interpreter for size, number in taking.items()
                 for seat in alone.types[(language,), size][:number]} | present
        return replace(prep, seats={window: [seat for seat in prep.seats[window]
                                             if seat.interpreter in there]}), alone

    def solve(self, choice: _Choice | None = None) -> _Found:
        """The best plan, starting from ``choice`` (by default the window LP's)."""
        choice, bound = choice or self.rounded(), self.relaxed.bound
        best: tuple[int, _Choice] | None = None
        step = self.built.step
        while True:
            keys = [(language, self.point(choice, language)) for language in self.languages]
            fresh = [key for key in keys if key not in self.solved]
            for key in fresh:
                if time.perf_counter() >= self.deadline:
                    return self._found(best, bound)
                prep, alone = self.model(*key)
                self.solved[key] = _relaxed(
                    alone, lambda prep=prep, alone=alone: _greedy_window(prep, alone.window))
            hopeful = best is None or sum(self.solved[key].bound for key in keys) >= best[0] + step
            tried = [key for key in keys if hopeful and not self.solved[key].tried
                     and not self.solved[key].proven]
            for key in tried:
                if time.perf_counter() >= self.deadline:
                    return self._found(best, bound)
                self.solved[key] = _proven(self.model(*key)[1], self.solved[key], self.deadline)
            value = sum(self.solved[key].value for key in keys)
            if best is None or value > best[0]:
                best = (value, choice)
            if best[0] >= bound:
                return self._found(best, best[0])
            if not fresh and not tried:
                break  # nothing learnt: the bounds that let this choice through hold
            found = self.master()
            if found is None:  # out of time
                break
            bound, choice = min(bound, found[0]), found[1]
            if bound < best[0] + step:
                return self._found(best, best[0])
        return self._found(best, bound)

    def cap(self) -> tuple[float, dict[tuple[tuple[tuple[str, ...], int], str], float]]:
        """What the window LP says of every choice: no plan covers more than the constant
        plus the slopes times the numbers of each pooled type taking each language.
        (Moving a variable away from the LP optimum costs at least its reduced cost;
        the own seats' moves are left out, as they only lower the cap.)"""
        relaxed, f = self.relaxed, self.built.f
        slopes = {key: relaxed.costs[var.index] for key, var in f.items()}
        return relaxed.objective - sum(slope * relaxed.values[f[key].index]
                                       for key, slope in slopes.items()), slopes

    def master(self) -> tuple[int, _Choice] | None:
        """The choice with the highest bound, and that bound (rounded down to a step),
        or None when time ran out."""
        from ortools.sat.python import cp_model

        built = self.built
        model = cp_model.CpModel()
        counts = {}
        for key, seats in built.types.items():
            parts = [counts.setdefault((key, language), model.new_int_var(0, len(seats), ""))
                     for language in key[0]]
            model.add(sum(parts) == len(seats))
        own = {}
        for i, options in self.options.items():
            model.add_exactly_one(own.setdefault((i, language), model.new_bool_var(""))
                                  for language in options)
        total = []
        for language in self.languages:
            taking = [sum(var for (key, spoken), var in counts.items()
                          if spoken == language and key[1] == size)
                      for size in self.sizes[language]]
            joining = {i: own[i, language] for i, options in self.options.items()
                       if language in options}
            most = MILLI * sum(value for (_, spoken), value in built.weight.items()
                               if spoken == language)
            covered = model.new_int_var(0, most, "")
            total.append(covered)
            slack = 1 + sum((len(self.pooled[language][size]) + 1) // 2
                            for size in self.sizes[language])  # the slopes rounded
            for (spoken, (numbers, present)), known in self.solved.items():
                if spoken != language:
                    continue
                lp = known.relaxed.objective if known.relaxed else most / MILLI
                slopes = (known.relaxed.marginals[(language,), size] if known.relaxed else 0.0
                          for size in self.sizes[language])
                top = math.ceil(MILLI * lp) + slack
                plane = top + sum(
                    round(MILLI * slope) * (number - at) for slope, number, at in zip(
                        slopes, taking, numbers, strict=True)) + sum(
                    math.ceil(MILLI * self.worth[i, language]) * var
                    for i, var in joining.items() if i not in present)
                drop = top - MILLI * (most // MILLI if known.bound is None else known.bound)
                if drop <= 0:
                    model.add(covered <= plane)
                    continue
                # At the point itself its bound holds; ``moved`` is 1 anywhere else.
                moved = model.new_bool_var("")
                away = []
                for number, at, size in zip(taking, numbers, self.sizes[language],
                                            strict=True):
                    distance = model.new_int_var(0, len(self.pooled[language][size]), "")
                    model.add_abs_equality(distance, number - at)
                    away.append(distance)
                away += [1 - var if i in present else var for i, var in joining.items()]
                model.add(moved <= sum(away))
                model.add(covered <= plane - drop * (1 - moved))
        constant, slopes = self.cap()
        model.add(sum(total) <= math.ceil(MILLI * constant)
                  + sum(len(built.types[key]) for key, _ in counts)  # the slopes rounded
                  + sum(round(MILLI * slopes[key]) * var for key, var in counts.items()))
        model.maximize(sum(total))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(self.deadline - time.perf_counter(), 0.01)
        if solver.solve(model) != cp_model.OPTIMAL:
            return None
        step = built.step
        bound = math.floor(solver.objective_value / MILLI / step) * step
        return bound, ({key: solver.value(var) for key, var in counts.items()},
                       {i: language for (i, language), var in own.items() if solver.value(var)})

    def _found(self, best: tuple[int, _Choice] | None, bound: int) -> _Found:
        if best is None:
            return _Found((), -1, False, bound)
        value, (counts, own) = best
        posts = []
        for language in self.languages:
            point = self.point((counts, own), language)
            alone = self.alone[language][1]
            # The language's model names pooled seats of its own choosing: rename them
            # to the seats chosen here, of the same table counts.
            chosen: dict[int, list[int]] = defaultdict(list)
            for (spoken, size), seats in self.built.types.items():
                if language in spoken:
                    start = sum(counts[(spoken, size), other]
                                for other in spoken[:spoken.index(language)])
                    chosen[size] += [seat.interpreter for seat in
                                     seats[start:start + counts[(spoken, size), language]]]
            table_count = {seat.interpreter: seat.table_count
                           for by_size in self.pooled[language].values() for seat in by_size}
            for post in alone.posts(self.solved[language, point].values):
                if post.interpreter in table_count:
                    post = replace(post, interpreter=chosen[table_count[post.interpreter]].pop())
                posts.append(post)
        return _Found(tuple(posts), value, value >= bound, bound)


def _break_ties(cover: _Cover, previous: Mapping[int, Post], *, seconds: float,
                workers: int) -> None:
    """Optimise the tie-breaks of a covered window with the coverage held."""
    built = cover.model
    cover.ties_broken = True
    if built is None:
        return
    built.previous = previous
    cover.ties_proven = False
    if seconds > 0:
        built.target.lower_bound = cover.value
        built.model.minimize(built.tie_breaks())
        outcome = built.run(seconds, workers, cover.values)
        if outcome.solution:
            cover.values, cover.ties_proven = outcome.solution.values, outcome.complete
