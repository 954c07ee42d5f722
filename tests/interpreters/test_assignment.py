import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meetgreet.interpreters.assignment import (
    WHOLE_EVENT,
    Exclusion,
    InterpreterInfo,
    Issue,
    Pin,
    Problem,
    Stand,
    Status,
    greedy,
    solve,
    validate,
)
from meetgreet.interpreters.demand import Demand

FAST = {"time_limit": 5.0, "tie_break_limit": 0.5}
TOLERANCE = 0.01  # need is optimised in thousandths of a candidate


def row(*columns: int, first: int = 1) -> list[Stand]:
    return [Stand(first + index, 0, col) for index, col in enumerate(columns)]


# --- an independent check of every rule ------------------------------------------------


def touching(a: Stand, b: Stand) -> bool:
    return max(abs(a.row - b.row), abs(a.col - b.col)) <= 1


def broken_rules(problem: Problem, plan) -> list[str]:
    """Every rule a plan breaks, checked from the problem alone."""
    stands = {stand.number: stand for stand in problem.stands}
    people = {person.id: person for person in problem.interpreters}
    broken = []
    seen = set()
    for post in plan.posts:
        person = people.get(post.interpreter)
        what = f"{post.interpreter} in {post.window}"
        if person is None:
            broken.append(f"{what}: not in the pool")
            continue
        if (post.interpreter, post.window) in seen:
            broken.append(f"{what}: two posts")
        seen.add((post.interpreter, post.window))
        if post.window not in problem.windows or (
                person.windows is not None and post.window not in person.windows):
            broken.append(f"{what}: not available")
        if post.language not in person.languages:
            broken.append(f"{what}: does not speak {post.language}")
        if not post.stands or post.home not in post.stands:
            broken.append(f"{what}: does not serve the home stand")
        if len(post.stands) > person.table_count:
            broken.append(f"{what}: more stands than the table count")
        if len(set(post.stands)) != len(post.stands):
            broken.append(f"{what}: a stand twice")
        if post.home in stands and not all(
                stand in stands and touching(stands[post.home], stands[stand])
                for stand in post.stands):
            broken.append(f"{what}: stands not neighbouring")
        for exclusion in problem.exclusions:
            if exclusion.interpreter == post.interpreter and exclusion.window in (
                    None, post.window) and (exclusion.stand is None
                                            or exclusion.stand in post.stands):
                broken.append(f"{what}: excluded ({exclusion})")
    return broken


def broken_pins(problem: Problem, plan) -> list[str]:
    """Pins (to known stands, without conflicts) that the plan does not keep."""
    posts = plan.assignments
    broken = []
    for pin in problem.pins:
        person = next(p for p in problem.interpreters if p.id == pin.interpreter)
        for window in problem.windows:
            if person.windows is not None and window not in person.windows \
                    or pin.window not in (None, window):
                continue
            if any(e.interpreter == pin.interpreter and e.window in (None, window)
                   for e in problem.exclusions):
                continue
            post = posts.get(pin.interpreter, {}).get(window)
            if post is None or pin.stand not in post.stands or (
                    pin.language and post.language != pin.language):
                broken.append(f"{pin} in {window}: {post}")
    return broken


# --- the optimum by enumeration ---------------------------------------------------------


def posts_possible(problem: Problem, person: InterpreterInfo, window: str):
    """Every (covered pairs) an interpreter could produce in a window; None = no post."""
    if person.table_count < 1 or not person.languages:
        return [frozenset()]
    excluded = {e.stand for e in problem.exclusions
                if e.interpreter == person.id and e.window in (None, window)}
    if None in excluded:
        return [frozenset()]
    pins = [pin for pin in problem.pins if pin.interpreter == person.id
            and pin.window in (None, window)]
    pinned = {pin.stand for pin in pins}
    languages = {pin.language for pin in pins if pin.language} or person.languages
    stands = {stand.number: stand for stand in problem.stands}
    allowed = [number for number in stands if number not in excluded]
    options = set() if pinned else {frozenset()}
    for home in allowed:
        around = [n for n in allowed if n != home and touching(stands[home], stands[n])]
        for extra in range(person.table_count):
            for others in itertools.combinations(around, extra):
                served = {home, *others}
                if pinned <= served:
                    for language in languages:
                        options.add(frozenset((stand, language) for stand in served))
    return list(options)


