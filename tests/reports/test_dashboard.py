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
    assert len(charts) == 2  # no interpreter chart without any interpreting need
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


def interpreter_event(days_ago: int, *, plan: bool):
    """Two care stands; Olena (Ukrainian, care) and Ahmad (Arabic, ICT) need an interpreter,
    Anna speaks Dutch. Three interpreters say yes; the plan, when saved, has the Ukrainian one
    serve both stands."""
    from meetgreet.extensions import db
    from meetgreet.interpreters import services as interpreters
    from meetgreet.interpreters.assignment import WHOLE_EVENT
    from meetgreet.interpreters.models import Answer, InterpreterPost

    event = held_event(days_ago=days_ago)
    stand(event, 1)
    stand(event, 2)
    person(event, "Olena", languages=("uk",), sectors=("care",))
    person(event, "Ahmad", languages=("ar",), sectors=("ict",))
    person(event, "Anna", languages=("uk",), dutch_level="B1")
    pool = [interpreters.save_interpreter(interpreters.InterpreterData(name, list(codes)))
            for name, codes in (("Iryna", ("uk", "ru")), ("Omar", ("ar",)), ("Reza", ("fa",)))]
    for invitation, _token in interpreters.invite(event, pool):
        interpreters.set_answer(invitation, Answer.YES)
    if plan:
        db.session.add(InterpreterPost(event_id=event.id, interpreter_id=pool[0].id,
                                       window=WHOLE_EVENT, language="uk", home_stand=1,
                                       stand_numbers="1,2"))
        db.session.commit()
    return event


def test_interpreter_coverage_per_language_for_one_event(app):
    event = interpreter_event(10, plan=True)
    result = dashboard.interpreter_coverage([event])
    rows = {row.language: (row.candidates, row.need, row.covered, row.available, row.assigned)
            for row in result.languages}
    # Olena weighs 1 at each care stand; Ahmad, who wants ICT, 0.25 at each.
    assert rows == {"uk": (1, 2.0, 2.0, 1, 1), "ar": (1, 0.5, 0, 1, 0),
                    "fa": (0, 0, 0, 1, 0), "ru": (0, 0, 0, 1, 0)}
    assert [row.language for row in result.languages][:2] == ["uk", "ar"]  # largest need first
    assert result.need == 2.5 and result.covered == 2.0 and result.share == 0.8
    assert result.events == [(event, 2.5, 2.0, 3, 1)]
    assert {row.language: row.share for row in result.languages}["fa"] is None


def test_interpreter_coverage_over_a_period_adds_the_events_up(app):
    planned = interpreter_event(40, plan=True)
    unplanned = interpreter_event(10, plan=False)
    result = dashboard.interpreter_coverage([planned, unplanned])
    uk = next(row for row in result.languages if row.language == "uk")
    assert (uk.candidates, uk.need, uk.covered, uk.available, uk.assigned) == (2, 4.0, 2.0, 2, 1)
    assert uk.share == 0.5
    assert result.need == 5.0 and result.share == 0.4
    assert [e[1:] for e in result.events] == [(2.5, 2.0, 3, 1), (2.5, 0, 3, 0)]
    assert dashboard.interpreter_coverage([]).share is None


def test_the_dashboard_shows_interpreter_coverage_with_its_chart(client, login):
    login(Role.PLANNER)
    event = interpreter_event(10, plan=True)
    page = client.get(f"/staff/dashboard/outcomes?event={event.id}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    section = page.split("Interpreters: need and coverage")[1].split("</section>")[0]
    assert "Covered: 80% of the need." in section
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", section.split("<tbody>")[1])
    assert cells[:7] == ["Ukrainian", "1.0", "2.0", "2.0", "100%", "1", "1"]
    assert cells[7:14] == ["Arabic", "1.0", "0.5", "0.0", "0%", "1", "0"]
    src = re.search(r'src="([^"]*interpreters\.svg[^"]*)"', section).group(1)
    response = client.get(src.replace("&amp;", "&"), headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "Ukrainian" in svg and "Covered by the plan" in svg and "Persian" not in svg


def test_interpreter_coverage_costs_the_same_queries_for_few_or_many_people(app):
    from ..support.queries import counting_queries

    event = interpreter_event(10, plan=True)
    with counting_queries() as few:
        dashboard.interpreter_coverage([event])
    for n in range(10):
        person(event, f"Extra{n}", languages=("ar", "ti"), sectors=("care", "ict"))
    with counting_queries() as many:
        dashboard.interpreter_coverage([event])
    assert len(many) == len(few), "one query per person is back (N+1)"


def test_the_outcome_figures_cost_the_same_queries_for_few_or_many_people(app, make_staff):
    from ..support.queries import counting_queries

    coach = make_staff(Role.COACH)
    event = held_event(days_ago=40)
    zorg, _ = stand(event, 1, name="Zorggroep")
    bouw, _ = stand(event, 2, name="Bouwbedrijf")

    def came_and_talked(n):
        for i in range(n):
            registration = person(event, f"P{i}", languages=("ar", "ti"),
                                  sectors=("care", "ict"))
            services.record_conversation(zorg if i % 2 else bouw, registration,
                                         interest=Interest.INTERESTED,
                                         next_step=NextStep.INTERVIEW,
                                         recorded_by=RecordedBy.STAFF)
            services.record_outcome(registration.candidate, OutcomeKind.INTERVIEW_HELD,
                                    services.local_today(), user=coach)

    came_and_talked(2)
    with counting_queries() as few:
        dashboard.figures([event])
    came_and_talked(10)
    with counting_queries() as many:
        result = dashboard.figures([event])
    assert result.talked == 12 and result.per_stand == [("Bouwbedrijf", 6), ("Zorggroep", 6)]
    assert result.by_language[0] == ("ar", 12, 12, 0)
    assert len(many) == len(few), "one query per person is back (N+1)"
