"""The outcome figures, the charts and the group search."""

import re
from datetime import timedelta

from meetgreet.accounts.models import Role
from meetgreet.followup import services
from meetgreet.followup.models import Interest, NextStep, OutcomeKind, RecordedBy
from meetgreet.reports import dashboard, groups

from ..support.people import held_event, person, stand


def test_the_funnel_counts_people_from_registering_to_a_place(app, make_staff):
    coach = make_staff(Role.COACH)
    event = held_event(days_ago=40)
    booking, _ = stand(event, name="Zorggroep")
    came = [person(event, f"P{n}", languages=("ar",), sectors=("care",)) for n in range(4)]
    person(event, "Weg", checked_in=False)
    person(event, "Binnen", walk_in=True, languages=("uk",), sectors=())
    for registration in came[:3]:
        services.record_conversation(booking, registration, interest=Interest.INTERESTED,
                                     next_step=NextStep.INTERVIEW,
                                     recorded_by=RecordedBy.STAFF)
    today = services.local_today()
    services.create_follow_up(came[0].candidate, coach, today)
    services.create_follow_up(came[1].candidate, coach, today)
    services.record_outcome(came[0].candidate, OutcomeKind.INTERVIEW_HELD,
                            today - timedelta(days=20), user=coach)
    services.record_outcome(came[0].candidate, OutcomeKind.CONTRACT, today - timedelta(days=5),
                            user=coach, contract_hours=32, contract_type="temporary")
    services.record_outcome(came[1].candidate, OutcomeKind.INTERNSHIP_STARTED,
                            today - timedelta(days=10), user=coach)
    result = dashboard.figures([event])
    assert result.funnel() == [("registered", 6), ("attended", 5), ("talked", 3),
                               ("follow_up", 2), ("interview", 1), ("placed", 2)]
    assert result.placed == {"work": 1, "internship": 1}
    assert result.walk_ins == 1 and result.no_show_rate == 0.2
    assert result.per_stand == [("Zorggroep", 3)]
    assert result.cohort == 5
    assert result.within == [(3, 1, 2), (6, 1, 2), (12, 1, 2), (18, 1, 2)]
    assert result.by_sector[0] == ("care", 4, 3, 2)
    assert ("uk", 1, 0, 0) in result.by_language


def test_a_place_before_the_event_or_after_18_months_does_not_count(app, make_staff):
    coach = make_staff(Role.COACH)
    event = held_event(days_ago=400)
    early = person(event, "Vroeg")
    services.record_outcome(early.candidate, OutcomeKind.CONTRACT,
                            services.event_day(event) - timedelta(days=3), user=coach,
                            contract_hours=20, contract_type="temporary")
    late = person(event, "Laat")
    services.record_outcome(late.candidate, OutcomeKind.TRAINING_STARTED,
                            services.event_day(event) + timedelta(days=200), user=coach)
    result = dashboard.figures([event])
    assert result.placed == {"training": 1}
    assert result.within == [(3, 0, 0), (6, 0, 0), (12, 0, 1), (18, 0, 1)]


def test_someone_whose_first_event_was_earlier_is_not_in_this_cohort(app):
    first = held_event(days_ago=100)
    again = held_event(days_ago=10)
    old = person(first, "Oud")
    person(again, candidate=old.candidate)
    person(again, "Nieuw")
    result = dashboard.figures([again])
    assert result.attended == 2 and result.cohort == 1


def test_the_dashboard_page_shows_numbers_and_serves_its_charts(client, login):
    login(Role.COACH)
    event = held_event()
    person(event, "Olena")
    page = client.get(f"/staff/dashboard/outcomes?event={event.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "From registering to a place" in page
    charts = re.findall(r'<img class="chart" src="([^"]+)"', page)
    assert len(charts) == 2
    for src in charts:
        response = client.get(src.replace("&amp;", "&"))
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.data.lstrip().startswith(b"<svg")
        assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get("/staff/dashboard/outcomes/pie.svg").status_code == 404


def test_a_period_with_no_events_and_a_wrong_period_say_so(client, login):
    login(Role.PLANNER)
    page = client.get("/staff/dashboard/outcomes?start=2001-01-01&end=2001-02-01",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "No events in this period." in page
    page = client.get("/staff/dashboard/outcomes?start=2001-03-01&end=2001-02-01",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "The end of the period lies before its start." in page
    response = client.get("/staff/dashboard/outcomes?start=yesterday")
    assert response.status_code == 200


def test_door_volunteers_see_no_outcomes(client, login):
    login(Role.DOOR)
    assert client.get("/staff/dashboard/outcomes").status_code == 403


# --- groups --------------------------------------------------------------------------------


def test_a_group_of_hairdressers_is_found_by_experience(app):
    event = held_event()
    for n in range(8):
        person(event, f"Kapper{n}", experience=("Kapper in Aleppo" if n % 2 else
                                                "10 jaar KAPSALON, kappér"))
    person(event, "Bakker", experience="Bakker")
    group = groups.find_group(experience="kapper", minimum=8)
    assert len(group.people) == 8 and group.large_enough
    assert not groups.find_group(experience="kapper", minimum=9).large_enough
    assert len(groups.find_group(experience="bakker, kapsalon").people) == 5


def test_care_with_dutch_a2_or_more(app):
    event = held_event()
    person(event, "A1", sectors=("care",), dutch_level="A1")
    person(event, "A2", sectors=("care",), dutch_level="A2")
    person(event, "B2", sectors=("care",), dutch_level="B2")
    person(event, "Bouw", sectors=("construction",), dutch_level="B2")
    from meetgreet.candidates.models import RegistrationStatus

    person(event, "Weg", sectors=("care",), dutch_level="B1",
           status=RegistrationStatus.CANCELLED)
    found = groups.find_group(sector="care", dutch_level="A2")
    assert sorted(c.first_name for c in found.people) == ["A2", "B2"]


def test_the_group_page_and_its_csv(client, login):
    login(Role.PLANNER)
    event = held_event()
    person(event, "=Kapper", experience="kapper", email="k@example.org")
    page = client.get("/staff/groups", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Choose a sector" in page
    page = client.get("/staff/groups?experience=kapper&minimum=8",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 person found." in page and "not yet a group" in page
    text = client.get("/staff/groups.csv?experience=kapper").data.decode("utf-8")
    assert text.startswith("\ufeff") and "'=Kapper" in text and "k@example.org" in text
    page = client.get("/staff/groups?experience=niemand",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "0 people found." in page