def brute_force(problem: Problem) -> float:
    need = problem.demand
    best_total = 0.0
    for window in problem.windows:
        people = [p for p in problem.interpreters
                  if p.windows is None or window in p.windows]
        choices = [posts_possible(problem, person, window) for person in people]
        best = 0.0
        for combination in itertools.product(*choices):
            covered = frozenset().union(*combination)
            best = max(best, sum(need.get(stand, {}).get(language, 0.0)
                                 for stand, language in covered))
        best_total += best
    return best_total


# --- random small instances --------------------------------------------------------------

CELLS = [(r, c) for r in range(3) for c in range(3)]
LANGUAGES = ("uk", "ar")


@st.composite
def small_problems(draw, pins: bool = True, busy: bool = False, odd: bool = False) -> Problem:
    """Up to 4 stands on a 3x3 grid, 3 interpreters, 2 languages, 2 windows; ``busy``:
    need everywhere and at least two interpreters, where greedy goes wrong more often;
    ``odd``: need in thirds and tenths, which no power of two makes whole."""
    cells = draw(st.lists(st.sampled_from(CELLS), min_size=1, max_size=4, unique=True))
    stands = [Stand(number, r, c) for number, (r, c) in enumerate(cells, start=1)]
    windows = ("first", "second")[:draw(st.integers(1, 2))]
    need = {}
    for stand in stands:
        for language in LANGUAGES[:draw(st.integers(1, 2))]:
            amount = draw(st.sampled_from([1 / 3, 2 / 3, 0.1, 0.7, 1.3] if odd
                                          else [0.25, 1, 2, 3.5] if busy
                                          else [0, 0.25, 0.5, 1, 1.25, 2, 3.5]))
            if amount:
                need.setdefault(stand.number, {})[language] = amount
    people = []
    for number in range(1, draw(st.integers(2 if busy else 0, 3)) + 1):
        languages = draw(st.sets(st.sampled_from(LANGUAGES), min_size=1))
        available = draw(st.one_of(st.none(), st.sets(st.sampled_from(windows), min_size=1)))
        people.append(InterpreterInfo(number, frozenset(languages), draw(st.integers(1, 3)),
                                      None if available is None else frozenset(available)))
    numbers = [stand.number for stand in stands]
    chosen_pins, exclusions = [], []
    for person in people:
        kind = draw(st.sampled_from(["none", "none", "pin", "away", "out"] if pins
                                    else ["none"]))
        stand = draw(st.sampled_from(numbers))
        if kind == "pin":
            # Staff may choose the language and the window (among theirs).
            chosen_pins.append(Pin(
                person.id, stand,
                draw(st.one_of(st.none(), st.sampled_from(sorted(person.languages)))),
                draw(st.one_of(st.none(), st.sampled_from(
                    windows if person.windows is None else sorted(person.windows))))))
        elif kind == "away":
            exclusions.append(Exclusion(person.id, stand))
        elif kind == "out":
            exclusions.append(Exclusion(person.id, window=draw(st.sampled_from(windows))))
    return Problem(stands=stands, interpreters=people, demand=need, windows=windows,
                   pins=chosen_pins, exclusions=exclusions)


SMALL = settings(max_examples=300, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])


@SMALL
@given(st.one_of(small_problems(), small_problems(pins=False, busy=True),
                small_problems(odd=True)))
def test_the_plan_is_optimal_and_keeps_every_rule(problem):
    plan = solve(problem, **FAST)
    assert plan.status is Status.OPTIMAL
    assert plan.coverage == pytest.approx(brute_force(problem), abs=TOLERANCE)
    assert plan.bound == pytest.approx(plan.coverage) and plan.gap == pytest.approx(0)
    assert broken_rules(problem, plan) == []
    assert broken_pins(problem, plan) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_greedy_keeps_every_rule_and_never_beats_the_plan(problem):
    baseline = greedy(problem)
    assert baseline.status is Status.GREEDY
    assert broken_rules(problem, baseline) == []
    assert broken_pins(problem, baseline) == []
    assert solve(problem, **FAST).coverage >= baseline.coverage - TOLERANCE


def test_the_plan_beats_greedy_where_greedy_goes_wrong():
    squeeze = Problem(
        stands=row(0, 1, 2, 3),
        interpreters=[InterpreterInfo(1, frozenset({"ar"}), 2),
                      InterpreterInfo(2, frozenset({"ar"}), 2)],
        demand={1: {"ar": 2}, 2: {"ar": 3}, 3: {"ar": 3}, 4: {"ar": 2}},
    )
    # Greedy grabs the middle pair (6) and leaves two stands apart: 6 + 2 = 8.
    # The optimum pairs 1+2 and 3+4: 10.
    assert greedy(squeeze).coverage == pytest.approx(8)
    plan = solve(squeeze, **FAST)
    assert plan.coverage == pytest.approx(10) == brute_force(squeeze)
    assert sorted(post.stands for post in plan.posts) == [(1, 2), (3, 4)]


