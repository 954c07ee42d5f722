"""The interpreter assignment at full size: 120 stands on a 12 x 10 grid, 60 interpreters,
8 languages, 1,500 candidates and two time windows (issue 6 asks for under 2 seconds).

The instance is random but shaped like a real Meet & Greet: Ukrainian, Arabic and
Tigrinya are common, Somali and Turkish rare; about half the candidates need an
interpreter; a few representatives speak a language themselves; most interpreters
stay the whole event, some only for one half.

Seed 6 is the instance of record (chosen before the solver existed); seeds 1-10 show
per instance whether the optimum is proven and how long that takes: the median of
``RUNS`` solves (wall clock, and CPU time of the process, which says more on a busy
machine), and the slowest of them.
"""

import random
import time

from meetgreet.core.reference import SECTOR_CODES
from meetgreet.interpreters.assignment import (
    InterpreterInfo,
    Problem,
    Stand,
    greedy,
    solve,
)
from meetgreet.interpreters.demand import CandidateNeed, StandInfo, demand

LANGUAGE_SHARES = {"uk": 30, "ar": 20, "ti": 14, "prs": 10, "ru": 9, "fa": 7, "so": 5, "tr": 5}
WINDOWS = ("first half", "second half")
SEEDS = range(1, 11)
LIMIT = 10.0
TARGET = 2.0  # seconds, from the issue
RUNS = 3  # per seed: this shared machine's timings move by a tenth from run to run
ROWS, COLS = 10, 12


def instance(seed: int = 6) -> Problem:
    rng = random.Random(seed)
    languages = list(LANGUAGE_SHARES)
    shares = list(LANGUAGE_SHARES.values())
    stands = [Stand(row * COLS + col + 1, row, col) for row in range(ROWS) for col in range(COLS)]
    infos = [
        StandInfo(stand.number, rng.choice(SECTOR_CODES),
                  frozenset(rng.sample(languages, 1)) if rng.random() < 0.15 else frozenset())
        for stand in stands
    ]
    candidates = []
    for _ in range(1500):
        first = rng.choices(languages, shares)[0]
        spoken = {first: "native"}
        if first == "uk" and rng.random() < 0.6:
            spoken["ru"] = "native"
        if first in ("prs", "fa") and rng.random() < 0.5:
            spoken["fa" if first == "prs" else "prs"] = "good"
        if rng.random() < 0.3:
            spoken["en"] = rng.choice(("basic", "good"))
        candidates.append(CandidateNeed(
            languages=spoken,
            dutch_level=rng.choice(("none", "none", "A1", "A1", "A2", "B1")),
            needs_interpreter=rng.random() < 0.1,
            sectors=frozenset(rng.sample(SECTOR_CODES, rng.randint(1, 3))),
        ))
    need = demand(infos, candidates)
    interpreters = []
    for number in range(60):
        first = rng.choices(languages, shares)[0]
        spoken = {first}
        if rng.random() < 0.35:
            spoken.add(rng.choices(languages, shares)[0])
        chance = rng.random()
        windows = (None if chance < 0.7
                   else frozenset({WINDOWS[0]}) if chance < 0.85 else frozenset({WINDOWS[1]}))
        interpreters.append(InterpreterInfo(
            id=number + 1, languages=frozenset(spoken),
            table_count=rng.choice((1, 2, 2, 2, 3)), windows=windows,
        ))
    return Problem(stands=stands, interpreters=interpreters, demand=need, windows=WINDOWS)


def run() -> list[str]:
    # A server imports OR-Tools once; its load time is not part of a solve.
    started = time.perf_counter()
    from ortools.linear_solver.python import model_builder  # noqa: F401

    loaded = time.perf_counter() - started
    started = time.perf_counter()
    problem = instance()
    built = time.perf_counter() - started
    plan = solve(problem)
    baseline = greedy(problem)
    gain = 100 * (plan.coverage / baseline.coverage - 1) if baseline.coverage else 0.0
    rows = [
        f"| interpreters: load OR-Tools (once per process) | {1000 * loaded:.0f} ms |",
        f"| interpreters: demand of 1,500 candidates at 120 stands | {1000 * built:.0f} ms |",
        f"| interpreters: plan for 60 interpreters, 8 languages, 2 windows (seed 6) | "
        f"{1000 * plan.seconds:.0f} ms, coverage {plan.status}; tie-breaks "
        f"{'proven' if plan.tie_breaks_optimal else 'best found'} |",
        f"| interpreters: need covered, plan vs greedy | {plan.coverage:.1f} vs "
        f"{baseline.coverage:.1f} weighted candidates of {plan.total_demand:.0f} "
        f"({gain:+.2f} %; greedy {1000 * baseline.seconds:.0f} ms) |",
    ]
    medians = []
    for seed in SEEDS:
        problem = instance(seed)
        runs = []
        for _ in range(RUNS):
            cpu = time.process_time()
            other = solve(problem, time_limit=LIMIT)
            runs.append((other.seconds, time.process_time() - cpu, other))
        seconds, cpu, other = sorted(runs, key=lambda run: run[0])[RUNS // 2]
        proven = sum(run[2].optimal for run in runs)
        medians.append((seconds, other.optimal))
        rows.append(
            f"| interpreters: seed {seed}, {LIMIT:.0f} s limit, median of {RUNS} | "
            + ("optimal" if proven == RUNS else f"optimal in {proven} of {RUNS} runs")
            + ("" if other.optimal
               else f" (at most {100 * (other.gap or 0.0):.3f} % below optimal)")
            + f" in {1000 * seconds:.0f} ms, CPU {1000 * cpu:.0f} ms; slowest run "
            f"{1000 * max(run[0] for run in runs):.0f} ms |")
    within = [median for median, optimal in medians if optimal and median < TARGET]
    rows.append(f"| interpreters: seeds {SEEDS[0]}-{SEEDS[-1]} proven optimal in under "
                f"{TARGET:.0f} s (median run) | {len(within)} of {len(medians)}; slowest median "
                f"{1000 * max(median for median, _ in medians):.0f} ms |")
    return rows


if __name__ == "__main__":
    print("\n".join(run()))
