import re

from sqlalchemy import func, select

from meetgreet.accounts.models import Role, StaffUser
from meetgreet.candidates.models import Candidate, Registration
from meetgreet.demo.services import DEMO_PASSWORD, load_demo
from meetgreet.employers.models import Organisation, StandBooking
from meetgreet.extensions import db
from meetgreet.interpreters.models import Interpreter
from meetgreet.scheduling.models import Event, EventStatus, Venue
from meetgreet.scheduling.planning import holiday_name


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_demo_region_is_lived_in(app):
    added = load_demo()
    assert added["candidates"] == 300 and count(Candidate) == 300
    assert count(Organisation) == 30
    assert count(Interpreter) == 12
    venue = db.session.scalar(select(Venue))
    assert venue.stand_count == 24
    roles = set(db.session.scalars(select(StaffUser.role)))
    assert roles == set(Role)
    names = " ".join(f"{c.first_name} {c.last_name}" for c in db.session.scalars(select(Candidate)))
    assert re.search("[А-Яа-яІіЇїЄє]", names), "Cyrillic names"
    assert re.search("[\u0600-\u06ff]", names), "Arabic-script names"
    assert re.search("[a-zé]", names), "Latin names"
    languages = {code for c in db.session.scalars(select(Candidate)) for code in
                 (lang.code for lang in c.languages)}
    assert {"uk", "ru", "ar", "ti", "prs"} <= languages


def test_demo_events_keep_the_five_week_rhythm_and_avoid_holidays(app):
    load_demo()
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at)))
    assert len(events) >= 6
    days = [event.starts_at.date() for event in events]
    for earlier, later in zip(days, days[1:], strict=False):
        assert 28 <= (later - earlier).days <= 42
    assert not any(holiday_name(day) for day in days)
    statuses = [event.status for event in events]
    assert EventStatus.HELD in statuses and EventStatus.PUBLISHED in statuses


def test_demo_candidates_are_registered_for_the_next_event_and_came_to_the_last(app):
    load_demo()
    events = list(db.session.scalars(select(Event).order_by(Event.starts_at)))
    held = [event for event in events if event.status is EventStatus.HELD][-1]
    upcoming = next(event for event in events if event.status is EventStatus.PUBLISHED)
    registered = list(db.session.scalars(select(Registration).where(
        Registration.event_id == upcoming.id)))
    assert len(registered) == 150 and all(r.checked_in_at is None for r in registered)
    came = list(db.session.scalars(select(Registration).where(Registration.event_id == held.id)))
    assert came and all(r.checked_in_at is not None for r in came)
    assert any(r.walk_in for r in came)
    assert len({r.ticket_code for r in registered + came}) == len(registered) + len(came)


def test_loading_twice_duplicates_nothing(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    models = (StaffUser, Candidate, Organisation, Interpreter, Event, Registration, StandBooking)
    totals = [count(model) for model in models]
    second = runner.invoke(args=["demo", "load"])
    assert ("0 staff, 0 events, 0 employers, 0 interpreters, 0 candidates, 0 stands, "
            "0 registrations") in second.output
    assert [count(m) for m in models] == totals
    third = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already loaded" in third.output


def test_demo_staff_can_log_in(client, app):
    load_demo()
    response = client.submit("/login", {"email": "door@example.org", "password": DEMO_PASSWORD})
    assert response.headers["Location"] == "/door/"


def test_the_held_demo_event_has_conversations_follow_ups_and_outcomes(app):
    from sqlalchemy import func, select

    from meetgreet.followup.models import Conversation, FollowUp, Outcome, OutcomeKind

    load_demo()
    counts = [db.session.scalar(select(func.count()).select_from(model))
              for model in (Conversation, FollowUp, Outcome)]
    assert counts[0] >= 20 and counts[1] >= 5 and counts[2] >= 2
    kinds = set(db.session.scalars(select(Outcome.kind)))
    assert {OutcomeKind.INTERNSHIP_STARTED, OutcomeKind.CONTRACT} <= kinds
    owners = {f.owner.role.value for f in db.session.scalars(select(FollowUp))}
    assert owners == {"coach"}
    load_demo()
    assert [db.session.scalar(select(func.count()).select_from(model))
            for model in (Conversation, FollowUp, Outcome)] == counts