# --- bad input: messages, and still a valid plan --------------------------------------------


def codes(issues) -> set[str]:
    return {issue.code for issue in issues}


def test_an_empty_problem_gives_an_empty_plan():
    plan = solve(Problem(stands=[], interpreters=[]))
    assert plan.posts == () and plan.coverage == 0 and plan.share == 1.0
    assert plan.status is Status.OPTIMAL
    assert codes(plan.issues) == {"no_interpreters", "no_demand"}


def test_no_interpreters_leaves_all_need_uncovered():
    problem = Problem(stands=row(0, 1), interpreters=[], demand={1: {"ar": 2}, 2: {"uk": 1}})
    plan = solve(problem)
    assert plan.posts == ()
    assert plan.uncovered == {"ar": 2, "uk": 1}
    assert [(gap.stand, gap.language, gap.need) for gap in plan.gaps] == [
        (1, "ar", 2), (2, "uk", 1)]
    assert codes(plan.issues) == {"no_interpreters", "no_interpreter_for_language"}


def test_no_demand_places_nobody_and_says_so():
    problem = Problem(stands=row(0), interpreters=[InterpreterInfo(1, frozenset({"ar"}))])
    plan = solve(problem)
    assert plan.posts == () and plan.idle == ((1, WHOLE_EVENT),)
    assert codes(plan.issues) == {"no_demand"}


def test_unusable_interpreters_are_reported_and_left_out():
    problem = Problem(
        stands=row(0, 1),
        interpreters=[InterpreterInfo(1, frozenset()),
                      InterpreterInfo(2, frozenset({"ar"}), table_count=0),
                      InterpreterInfo(3, frozenset({"ar"}), windows=frozenset({"evening"})),
                      InterpreterInfo(4, frozenset({"ar"}), windows=frozenset({"morning",
                                                                                "evening"}))],
        demand={1: {"ar": 1}},
        windows=("morning",),
    )
    issues = validate(problem)
    assert Issue("no_languages", interpreter=1) in issues
    assert Issue("bad_table_count", interpreter=2) in issues
    assert Issue("window_outside_event", interpreter=3, window="evening") in issues
    assert Issue("not_available", interpreter=3) in issues
    assert Issue("window_outside_event", interpreter=4, window="evening") in issues
    plan = solve(problem)
    assert [(post.interpreter, post.window) for post in plan.posts] == [(4, "morning")]
    assert plan.coverage == 1
    assert all(str(issue) for issue in issues)  # every code has a text for the logs


def test_bad_references_and_numbers_are_ignored_with_a_message():
    problem = Problem(
        stands=[Stand(1, 0, 0), Stand(1, 5, 5), Stand(2, 0, 1)],
        interpreters=[InterpreterInfo(1, frozenset({"ar"})), InterpreterInfo(1, frozenset())],
        demand={1: {"ar": -1, "uk": float("nan")}, 2: {"ar": "many"}, 9: {"ar": 1}},
        windows=("a", "a"),
        demand_by_window={"z": {}},
        pins=[Pin(7, 1), Pin(1, 8), Pin(1, 1, language="uk"), Pin(1, 1, window="z")],
        exclusions=[Exclusion(7), Exclusion(1, stand=8), Exclusion(1, window="z")],
    )
    assert codes(validate(problem)) == {
        "duplicate_stand", "duplicate_interpreter", "duplicate_window", "bad_demand",
        "demand_unknown_stand", "demand_unknown_window", "pin_unknown_interpreter",
        "pin_unknown_stand", "pin_language_not_spoken", "pin_unknown_window",
        "exclusion_unknown_interpreter", "exclusion_unknown_stand",
        "exclusion_unknown_window", "no_demand",
    }
    plan = solve(problem)
    assert plan.posts == () and plan.total_demand == 0


