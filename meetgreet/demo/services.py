"""A realistic demo region. Every part is keyed on a natural key, so loading twice adds nothing."""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from anyascii import anyascii
from sqlalchemy import select

from ..accounts.models import Role, StaffUser
from ..candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Registration,
    RegistrationStatus,
)
from ..core.reference import SECTOR_CODES
from ..core.tokens import hash_token, new_link_token
from ..employers.models import BookingStatus, Organisation, StandBooking, Vacancy
from ..extensions import db
from ..interpreters.models import (
    Answer,
    Interpreter,
    InterpreterInvitation,
    InterpreterLanguage,
)
from ..scheduling.models import Event, EventStatus, Series, Venue, VenueBlackout
from ..scheduling.planning import SeriesRule, plan
from . import people
from .followup import load_after_event

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "meetgreet-demo"  # noqa: S105 - printed for the demo on purpose
DEMO_STAFF = [
    ("admin@example.org", "Anouk de Admin", Role.ADMIN),
    ("planner@example.org", "Pieter Planner", Role.PLANNER),
    ("coach@example.org", "Carla Coach", Role.COACH),
    ("coach2@example.org", "Kees Klantbegeleider", Role.COACH),
    ("door@example.org", "Dirk Deur", Role.DOOR),
    ("door2@example.org", "Dunya Deur", Role.DOOR),
]
VENUE_NAME = "Werkplein Amsterdam Zuidoost"
SERIES_NAME = "Meet & Greet Amsterdam"
CANDIDATE_COUNT = 300


def load_demo(today: date | None = None) -> dict[str, int]:
    """Load the demo region; returns how many of each kind were added."""
    today = today or date.today()
    added = {
        "staff": _staff(),
        "events": _venue_series_events(today),
        "employers": _organisations(),
        "interpreters": _interpreters(),
        "candidates": _candidates(),
    }
    db.session.flush()
    added["stands"] = _stand_bookings()
    added["registrations"] = _registrations()
    added.update(load_after_event())
    added["interpreter_answers"] = _interpreter_answers()
    db.session.commit()
    return added


def is_loaded() -> bool:
    return db.session.scalar(select(Venue.id).where(Venue.name == VENUE_NAME)) is not None


def _staff() -> int:
    existing = set(db.session.scalars(select(StaffUser.email)))
    added = 0
    for email, name, role in DEMO_STAFF:
        if email not in existing:
            user = StaffUser(email=email, name=name, role=role)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            added += 1
    return added


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


def _venue_series_events(today: date) -> int:
    venue = db.session.scalar(select(Venue).where(Venue.name == VENUE_NAME))
    if venue is None:
        venue = Venue(
            name=VENUE_NAME, address="Bijlmerplein 888", town="Amsterdam", stand_count=24,
            layout_columns=6, candidate_capacity=250,
            accessibility_notes="Ground floor, lift to the first floor, accessible toilet.",
            route_description="Metro 50/54 to Bijlmer ArenA, 5 minutes' walk.",
        )
        venue.blackouts.append(VenueBlackout(
            starts_on=date(today.year, 7, 20), ends_on=date(today.year, 8, 14),
            reason="Zomersluiting",
        ))
        db.session.add(venue)
    series = db.session.scalar(select(Series).where(Series.name == SERIES_NAME))
    if series is not None:
        return 0
    series = Series(name=SERIES_NAME, venue=venue, weekday=3, starts_at=time(13, 0),
                    ends_at=time(16, 30), interval_weeks=5)
    db.session.add(series)
    # One event held a few weeks ago, one open for registration, the rest still drafts.
    first = today - timedelta(days=21 + (today.weekday() - series.weekday) % 7)
    blackouts = [(b.starts_on, b.ends_on, b.reason) for b in venue.blackouts]
    proposals = plan(SeriesRule(weekday=series.weekday, interval_weeks=series.interval_weeks),
                     None, first, count=8, blackouts=blackouts)
    days = [proposal.date for proposal in proposals if proposal.date is not None]
    for index, day in enumerate(days):
        status = (EventStatus.HELD if day < today
                  else EventStatus.PUBLISHED if index <= 2 else EventStatus.DRAFT)
        starts_at = _local(day, series.starts_at)
        db.session.add(Event(
            series=series, venue=venue, starts_at=starts_at,
            ends_at=_local(day, series.ends_at), status=status,
            stand_count=venue.stand_count, candidate_capacity=venue.candidate_capacity,
            theme="Zorg & welzijn" if index == 2 else "",
            description_nl="Ontmoet werkgevers uit de regio. Tolken zijn aanwezig.",
            description_en="Meet employers from the region. Interpreters are present.",
            description_uk="Зустріч з роботодавцями регіону. Присутні перекладачі.",
            description_ru="Встреча с работодателями региона. Присутствуют переводчики.",
            description_ar="قابل أصحاب العمل في المنطقة. يتوفر مترجمون.",
            employer_registration_closes_at=starts_at - timedelta(days=7),
            candidate_registration_closes_at=starts_at - timedelta(hours=12),
        ))
    return len(days)


