"""Groups of candidates with the same wishes or experience, so the WSP can propose a group
programme (e.g. eight or more former hairdressers, or people wanting care work with A2+)."""

import unicodedata
from dataclasses import dataclass

from sqlalchemy import select

from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..core.reference import DUTCH_LEVEL_CODES
from ..extensions import db


@dataclass
class Group:
    people: list[Candidate]
    minimum: int

    @property
    def large_enough(self) -> bool:
        return len(self.people) >= self.minimum


def _fold(text: str) -> str:
    """Case and accents do not matter: 'Kapper', 'kapper', 'kappér'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def find_group(*, sector: str = "", dutch_level: str = "", experience: str = "",
               minimum: int = 8) -> Group:
    """Candidates with at least one active registration matching every criterion given.

    `experience` may hold several words separated by commas: any of them matches."""
    statement = (select(Candidate).where(Candidate.anonymised_at.is_(None), Candidate.id.in_(
        select(Registration.candidate_id).where(
            Registration.status != RegistrationStatus.CANCELLED)))
        .order_by(Candidate.last_name, Candidate.first_name))
    people = list(db.session.scalars(statement))
    if sector:
        people = [c for c in people if any(s.code == sector for s in c.sectors)]
    if dutch_level in DUTCH_LEVEL_CODES:
        floor = DUTCH_LEVEL_CODES.index(dutch_level)
        people = [c for c in people if c.dutch_level in DUTCH_LEVEL_CODES
                  and DUTCH_LEVEL_CODES.index(c.dutch_level) >= floor]
    words = [_fold(word.strip()) for word in experience.split(",") if word.strip()]
    if words:
        people = [c for c in people if any(word in _fold(c.experience or "") for word in words)]
    return Group(people=people, minimum=max(1, minimum))
