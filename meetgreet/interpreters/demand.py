"""How much interpreting each stand needs, per language.

Pure functions on plain values: the views (once stands and registrations exist)
turn database rows into ``StandInfo`` and ``CandidateNeed`` and call ``demand``.

Choices made here (the issue leaves them open):

* A candidate **needs an interpreter** when they said so, or when their Dutch
  is below A2 *and* their English below B1. Without a stated English level,
  English spoken at level "good" or "native" counts as B1 or higher; "basic"
  or no English counts as below B1.
* Only **usable** languages count: spoken at level "good" or "native", and
  neither Dutch nor English (the employers speak those). A conversation about
  work does not go well through a language spoken at "basic" level.
* A candidate's weight goes to their **best** usable level: a native language
  beats a language spoken well. When several languages share that best level
  (many Ukrainians are native in Ukrainian and Russian) the weight is split
  evenly between them, so a candidate never counts for more than one person.
* **Weights** per stand: ``SECTOR_MATCH_WEIGHT`` (1.0) when the stand's sector
  is one the candidate chose, ``OTHER_SECTOR_WEIGHT`` (0.25) otherwise: people
  look around, but talk longest where the work is theirs. A candidate who chose
  no sector weighs 0.25 everywhere.
* Nothing for a language that one of the stand's representatives speaks.

The figures are weighted candidates, an expected number of conversations, not
a head count: one candidate counts at every stand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

CEFR_LEVELS = ("none", "A1", "A2", "B1", "B2")
SPOKEN_LEVELS = ("basic", "good", "native")
USABLE_LEVELS = frozenset({"good", "native"})
# Languages the employers speak themselves: no interpreter needed for them.
SHARED_LANGUAGES = frozenset({"nl", "en"})

SECTOR_MATCH_WEIGHT = 1.0
OTHER_SECTOR_WEIGHT = 0.25


@dataclass(frozen=True)
class StandInfo:
    stand_number: int
    sector: str | None
    representative_languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CandidateNeed:
    """What the demand needs to know about one registered candidate.

    ``languages`` maps a language code to "basic", "good" or "native".
    ``english_level`` is on the CEFR scale of ``dutch_level``; leave it None to
    derive it from ``languages["en"]``.
    """

    languages: Mapping[str, str]
    dutch_level: str = "none"
    needs_interpreter: bool = False
    sectors: frozenset[str] = frozenset()
    english_level: str | None = None

    def __post_init__(self) -> None:
        # Bad levels are a programming error: the forms only offer these values.
        if self.dutch_level not in CEFR_LEVELS:
            raise ValueError(f"unknown Dutch level {self.dutch_level!r}")
        if self.english_level is not None and self.english_level not in CEFR_LEVELS:
            raise ValueError(f"unknown English level {self.english_level!r}")
        for code, level in self.languages.items():
            if level not in SPOKEN_LEVELS:
                raise ValueError(f"unknown level {level!r} for language {code!r}")


@dataclass(frozen=True)
class Demand:
    """Weighted need per stand and language (only positive entries are kept).

    ``by_stand[stand][language]`` is the need at one stand, ``by_language`` its
    sum over the stands, and ``candidates_by_language`` the number of needing
    candidates per language (fractional where a candidate's weight was split),
    to show next to the number of interpreters available.
    """

    by_stand: Mapping[int, Mapping[str, float]] = field(default_factory=dict)
    by_language: Mapping[str, float] = field(default_factory=dict)
    candidates_by_language: Mapping[str, float] = field(default_factory=dict)

    def get(self, stand: int, language: str) -> float:
        return self.by_stand.get(stand, {}).get(language, 0.0)

    def items(self) -> Iterator[tuple[int, str, float]]:
        """(stand, language, need) for every positive need, in a stable order."""
        for stand in sorted(self.by_stand):
            for language in sorted(self.by_stand[stand]):
                yield stand, language, self.by_stand[stand][language]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted(self.by_language))

    @property
    def total(self) -> float:
        return sum(self.by_language.values())


def _level_index(level: str) -> int:
    return CEFR_LEVELS.index(level)


def english_level(candidate: CandidateNeed) -> str:
    """The stated English level, or the one implied by how well they speak English."""
    if candidate.english_level is not None:
        return candidate.english_level
    return "B1" if candidate.languages.get("en") in USABLE_LEVELS else "none"


def needs_interpreter(candidate: CandidateNeed) -> bool:
    if candidate.needs_interpreter:
        return True
    return (_level_index(candidate.dutch_level) < _level_index("A2")
            and _level_index(english_level(candidate)) < _level_index("B1"))


def language_shares(candidate: CandidateNeed) -> dict[str, float]:
    """How a needing candidate's weight is divided over languages (sums to 1, or empty)."""
    usable = {code: level for code, level in candidate.languages.items()
              if code not in SHARED_LANGUAGES and level in USABLE_LEVELS}
    if not usable:
        return {}
    best = max(usable.values(), key=SPOKEN_LEVELS.index)
    chosen = sorted(code for code, level in usable.items() if level == best)
    return {code: 1.0 / len(chosen) for code in chosen}


def sector_weight(stand: StandInfo, candidate: CandidateNeed) -> float:
    if stand.sector is not None and stand.sector in candidate.sectors:
        return SECTOR_MATCH_WEIGHT
    return OTHER_SECTOR_WEIGHT


def demand(stands: Iterable[StandInfo], candidates: Iterable[CandidateNeed]) -> Demand:
    """The need for interpreters at each stand, per language, for one event."""
    stands = list(stands)
    by_stand: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    by_language: dict[str, float] = defaultdict(float)
    people: dict[str, float] = defaultdict(float)
    for candidate in candidates:
        if not needs_interpreter(candidate):
            continue
        shares = language_shares(candidate)
        for language, share in shares.items():
            people[language] += share
        for stand in stands:
            weight = sector_weight(stand, candidate)
            for language, share in shares.items():
                if language in stand.representative_languages:
                    continue
                by_stand[stand.stand_number][language] += weight * share
                by_language[language] += weight * share
    return Demand(
        by_stand={stand: dict(needs) for stand, needs in by_stand.items() if needs},
        by_language=dict(by_language),
        candidates_by_language=dict(people),
    )