def _organisations() -> int:
    existing = set(db.session.scalars(select(Organisation.kvk_number)))
    added = 0
    for index, (name, sector) in enumerate(people.ORGANISATIONS):
        kvk = f"{34000000 + index * 7919:08d}"
        if kvk in existing:
            continue
        slug = anyascii(name).lower().replace(" ", "").replace("&", "")[:20]
        db.session.add(Organisation(
            name=name, kvk_number=kvk, sector=sector, town="Amsterdam",
            website=f"https://{slug}.example.nl", contact_name="Contactpersoon HR",
            contact_email=f"hr@{slug}.example.nl", contact_phone=f"+3120{5550000 + index}",
        ))
        added += 1
    return added


def _interpreters() -> int:
    existing = set(db.session.scalars(select(Interpreter.name)))
    added = 0
    for index, (name, languages, agency, certified) in enumerate(people.INTERPRETERS):
        if name in existing:
            continue
        email = anyascii(name).lower().replace(" ", ".") + "@example.org"
        db.session.add(Interpreter(
            name=name, email=email, phone=f"+316{20000000 + index:08d}", agency=agency,
            certified=certified, table_count=3 if certified else 2,
            languages=[InterpreterLanguage(code=code) for code in languages],
        ))
        added += 1
    return added


def _person(rng: random.Random, group: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    """First name, last name, Latin spelling and extra languages for one person of a group."""
    if group in ("ukrainian", "russian"):
        first_names, last_names = ((people.UKRAINIAN_FIRST, people.UKRAINIAN_LAST)
                                   if group == "ukrainian"
                                   else (people.RUSSIAN_FIRST, people.RUSSIAN_LAST))
        first, last = rng.choice(first_names), rng.choice(last_names)
        return first, last, anyascii(f"{first} {last}"), []
    if group in ("syrian", "afghan"):
        first_names, last_names = ((people.SYRIAN_FIRST, people.SYRIAN_LAST)
                                   if group == "syrian"
                                   else (people.AFGHAN_FIRST, people.AFGHAN_LAST))
        (first, first_latin), (last, last_latin) = rng.choice(first_names), rng.choice(last_names)
        return first, last, f"{first_latin} {last_latin}", []
    if group == "eritrean":
        first, last = rng.choice(people.ERITREAN_FIRST), rng.choice(people.ERITREAN_LAST)
        return first, last, anyascii(f"{first} {last}").title(), []
    first, last, language = rng.choice(people.OTHER_LATIN)
    return first, last, "", [(language, "native")]


def _candidates() -> int:
    rng = random.Random(20261122)  # the same people every time
    coaches = list(db.session.scalars(select(StaffUser).where(StaffUser.role == Role.COACH)))
    existing = set(db.session.scalars(select(Candidate.email)))
    weights = [share for _, share, _, _ in people.GROUPS]
    added = 0
    for number in range(1, CANDIDATE_COUNT + 1):
        group, _, languages, dutch_levels = rng.choices(people.GROUPS, weights)[0]
        first, last, latin, extra = _person(rng, group)
        email = f"kandidaat{number:03d}@example.org"
        dutch = rng.choice(dutch_levels)
        english = rng.random() < 0.3
        sectors = rng.sample(SECTOR_CODES, rng.randint(1, 3))
        locale = {"ukrainian": "uk", "russian": "ru", "syrian": "ar"}.get(group, "nl")
        if email in existing:
            continue
        spoken = [*languages, *extra] + ([("en", "good")] if english else [])
        db.session.add(Candidate(
            first_name=first, last_name=last, latin_name=latin, email=email,
            phone=f"+316{30000000 + number:08d}" if rng.random() < 0.8 else None,
            locale=locale, dutch_level=dutch,
            needs_interpreter=dutch in ("none", "A1") and not english,
            experience=rng.choice(people.EXPERIENCE),
            diplomas_evaluated=rng.random() < 0.25,
            municipality=rng.choice(people.MUNICIPALITIES),
            coach=rng.choice(coaches) if coaches and rng.random() < 0.6 else None,
            languages=[CandidateLanguage(code=code, level=level)
                       for code, level in dict(spoken).items()],
            sectors=[CandidateSector(code=code) for code in sectors],
        ))
        added += 1
    return added


DEMO_STAND_COUNT = 18
# Jobs per sector that the demo employers bring: (title, hours a week, Dutch level, route).
DEMO_VACANCIES = {
    "care": [("Helpende zorg en welzijn", 24, "A2", True),
             ("Schoonmaker zorglocatie", 20, "A1", False)],
    "technology": [("Monteur installatietechniek", 38, "A2", True)],
    "logistics": [("Orderpicker", 32, "none", False), ("Heftruckchauffeur", 38, "A1", True)],
    "construction": [("Timmerman", 40, "A1", True)],
    "hospitality": [("Afwasser", 24, "none", False), ("Kok", 36, "A2", True)],
    "cleaning": [("Schoonmaakmedewerker", 20, "none", False)],
    "ict": [("Servicedeskmedewerker", 36, "B1", True)],
    "education": [("Pedagogisch medewerker", 28, "B1", True)],
    "retail": [("Vakkenvuller", 16, "none", False)],
    "manufacturing": [("Productiemedewerker", 38, "none", True)],
    "transport": [("Buschauffeur", 36, "B1", True)],
    "agriculture": [("Medewerker groenvoorziening", 32, "A1", False)],
    "government": [("Medewerker stadsbeheer", 36, "A2", True)],
    "business": [("Administratief medewerker", 32, "B1", False)],
}
DEMO_STAND_LANGUAGES = [["nl", "en"], ["nl", "uk", "ru"], ["nl", "ar"], ["nl", "en", "ti"],
                        ["nl", "prs", "fa"], ["nl"]]


def _next_published_event() -> Event | None:
    return db.session.scalar(
        select(Event).where(Event.status == EventStatus.PUBLISHED,
                            Event.starts_at > datetime.now(UTC))
        .order_by(Event.starts_at).limit(1)
    )


def _stand_bookings() -> int:
    """Book the first demo employers into the next published event, with their vacancies."""
    event = _next_published_event()
    if event is None:
        return 0
    booked = set(db.session.scalars(
        select(StandBooking.organisation_id).where(StandBooking.event_id == event.id)))
    organisations = list(db.session.scalars(
        select(Organisation).where(Organisation.kvk_number.is_not(None))
        .order_by(Organisation.kvk_number).limit(DEMO_STAND_COUNT)))
    added = 0
    for number, organisation in enumerate(organisations, start=1):
        if organisation.id in booked:
            continue
        booking = StandBooking(
            event=event, organisation=organisation, contact_name=organisation.contact_name,
            contact_email=organisation.contact_email, contact_phone=organisation.contact_phone,
            locale="nl", representatives=1 + number % 3, status=BookingStatus.CONFIRMED,
            stand_number=number, remarks="Graag een stopcontact." if number % 5 == 0 else "",
            # The demo's links are never mailed: a hash of a token nobody keeps.
            manage_token_hash=hash_token(new_link_token()),
            manage_token_expires_at=event.ends_at + timedelta(days=30),
            vacancies=[
                Vacancy(title=title, sector=organisation.sector, hours_per_week=hours,
                        location=organisation.town, dutch_level=level, route_possible=route)
                for title, hours, level, route in DEMO_VACANCIES.get(organisation.sector, [])
            ],
        )
        booking.languages = DEMO_STAND_LANGUAGES[number % len(DEMO_STAND_LANGUAGES)]
        booking.interpreters_wanted = ["uk", "ar"] if number % 2 else ["ti"]
        db.session.add(booking)
        added += 1
    return added


NEXT_EVENT_REGISTRATIONS = 150
HELD_EVENT_REGISTRATIONS = 60


def _registrations() -> int:
    """About half the demo candidates registered for the next open event; some came to the
    event already held (checked in, a few as walk-ins)."""
    now = datetime.now(UTC)
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at)))
    held = [event for event in events if event.status is EventStatus.HELD]
    upcoming = [event for event in events
                if event.status is EventStatus.PUBLISHED and event.starts_at > now]
    candidates = list(db.session.scalars(
        select(Candidate).where(Candidate.email.like("kandidaat%@example.org"))
        .order_by(Candidate.email)))
    existing = set(db.session.execute(select(Registration.event_id, Registration.candidate_id)))
    rng = random.Random(5)  # the same registrations every time
    plan = []
    if upcoming:
        plan += [(upcoming[0], candidate, None)
                 for candidate in candidates[:NEXT_EVENT_REGISTRATIONS]]
    if held:
        event = held[-1]
        plan += [(event, candidate, event.starts_at + timedelta(minutes=rng.randint(0, 150)))
                 for candidate in candidates[-HELD_EVENT_REGISTRATIONS:]]
    added = 0
    for event, candidate, checked_in_at in plan:
        if (event.id, candidate.id) in existing:
            continue
        walk_in = checked_in_at is not None and rng.random() < 0.2
        created_at = (checked_in_at if walk_in
                      else min(event.starts_at, now) - timedelta(days=rng.randint(1, 20)))
        db.session.add(Registration(
            event=event, candidate=candidate, status=RegistrationStatus.REGISTERED,
            walk_in=walk_in, locale=candidate.locale, created_at=created_at,
            # Nobody holds these links: demo registrations are looked at by staff.
            link_token_hash=hash_token(new_link_token()),
            share_consent_at=created_at if not walk_in or rng.random() < 0.5 else None,
            checked_in_at=checked_in_at,
        ))
        added += 1
    return added


