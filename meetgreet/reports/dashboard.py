"""Outcome figures for staff: the way from registering to a place, per event or period, and
placement within 3, 6, 12 and 18 months of a candidate's first event (against the national
11% in three years). Counts are of people, each once per figure."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import pygal
from dateutil.relativedelta import relativedelta
from pygal.style import Style
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..employers.models import Organisation, StandBooking
from ..extensions import db
from ..followup.models import PLACEMENTS, Conversation, FollowUp, Outcome, OutcomeKind
from ..followup.services import LOCAL, event_day
from ..scheduling.models import Event, EventStatus

NATIONAL_WORK_SHARE = 0.11  # refugees in paid work within three years, the Netherlands
WITHIN_MONTHS = (3, 6, 12, 18)


@dataclass
class Figures:
    events: list[Event]
    registered: int = 0
    attended: int = 0
    walk_ins: int = 0
    no_shows: int = 0
    talked: int = 0
    follow_up: int = 0
    interview: int = 0
    placed: Counter = field(default_factory=Counter)  # work, internship, training
    per_stand: list[tuple[str, int]] = field(default_factory=list)
    within: list[tuple[int, int, int]] = field(default_factory=list)  # months, work, any place
    cohort: int = 0  # people whose first event is among these events
    by_sector: list[tuple[str, int, int, int]] = field(default_factory=list)
    by_language: list[tuple[str, int, int, int]] = field(default_factory=list)

    @property
    def placed_total(self) -> int:
        return sum(self.placed.values())

    @property
    def no_show_rate(self) -> float | None:
        expected = self.attended - self.walk_ins + self.no_shows
        return self.no_shows / expected if expected else None

    def funnel(self) -> list[tuple[str, int]]:
        return [("registered", self.registered), ("attended", self.attended),
                ("talked", self.talked), ("follow_up", self.follow_up),
                ("interview", self.interview), ("placed", self.placed_total)]


def events_between(start: date, end: date) -> list[Event]:
    events = db.session.scalars(select(Event).where(Event.status != EventStatus.CANCELLED)
                                .order_by(Event.starts_at))
    return [e for e in events if start <= event_day(e) <= end]


def _first_event_days(candidate_ids: set[int]) -> dict[int, date]:
    first: dict[int, date] = {}
    rows = db.session.execute(
        select(Registration.candidate_id, Event.starts_at).join(Event)
        .where(Registration.candidate_id.in_(candidate_ids),
               Registration.checked_in_at.is_not(None))
        .order_by(Event.starts_at)).all() if candidate_ids else []
    for candidate_id, starts_at in rows:
        first.setdefault(candidate_id, starts_at.astimezone(LOCAL).date())
    return first


def figures(events: list[Event], *, today: date | None = None) -> Figures:
    result = Figures(events=events)
    if not events:
        return result
    ids = [e.id for e in events]
    day_of = {e.id: event_day(e) for e in events}
    registrations = list(db.session.scalars(select(Registration).where(
        Registration.event_id.in_(ids), Registration.status == RegistrationStatus.REGISTERED)
        .options(selectinload(Registration.candidate).selectinload(Candidate.languages),
                 selectinload(Registration.candidate).selectinload(Candidate.sectors))))
    result.registered = len({r.candidate_id for r in registrations})
    came = [r for r in registrations if r.checked_in_at is not None]
    attended = {r.candidate_id for r in came}
    result.attended = len(attended)
    result.walk_ins = len({r.candidate_id for r in came if r.walk_in})
    result.no_shows = len({r.candidate_id for r in registrations if r.checked_in_at is None}
                          - attended)
    # The first of these events each person came to: outcomes count from that day on.
    came_on: dict[int, date] = {}
    for r in sorted(came, key=lambda r: day_of[r.event_id]):
        came_on.setdefault(r.candidate_id, day_of[r.event_id])

    conversations = db.session.execute(
        select(Organisation.name, Registration.candidate_id).select_from(Conversation)
        .join(Conversation.registration).join(Conversation.booking)
        .join(StandBooking.organisation).where(Conversation.event_id.in_(ids))).all()
    talked = {candidate_id for _name, candidate_id in conversations}
    result.talked = len(talked)
    per_stand = Counter(name for name, _candidate_id in conversations)
    result.per_stand = sorted(per_stand.items(), key=lambda pair: (-pair[1], pair[0]))
    everyone = attended | talked
    follow_ups = db.session.scalars(select(FollowUp).where(
        FollowUp.candidate_id.in_(everyone))) if everyone else []
    result.follow_up = len({f.candidate_id for f in follow_ups})
    outcomes = list(db.session.scalars(select(Outcome).where(
        Outcome.candidate_id.in_(everyone)))) if everyone else []
    since = {o.id: came_on.get(o.candidate_id) for o in outcomes}
    counted = [o for o in outcomes if since[o.id] and o.happened_on >= since[o.id]]
    result.interview = len({o.candidate_id for o in counted
                            if o.kind is OutcomeKind.INTERVIEW_HELD})
    placed_people: dict[str, set[int]] = {}
    for outcome in counted:
        if outcome.kind in PLACEMENTS:
            placed_people.setdefault(PLACEMENTS[outcome.kind], set()).add(outcome.candidate_id)
    result.placed = Counter({kind: len(people) for kind, people in placed_people.items()})

    # Placement within N months of the person's very first event, for those whose first
    # event is one of these.
    first = _first_event_days(attended)
    cohort = {cid for cid in attended if came_on[cid] == first.get(cid)}
    result.cohort = len(cohort)
    for months in WITHIN_MONTHS:
        work, any_place = set(), set()
        for outcome in outcomes:
            cid = outcome.candidate_id
            if cid not in cohort or outcome.kind not in PLACEMENTS:
                continue
            if first[cid] <= outcome.happened_on < first[cid] + relativedelta(months=months):
                any_place.add(cid)
                if outcome.kind is OutcomeKind.CONTRACT:
                    work.add(cid)
        result.within.append((months, len(work), len(any_place)))

    placed_any = set().union(*placed_people.values()) if placed_people else set()
    people = {r.candidate_id: r.candidate for r in came}
    result.by_sector = _breakdown(people, lambda c: [s.code for s in c.sectors], talked,
                                  placed_any)
    result.by_language = _breakdown(people, lambda c: [lang.code for lang in c.languages],
                                    talked, placed_any)
    return result


def _breakdown(people, keys, talked: set[int], placed: set[int]):
    rows: dict[str, list[int]] = {}
    for cid, candidate in people.items():
        for key in keys(candidate) or ["-"]:
            row = rows.setdefault(key, [0, 0, 0])
            row[0] += 1
            row[1] += cid in talked
            row[2] += cid in placed
    return sorted(((key, *row) for key, row in rows.items()), key=lambda r: (-r[1], r[0]))


# --- interpreter coverage -------------------------------------------------------------------


@dataclass
class LanguageCoverage:
    """One language over the chosen events. Need and covered are weighted conversations (see
    interpreters/demand.py); candidates, available and assigned are people."""

    language: str
    candidates: float = 0.0  # needing candidates (split where they speak several equally)
    need: float = 0.0
    covered: float = 0.0  # of the need, what the saved plans cover
    available: int = 0  # interpreters who said yes
    assigned: int = 0  # interpreters placed in the saved plans

    @property
    def share(self) -> float | None:
        return self.covered / self.need if self.need else None


@dataclass
class InterpreterCoverage:
    languages: list[LanguageCoverage] = field(default_factory=list)
    # Per event: (event, need, covered, available interpreters, assigned interpreters).
    events: list[tuple[Event, float, float, int, int]] = field(default_factory=list)

    @property
    def need(self) -> float:
        return sum(row.need for row in self.languages)

    @property
    def covered(self) -> float:
        return sum(row.covered for row in self.languages)

    @property
    def share(self) -> float | None:
        return self.covered / self.need if self.need else None


def interpreter_coverage(events: list[Event]) -> InterpreterCoverage:
    """Demand per language against the interpreters who said yes and the saved plan, per
    event and summed over the events. An event without a saved plan covers nothing."""
    from ..interpreters import services as interpreters

    rows: dict[str, LanguageCoverage] = {}
    result = InterpreterCoverage()
    for event in events:
        need = interpreters.event_demand(event)
        yes = interpreters.available(event)
        posts = interpreters.saved_posts(event)
        names = [window.name for window in interpreters.windows(event, yes)]
        covered = interpreters.coverage(event, posts, need, names)
        placed: dict[str, set[int]] = {}
        for post in posts:
            placed.setdefault(post.language, set()).add(post.interpreter_id)
        supply = interpreters.supply(yes)
        for code in {*need.by_language, *supply, *placed}:
            row = rows.setdefault(code, LanguageCoverage(code))
            row.candidates += need.candidates_by_language.get(code, 0.0)
            row.need += covered.demand_by_language.get(code, 0.0)
            row.covered += covered.by_language.get(code, 0.0)
            row.available += supply.get(code, 0)
            row.assigned += len(placed.get(code, ()))
        result.events.append((event, covered.total, covered.covered, len(yes),
                              len({post.interpreter_id for post in posts})))
    result.languages = sorted(rows.values(), key=lambda row: (-row.need, row.language))
    return result


# --- charts ---------------------------------------------------------------------------------


def _chart(kind, title: str):
    style = Style(background="white", plot_background="white", foreground="#1a1a1a",
                  foreground_strong="#1a1a1a", foreground_subtle="#4a5561",
                  colors=("#0b4f8a", "#2e7d32", "#b26a00", "#7a1710"),
                  font_family="sans-serif")
    return kind(title=title, style=style, js=[], show_legend=False, width=720, height=360,
                print_values=True, disable_xml_declaration=True)


def funnel_svg(labels: list[tuple[str, int]], title: str) -> bytes:
    chart = _chart(pygal.HorizontalBar, title)
    chart.x_labels = [label for label, _ in reversed(labels)]
    chart.add(title, [value for _, value in reversed(labels)])
    return chart.render()


def within_svg(result: Figures, title: str, work_label: str, any_label: str,
               national_label: str) -> bytes:
    chart = _chart(pygal.Bar, title)
    chart.show_legend = True
    chart.legend_at_bottom = True
    chart.value_formatter = lambda value: f"{value:.0%}" if value is not None else ""
    chart.x_labels = [str(months) for months, _, _ in result.within]
    share = (lambda n: n / result.cohort) if result.cohort else (lambda n: 0)
    chart.add(work_label, [share(work) for _, work, _ in result.within])
    chart.add(any_label, [share(any_place) for _, _, any_place in result.within])
    chart.add(national_label, [NATIONAL_WORK_SHARE] * len(result.within))
    return chart.render()


def coverage_svg(result: InterpreterCoverage, names: dict[str, str], title: str,
                 need_label: str, covered_label: str) -> bytes:
    """Need and covered need per language, side by side; the numbers are in the table."""
    chart = _chart(pygal.Bar, title)
    chart.show_legend = True
    chart.legend_at_bottom = True
    chart.value_formatter = lambda value: f"{value:.1f}" if value is not None else ""
    rows = [row for row in result.languages if row.need]
    chart.x_labels = [names[row.language] for row in rows]
    chart.add(need_label, [row.need for row in rows])
    chart.add(covered_label, [row.covered for row in rows])
    return chart.render()
