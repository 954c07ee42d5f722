from icalendar import Calendar

from meetgreet.scheduling.models import EventStatus

from ..support.factories import make_event


def test_published_events_are_listed_and_have_a_page(client, app):
    event = make_event(theme="Zorg & welzijn", description_uk="Зустріч з роботодавцями.")
    draft = make_event(status=EventStatus.DRAFT, theme="Geheim concept")
    listing = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Zorg &amp; welzijn" in listing
    assert "Geheim concept" not in listing
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "uk"})
    assert page.status_code == 200
    assert "Зустріч з роботодавцями." in page.get_data(as_text=True)
    assert client.get(f"/events/{draft.id}").status_code == 404
    assert client.get("/events/999999").status_code == 404


def test_a_cancelled_event_says_so_and_offers_no_actions(client, app):
    event = make_event(status=EventStatus.CANCELLED)
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "This Meet & Greet has been cancelled." in page
    assert "Add to my calendar" not in page


def test_an_event_can_be_added_to_a_calendar(client, app):
    event = make_event(theme="Techniek")
    response = client.get(f"/events/{event.id}/event.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == event.ical_uid
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["URL"]).endswith(f"/events/{event.id}")
    assert str(calendar["METHOD"]) == "PUBLISH"