# Demo interpreters (by their place in people.INTERPRETERS) who answered otherwise than
# "yes, the whole event": two come for part of the time, one cannot come.
DEMO_FIRST_HALF_ONLY = 2
DEMO_SECOND_HALF_ONLY = 8
DEMO_DECLINES = 11


def _interpreter_answers() -> int:
    """All demo interpreters invited to the next published event, and their answers, so
    staff can make the interpreter plan at once. Whoever was invited already is left as is."""
    event = _next_published_event()
    if event is None:
        return 0
    db.session.flush()
    invited = set(db.session.scalars(select(InterpreterInvitation.interpreter_id)
                                     .where(InterpreterInvitation.event_id == event.id)))
    by_name = {i.name: i for i in db.session.scalars(select(Interpreter))}
    middle = event.starts_at + (event.ends_at - event.starts_at) / 2
    added = 0
    for index, (name, *_rest) in enumerate(people.INTERPRETERS):
        interpreter = by_name.get(name)
        if interpreter is None or interpreter.id in invited:
            continue
        answer, starts, ends = Answer.YES, None, None
        if index == DEMO_DECLINES:
            answer = Answer.NO
        elif index == DEMO_FIRST_HALF_ONLY:
            ends = middle
        elif index == DEMO_SECOND_HALF_ONLY:
            starts = middle
        db.session.add(InterpreterInvitation(
            event=event, interpreter=interpreter, answer=answer, available_from=starts,
            available_until=ends, answered_at=datetime.now(UTC),
            # Nobody holds these links: the demo's answers are set here.
            token_hash=hash_token(new_link_token()),
        ))
        added += 1
    return added
