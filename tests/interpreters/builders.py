"""An event with stands on the floor, candidates who need interpreters, and interpreters."""

from flask import current_app

from meetgreet.candidates.services import register
from meetgreet.employers.services import assign_stand_numbers, reserve_stand
from meetgreet.interpreters.models import Answer
from meetgreet.interpreters.services import InterpreterData, invite, save_interpreter, set_answer
from meetgreet.scheduling.models import Event

from ..candidates.builders import details
from ..employers.helpers import reservation
from ..support.factories import make_event


def stands(event: Event, *specs: tuple[int, str, list[str]], start: int = 1) -> None:
    """(stand number, sector, representatives' languages) per confirmed stand; ``start``
    numbers the organisations, to add more stands to an event later."""
    numbers = {}
    for index, (number, sector, languages) in enumerate(specs, start=start):
        outcome = reserve_stand(event.id, reservation(index, sector=sector, languages=languages))
        numbers[outcome.booking.id] = number
    assign_stand_numbers(event, numbers)


def candidates(event: Event, count: int, *, language: str = "uk", sector: str = "care",
               start: int = 0) -> None:
    """Candidates who speak `language` natively and hardly any Dutch: they need an interpreter."""
    with current_app.test_request_context():
        for index in range(start, start + count):
            register(event, details(email=f"c{index}@example.org", languages={language: "native"},
                                    dutch_level="none", sectors=[sector]),
                     locale="uk", share_consent=True)


def interpreter(name: str = "Oksana Petrenko", languages=("uk",), *, email: str | None = None,
                table_count: int = 2):
    return save_interpreter(InterpreterData(
        name=name, languages=list(languages), table_count=table_count,
        email=email if email is not None else name.lower().replace(" ", ".") + "@example.org"))


def available(event: Event, person, **window) -> None:
    (invitation, _token), = invite(event, [person])
    set_answer(invitation, Answer.YES, **window)


def small_event() -> Event:
    """Four stands on a 4-column grid (1 2 3 4 in one row), Ukrainian need at care stands."""
    event = make_event()
    stands(event, (1, "care", ["nl"]), (2, "care", ["nl"]), (3, "logistics", ["nl", "uk"]),
           (4, "care", ["nl"]))
    candidates(event, 4, language="uk", sector="care")
    return event
