"""Staff lists, edit, cancel and CSV; the door's walk-in form."""

import csv
import io

import pytest
from sqlalchemy import func, select

from meetgreet.accounts.models import Role
from meetgreet.candidates import services
from meetgreet.candidates.models import Candidate, Registration, RegistrationStatus
from meetgreet.extensions import db
from meetgreet.scheduling.models import EventStatus

from ..support.factories import make_event
from ..support.queries import counting_queries
from .builders import details


@pytest.fixture
def event_with_candidates(app):
    event = make_event(theme="Techniek", candidate_capacity=2)
    with app.test_request_context(base_url="https://x.example"):
        for fields in (
            {},
            {"first_name": "أحمد", "last_name": "حداد", "latin_name": "Ahmad Haddad",
             "email": "ahmad@example.org", "phone": "+31687654321", "languages": {"ar": "native"},
             "sectors": ["ict"]},
            {"first_name": "Юрій", "last_name": "Щербак", "latin_name": "Yurii Shcherbak",
             "email": "=cmd@example.org".replace("=", ""), "languages": {"ru": "good"}},
        ):
            services.register(event, details(**fields), locale="uk", share_consent=True)
    return event


def listing(client, event, **params) -> str:
    return client.get(f"/staff/events/{event.id}/candidates", query_string=params,
                      headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_staff_list_search_and_filter(client, login, event_with_candidates, mailbox):
    event = event_with_candidates
    login(Role.COACH)
    page = listing(client, event)
    assert "Коваленко" in page and "حداد" in page and "Щербак" in page
    assert "2 of 2 places taken." in page and "Waiting list" in page
    assert "حداد" in listing(client, event, q="HADDAD")
    only_ahmad = listing(client, event, q="0687654321")
    assert "حداد" in only_ahmad and "Коваленко" not in only_ahmad
    assert "Коваленко" in listing(client, event, q="КОВАЛЕНКО")
    by_language = listing(client, event, language="ru")
    assert "Щербак" in by_language and "حداد" not in by_language
    by_sector = listing(client, event, sector="ict")
    assert "حداد" in by_sector and "Коваленко" not in by_sector
    waiting = listing(client, event, status="waiting")
    assert "Щербак" in waiting and "Коваленко" not in waiting
    # Odd filter values are ignored, not errors.
    assert "Коваленко" in listing(client, event, language="xx", status="nonsense")


def test_csv_export(client, login, event_with_candidates):
    login(Role.PLANNER)
    response = client.get(f"/staff/events/{event_with_candidates.id}/candidates.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert {row["last_name"] for row in rows} == {"Коваленко", "حداد", "Щербак"}
    ahmad = next(row for row in rows if row["last_name"] == "حداد")
    assert ahmad["phone"] == "06 87654321" and ahmad["languages"] == "ar:native"


def test_staff_edit_and_cancel_move_the_waiting_list(client, login, event_with_candidates,
                                                     mailbox):
    event = event_with_candidates
    login(Role.PLANNER)
    olena = db.session.scalars(select(Registration).join(Candidate).where(
        Candidate.last_name == "Коваленко")).one()
    url = f"/staff/events/{event.id}/candidates/{olena.ref}"
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'value="Olena Kovalenko"' in page
    response = client.submit(url, {
        "first_name": "Олена", "last_name": "Коваленко-Шевченко",
        "latin_name": "Olena Kovalenko-Shevchenko", "phone": "", "email": "olena@example.org",
        "languages-uk": "native", "languages-nl": "basic", "dutch_level": "A2",
        "needs_interpreter": "no", "sectors": ["care"], "experience": "", "municipality": "Diemen",
    })
    assert response.status_code == 302
    db.session.refresh(olena.candidate)
    assert olena.candidate.last_name == "Коваленко-Шевченко"
    assert {lang.code for lang in olena.candidate.languages} == {"uk", "nl"}
    bad = client.submit(url, {"first_name": "😀", "last_name": "x", "dutch_level": "A2",
                              "needs_interpreter": "no"}, headers={"Accept-Language": "en"})
    assert bad.status_code == 200 and "emoji" in bad.get_data(as_text=True)

    mailbox.messages.clear()
    response = client.submit(f"{url}/cancel", form_url=url)
    assert response.status_code == 302
    db.session.expire_all()  # the request changed them in its own session
    statuses = {r.candidate.first_name: r.status for r in db.session.scalars(
        select(Registration))}
    assert statuses["Олена"] is RegistrationStatus.CANCELLED
    assert statuses["Юрій"] is RegistrationStatus.REGISTERED  # moved up from the waiting list
    assert mailbox.only()["Subject"]


def test_staff_pages_need_the_candidates_permission(client, login, event_with_candidates):
    url = f"/staff/events/{event_with_candidates.id}/candidates"
    assert client.get(url).status_code == 302  # to the login page
    login(Role.DOOR)
    assert client.get(url).status_code == 403
    assert client.get(url + ".csv").status_code == 403


def test_a_door_volunteer_registers_a_walk_in(client, login, app):
    event = make_event(status=EventStatus.REGISTRATION_CLOSED, candidate_capacity=0)
    login(Role.DOOR)
    door = client.get("/door/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    url = f"/door/events/{event.id}/walk-in"
    assert f'href="{url}"' in door
    response = client.submit(url, {"first_name": "Тесфай", "last_name": "Гебре",
                                   "languages": ["ti", "ar"], "phone": ""},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 302
    registration = db.session.scalars(select(Registration)).one()
    assert registration.walk_in and registration.checked_in_at is not None
    assert registration.status is RegistrationStatus.REGISTERED
    assert {lang.code for lang in registration.candidate.languages} == {"ti", "ar"}
    assert registration.share_consent_at is None
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Тесфай Гебре is registered and checked in." in page

    bad = client.submit(url, {"first_name": " ", "last_name": "X", "languages": ["xx"]},
                        headers={"Accept-Language": "en"})
    assert bad.status_code == 200 and "not only spaces" in bad.get_data(as_text=True)
    assert len(db.session.scalars(select(Registration)).all()) == 1


def test_walk_ins_only_for_events_that_happen(client, login, app):
    login(Role.DOOR)
    for status in (EventStatus.DRAFT, EventStatus.CANCELLED):
        event = make_event(status=status)
        assert client.get(f"/door/events/{event.id}/walk-in").status_code == 404


def test_staff_link_a_coach_and_settle_a_possible_duplicate(client, login, app, make_staff,
                                                            mailbox):
    earlier, event = make_event(days_ahead=5), make_event(days_ahead=30)
    with app.test_request_context(base_url="https://x.example"):
        services.register(earlier, details(), locale="uk", share_consent=True)
        services.register(event, details(), locale="uk", share_consent=True)
        services.register(event, details(email="other@example.org"), locale="uk",
                          share_consent=True)
    coach = make_staff(Role.COACH, name="Carla Coach")
    login(Role.PLANNER)
    flagged = db.session.scalars(select(Registration).join(Candidate).where(
        Candidate.email == "other@example.org")).one()
    url = f"/staff/events/{event.id}/candidates/{flagged.ref}"
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Maybe known already" in page and "olena@example.org" in page
    known = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.id != flagged.id)).one()
    known_page = client.get(f"/staff/events/{event.id}/candidates/{known.ref}",
                            headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Events of this person" in known_page  # came before: coaches see it

    response = client.submit(f"/staff/events/{event.id}/candidates/{known.ref}", {
        "first_name": "Олена", "last_name": "Коваленко", "latin_name": "Olena Kovalenko",
        "email": "olena@example.org", "languages-uk": "native", "dutch_level": "A1",
        "needs_interpreter": "no", "coach": str(coach.id)})
    assert response.status_code == 302
    db.session.expire_all()
    assert known.candidate.coach_id == coach.id

    response = client.submit(url + "/duplicate", {"decision": "same"}, form_url=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(func.count(Candidate.id))).one() == 1
    assert len(db.session.scalars(select(Registration).where(
        Registration.event_id == event.id)).all()) == 1


def test_the_staff_list_costs_the_same_queries_for_3_or_15_people(client, app, login):
    event = make_event(candidate_capacity=50)

    def add_people(first: int, last: int) -> None:
        with app.test_request_context():
            for n in range(first, last):
                services.register(event, details(email=f"p{n}@example.org", first_name=f"Ірина{n}",
                                                 languages={"uk": "native", "ru": "good"}),
                                  locale="uk", share_consent=True)

    login(Role.COACH)
    url = f"/staff/events/{event.id}/candidates"
    add_people(0, 3)
    with counting_queries() as few:
        assert client.get(url).status_code == 200
    add_people(3, 15)
    with counting_queries() as many:
        page = client.get(url).get_data(as_text=True)
    assert page.count("Ірина") >= 15
    assert len(many) == len(few), "one query per person is back (N+1)"