def test_pins_that_cannot_hold_together_keep_the_first():
    problem = Problem(
        stands=row(0, 1, 2, 3),
        interpreters=[InterpreterInfo(1, frozenset({"ar"}), table_count=2)],
        demand={4: {"ar": 5}},
        pins=[Pin(1, 1), Pin(1, 3), Pin(1, 2)],
        exclusions=[],
    )
    assert codes(validate(problem)) == {"pin_conflict"}
    plan = solve(problem)
    assert plan.posts[0].stands == (1, 2)
    assert plan.coverage == 0  # the pins win over the need at stand 4


def test_a_pin_to_an_excluded_stand_is_dropped():
    problem = Problem(stands=row(0, 1), interpreters=[InterpreterInfo(1, frozenset({"ar"}))],
                      demand={2: {"ar": 1}}, pins=[Pin(1, 1)], exclusions=[Exclusion(1, 1)])
    assert codes(validate(problem)) == {"pin_excluded"}
    assert solve(problem).posts[0].stands == (2,)


# --- the rules and tie-breaks, by example ----------------------------------------------------


def test_a_pinned_interpreter_stays_when_solving_again():
    stands = row(0, 1, 2, 3, 4)
    people = [InterpreterInfo(1, frozenset({"ar"}), 2), InterpreterInfo(2, frozenset({"ar"}), 2)]
    need = {1: {"ar": 4}, 2: {"ar": 4}, 4: {"ar": 1}, 5: {"ar": 1}}
    free = solve(Problem(stands, people, need), **FAST)
    assert free.coverage == 10
    pinned = solve(Problem(stands, people, need, pins=[Pin(2, 3, language="ar")]), **FAST)
    assert 3 in pinned.assignments[2][WHOLE_EVENT].stands
    assert pinned.coverage == 8 + 1  # interpreter 2 serves 3 and one of its neighbours


def test_an_excluded_interpreter_gets_no_post():
    problem = Problem(row(0), [InterpreterInfo(1, frozenset({"ar"}))], {1: {"ar": 1}},
                      exclusions=[Exclusion(1)])
    plan = solve(problem)
    assert plan.posts == () and plan.coverage == 0


def test_one_language_spreads_over_the_floor():
    stands = row(*range(7))
    people = [InterpreterInfo(1, frozenset({"ar"}), 1), InterpreterInfo(2, frozenset({"ar"}), 1)]
    # The same need everywhere: any two stands cover as much, spread wins.
    plan = solve(Problem(stands, people, {stand.number: {"ar": 1} for stand in stands}),
                 **FAST)
    homes = sorted(post.home for post in plan.posts)
    assert plan.tie_breaks_optimal
    assert homes[1] - homes[0] >= 3


def test_nobody_walks_to_a_stand_without_need():
    plan = solve(Problem(row(0, 1, 2), [InterpreterInfo(1, frozenset({"ar"}), 3)],
                         {2: {"ar": 1}}), **FAST)
    assert plan.posts[0].stands == (2,)


def test_windows_follow_availability_and_keep_people_in_place():
    stands = row(0, 1, 2, 3)
    people = [InterpreterInfo(1, frozenset({"ar", "uk"}), 2),
              InterpreterInfo(2, frozenset({"uk"}), 1, windows=frozenset({"second"}))]
    plan = solve(Problem(stands, people, {1: {"ar": 2}, 2: {"ar": 2}, 4: {"uk": 3}},
                         windows=("first", "second")), **FAST)
    posts = plan.assignments
    assert set(posts[2]) == {"second"}
    assert posts[1]["first"].language == "ar"
    assert plan.coverage == 4 + 4 + 3
    assert plan.total_demand == 14


def test_a_pinned_or_excluded_interpreter_stays_put_when_the_need_allows():
    """Staying put is worth more than a colleague nearby: interpreter 1 (kept from
    stand 7, so planned one by one) keeps stand 1 in the second window, although stand
    5 is as needed and farther from interpreter 2 (pinned to stand 3)."""
    people = [InterpreterInfo(1, frozenset({"ar"}), 1),
              InterpreterInfo(2, frozenset({"ar"}), 1, windows=frozenset({"second"}))]
    plan = solve(Problem(row(0, 1, 2, 3, 4, 5, 6), people, {},
                         windows=("first", "second"),
                         demand_by_window={"first": {1: {"ar": 2}},
                                           "second": {1: {"ar": 2}, 5: {"ar": 2}}},
                         pins=[Pin(2, 3)], exclusions=[Exclusion(1, 7)]), **FAST)
    posts = plan.assignments
    assert posts[1]["first"].home == 1 and posts[2]["second"].home == 3
    assert posts[1]["second"].home == 1
    assert plan.coverage == 4 and plan.tie_breaks_optimal


def test_need_per_window_and_demand_objects_are_understood():
    need = Demand(by_stand={1: {"ar": 2.0}}, by_language={"ar": 2.0})
    problem = Problem(row(0), [InterpreterInfo(1, frozenset({"ar"}))], need,
                      windows=("first", "second"), demand_by_window={"second": {}})
    plan = solve(problem)
    assert plan.coverage == 2 and plan.total_demand == 2
    assert [post.window for post in plan.posts] == ["first"]
    assert plan.coverage_by_language == {"ar": 2} and plan.uncovered == {"ar": 0}


def test_a_tiny_time_limit_still_gives_a_plan_at_least_as_good_as_greedy():
    stands = [Stand(r * 6 + c + 1, r, c) for r in range(5) for c in range(6)]
    people = [InterpreterInfo(i, frozenset({("ar", "uk", "ti")[i % 3]}), 1 + i % 3)
              for i in range(1, 13)]
    need = {stand.number: {"ar": 1 + stand.number % 4, "uk": 1 + stand.number % 3,
                           "ti": 1 + stand.number % 5} for stand in stands}
    problem = Problem(stands, people, need)
    plan = solve(problem, time_limit=0.01, tie_break_limit=0)
    assert plan.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert plan.coverage >= greedy(problem).coverage - TOLERANCE
    assert plan.bound is None or plan.bound >= plan.coverage
    assert broken_rules(problem, plan) == []


def test_the_rule_check_itself_catches_broken_plans():
    from dataclasses import replace

    from meetgreet.interpreters.assignment import Post

    problem = Problem(row(0, 1, 3), [InterpreterInfo(1, frozenset({"ar"}), 2,
                                                     windows=frozenset({"am"}))],
                      {1: {"ar": 1}}, windows=("am", "pm"), exclusions=[Exclusion(1, 2)])
    plan = solve(problem)
    assert broken_rules(problem, plan) == []
    bad = replace(plan, posts=(Post(1, "pm", "uk", 1, (1, 2, 3)),))
    assert len(broken_rules(problem, bad)) == 5  # window, language, count, distance, exclusion


def test_need_is_counted_in_exact_units_where_a_small_one_exists():
    from meetgreet.interpreters.assignment import SCALE, _units

    assert _units([0.25, 1.5, 3.0]) == 4
    assert _units([1 / 3, 0.5]) == 6
    assert _units([0.0625, 0.1]) == 80
    assert _units([2 ** 0.5]) == SCALE  # no small unit: thousandths


# --- the solver's parts, each against the brute-force optimum --------------------------------

PARTS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def windows_of(problem: Problem, tight: bool = False):
    """Each window's model (built, not empty) with its brute-force optimum in units."""
    import dataclasses

    from meetgreet.interpreters.assignment import _prepare, _WindowModel

    prep = _prepare(problem)
    for window in prep.windows:
        built = _WindowModel(prep, window, tight=tight)
        if not built.empty:
            alone = dataclasses.replace(problem, windows=(window,))
            yield alone, built, round(brute_force(alone) * built.scale)


@PARTS
@given(st.one_of(small_problems(pins=False, busy=True), small_problems(odd=True)))
def test_the_proof_step_finds_the_optimum_from_nothing_and_proves_it(problem):
    """``_proven`` from an empty plan: the goals come down from the LP bound to the
    optimum; narrowed to a step above it, HiGHS finds nothing."""
    import dataclasses
    import time

    from meetgreet.interpreters.assignment import _proven, _relaxed

    for alone, built, optimum in windows_of(problem, tight=True):
        start = _relaxed(built, lambda: [])
        assert start.bound >= optimum
        solved = _proven(built, start, time.perf_counter() + 5)
        assert solved.value == optimum == solved.bound == built.coverage_of(solved.values)
        built.narrow(start.relaxed, optimum + built.step)
        built.target.lower_bound = optimum + built.step
        outcome = built.run(5.0, 1, None)
        assert outcome.solution is None and outcome.complete
        plan = dataclasses.replace(greedy(alone), posts=tuple(built.posts(solved.values)))
        assert broken_rules(alone, plan) == []


def worst_choice(split):
    """Every pooled type on its last language, every own seat on its last option."""
    counts = {(key, language): len(seats) if language == key[0][-1] else 0
              for key, seats in split.built.types.items() for language in key[0]}
    return counts, {i: options[-1] for i, options in split.options.items()}


@PARTS
@given(st.one_of(small_problems(), small_problems(pins=False, busy=True),
                 small_problems(odd=True)))
def test_language_by_language_reaches_the_optimum_from_the_worst_choice(problem):
    """From the worst choice of who takes which language, the languages' own solves and
    the master problem lead to the optimum and prove it, and the seats it names keep
    every rule and pin."""
    import dataclasses
    import time

    from meetgreet.interpreters.assignment import _Languages

    for alone, built, optimum in windows_of(problem):
        built.model.maximize(built.coverage)
        split = _Languages(built, built.relaxation(), time.perf_counter() + 10)
        found = split.solve(worst_choice(split))
        assert found.proven and found.value == found.bound == optimum
        assert built.coverage_of(built.values_of(found.posts)) == optimum
        plan = dataclasses.replace(greedy(alone), posts=found.posts)
        assert broken_rules(alone, plan) == [] and broken_pins(alone, plan) == []


@PARTS
@given(st.one_of(small_problems(), small_problems(pins=False, busy=True)))
def test_the_window_lp_caps_every_choice_of_languages(problem):
    """The master problem's cap: with the numbers of each pooled type in each language
    fixed to any choice, the window's LP stays under the cap the reduced costs give."""
    import itertools
    import time

    from meetgreet.interpreters.assignment import _Languages

    for _, built, _ in windows_of(problem):
        built.model.maximize(built.coverage)
        split = _Languages(built, built.relaxation(), time.perf_counter() + 10)
        constant, slopes = split.cap()
        splits = [[dict(zip(key[0], numbers, strict=True))
                   for numbers in itertools.product(range(len(seats) + 1), repeat=len(key[0]))
                   if sum(numbers) == len(seats)]
                  for key, seats in built.types.items()]
        for numbers in itertools.product(*splits):
            for key, taken in zip(built.types, numbers, strict=True):
                for language, number in taken.items():
                    built.f[key, language].lower_bound = built.f[key, language].upper_bound \
                        = number
            relaxed = built.relaxation()
            built.restore()
            cap = constant + sum(slopes[key, language] * number for key, taken
                                 in zip(built.types, numbers, strict=True)
                                 for language, number in taken.items())
            assert relaxed is None or relaxed.objective - 0.5 <= cap + 1e-6


@PARTS
@given(st.one_of(small_problems(), small_problems(pins=False, busy=True)))
def test_a_languages_lp_never_rises_above_the_plane_of_another_point(problem):
    """What the master problem relies on: at any two points of a language, the LP at
    the one is at most the other's LP plus its slopes times the difference, plus what
    own seats that join can add."""
    import itertools
    import time

    from meetgreet.interpreters.assignment import _Languages, _relaxed

    for _, built, _ in windows_of(problem):
        built.model.maximize(built.coverage)
        split = _Languages(built, built.relaxation(), time.perf_counter() + 10)
        for language in split.languages:
            own = [i for i, options in split.options.items() if language in options]
            ranges = [range(len(split.pooled[language][size]) + 1)
                      for size in split.sizes[language]]
            points = [(numbers, frozenset(present))
                      for numbers in itertools.product(*ranges)
                      for count in range(len(own) + 1)
                      for present in itertools.combinations(own, count)]
            lp = {}
            for point in points:
                relaxed = _relaxed(split.model(language, point)[1], lambda: []).relaxed
                lp[point] = (relaxed.objective - 0.5, [
                    relaxed.marginals[(language,), size] for size in split.sizes[language]])
            for (at, there), (value, slopes) in lp.items():
                for (numbers, present), (other, _) in lp.items():
                    plane = value + sum(slope * (number - base) for slope, number, base
                                        in zip(slopes, numbers, at, strict=True))
                    plane += sum(split.worth[i, language] for i in present - there)
                    assert other <= plane + 1e-6


def test_highs_keeps_its_banner_out_of_the_server_log(capfd):
    from meetgreet.interpreters.assignment import _prepare, _WindowModel

    problem = Problem(row(0, 1, 2), [InterpreterInfo(1, frozenset({"ar"}), 2)],
                      {1: {"ar": 1}, 2: {"ar": 2}, 3: {"ar": 1}})
    built = _WindowModel(_prepare(problem), WHOLE_EVENT)
    built.model.maximize(built.coverage)
    assert built.run(5.0, 1, None).solution.objective == 3 * built.scale
    assert "HiGHS" not in capfd.readouterr().out
