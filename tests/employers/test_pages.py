"""The public reservation form, the manage link and the staff pages, through the test client."""

import csv
import io
import re
from datetime import timedelta

from icalendar import Calendar
from sqlalchemy import func, select

from meetgreet.accounts.models import Role
from meetgreet.core.types import utcnow
from meetgreet.employers.models import BookingStatus, Organisation, StandBooking
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db
from meetgreet.scheduling.models import EventStatus

from ..support.factories import make_event, make_venue
from ..support.queries import counting_queries
from .helpers import form_data, reservation

EN = {"Accept-Language": "en"}
DUTCH_MONTHS = re.compile(r"\b(januari|februari|maart|april|mei|juni|juli|augustus|september|"
                          r"oktober|november|december)\b")
ENGLISH_MONTHS = re.compile(r"\b(January|February|March|April|May|June|July|August|September|"
                            r"October|November|December)\b")


def small_event(stands: int = 2, **fields):
    return make_event(venue=make_venue(stand_count=stands), **fields)


def bookings() -> list[StandBooking]:
    return list(db.session.scalars(select(StandBooking).order_by(StandBooking.id)))


def manage_link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    match = re.search(r"https?://\S+/stands/manage/(\S+)", body)
    assert match, "the mail carries the manage link"
    return "/stands/manage/" + match.group(1)


def ics_of(message) -> Calendar:
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    return Calendar.from_ical(attachment.get_content())


def test_an_employer_reserves_a_stand_and_gets_a_dutch_mail_with_the_ics(client, app, mailbox):
    event = small_event(2)
    page = client.get(f"/events/{event.id}", headers=EN).get_data(as_text=True)
    assert f"/events/{event.id}/stand" in page
    response = client.submit(f"/events/{event.id}/stand", form_data(1))
    assert response.status_code == 302
    (booking,) = bookings()
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.contact_phone == "+31612345678"
    assert booking.organisation.website == "https://www.bedrijf.example.nl"
    assert booking.vacancies[0].dutch_level == "A2" and booking.vacancies[0].route_possible
    message = mailbox.only()
    assert mailbox.messages[0][0] == ["hr1@bedrijf1.example.nl"]
    body = message.get_body(("plain",)).get_content()
    # Dutch by default: the date is written the Dutch way (the texts follow at translation).
    assert DUTCH_MONTHS.search(body) and not ENGLISH_MONTHS.search(body)
    assert "Bedrijf 1 B.V." in body and re.search(r": 1\b", body), "the stand number"
    calendar = ics_of(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(calendar.walk("VEVENT")[0]["UID"]) == event.ical_uid
    # The redirect goes to the manage page, which the mailed link also opens.
    assert response.headers["Location"].endswith(manage_link(message))
    manage = client.get(manage_link(message), headers=EN).get_data(as_text=True)
    assert "Confirmed" in manage and "Stand number" in manage
    # The public page now lists the employer, its stand, languages and vacancy.
    public = client.get(f"/events/{event.id}", headers=EN).get_data(as_text=True)
    assert "Bedrijf 1 B.V." in public and "Orderpicker" in public and "Ukrainian" in public


def test_english_mails_when_the_employer_chose_english(client, app, mailbox):
    event = small_event(1)
    reserve_stand(event.id, reservation(1))
    client.submit(f"/events/{event.id}/stand", form_data(2, locale="en"))
    message = mailbox.only()
    assert message["Subject"].startswith("You are on the waiting list")
    body = message.get_body(("plain",)).get_content()
    assert "position 1" in body
    assert ENGLISH_MONTHS.search(body) and not DUTCH_MONTHS.search(body)


def test_bad_input_is_refused_on_the_fields_and_nothing_is_stored(client, app, mailbox):
    event = small_event(2)
    response = client.submit(f"/events/{event.id}/stand", form_data(
        1, kvk_number="1234567", contact_email="not-an-address", contact_phone="12",
        representatives="4", organisation_name="x" * 121, website="not a site",
        languages=["xx"], **{"vacancies-1-description": "zonder titel"},
    ), headers=EN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for message in ("A KvK number has 8 digits", "Enter a valid e-mail address",
                    "Enter a valid phone number", "Choose between 1 and 3 representatives",
                    "Enter a web address", "Give the vacancy a title"):
        assert message in page, message
    assert bookings() == [] and mailbox.messages == []
    assert db.session.scalar(select(func.count(Organisation.id))) == 0


def test_html_in_any_field_is_shown_escaped_everywhere(client, app, login, mailbox):
    event = small_event(2)
    script = "<script>alert(1)</script>"
    client.submit(f"/events/{event.id}/stand", form_data(
        1, organisation_name=script, remarks=script, **{"vacancies-0-title": script}))
    assert len(bookings()) == 1
    public = client.get(f"/events/{event.id}").get_data(as_text=True)
    manage = client.get(manage_link(mailbox.only())).get_data(as_text=True)
    login(Role.PLANNER)
    staff = client.get(f"/staff/events/{event.id}/stands").get_data(as_text=True)
    floor = client.get(f"/staff/events/{event.id}/floorplan").get_data(as_text=True)
    for page in (public, manage, staff, floor):
        assert script not in page
        assert "&lt;script&gt;" in page


def test_closed_draft_and_cancelled_events_take_no_reservation(client, app, mailbox):
    closed = small_event(employer_registration_closes_at=utcnow() - timedelta(hours=1))
    cancelled = small_event(status=EventStatus.CANCELLED)
    draft = small_event(status=EventStatus.DRAFT)
    page = client.get(f"/events/{closed.id}/stand", headers=EN).get_data(as_text=True)
    assert "Reservations for this Meet & Greet are closed." in page
    response = client.submit(f"/events/{closed.id}/stand", form_data(1), headers=EN,
                             form_url=f"/events/{closed.id}")
    assert "are closed" in response.get_data(as_text=True)
    response = client.submit(f"/events/{cancelled.id}/stand", form_data(2), headers=EN,
                             form_url=f"/events/{cancelled.id}")
    assert "has been cancelled" in response.get_data(as_text=True)
    assert client.get(f"/events/{draft.id}/stand").status_code == 404
    assert bookings() == [] and mailbox.messages == []
    assert f"/events/{closed.id}/stand" not in client.get(f"/events/{closed.id}").get_data(
        as_text=True)


def test_a_second_attempt_is_told_and_the_link_resent_to_the_booking_contact(client, app,
                                                                             mailbox):
    event = small_event(3)
    reserve_stand(event.id, reservation(1))
    response = client.submit(f"/events/{event.id}/stand",
                             form_data(1, contact_email="someone@else.example.nl"), headers=EN)
    assert "already has a reservation" in response.get_data(as_text=True)
    assert len(bookings()) == 1
    assert mailbox.messages[0][0] == ["hr1@bedrijf1.example.nl"]
    assert client.get(manage_link(mailbox.only())).status_code == 200


def test_the_reservation_form_is_rate_limited(client, app):
    event = small_event(1, status=EventStatus.DRAFT)  # refused requests count as well
    url = f"/events/{event.id}/stand"
    token = client.csrf_token("/login")
    codes = [client.post(url, data={"csrf_token": token}).status_code for _ in range(11)]
    assert codes[:10] == [404] * 10 and codes[10] == 429


def test_the_manage_link_changes_cancels_and_promotes_the_waiting(client, app, mailbox):
    event = small_event(1)
    client.submit(f"/events/{event.id}/stand", form_data(1))
    first_link = manage_link(mailbox.only())
    client.submit(f"/events/{event.id}/stand", form_data(2))
    mailbox.messages.clear()

    response = client.submit(first_link, form_data(
        1, representatives="3", languages=["ar"], remarks="Stroom graag",
        **{"vacancies-0-title": "Heftruckchauffeur"}))
    assert response.status_code == 302
    first = bookings()[0]
    assert (first.representatives, first.languages, first.remarks) == (3, ["ar"], "Stroom graag")
    assert [v.title for v in first.vacancies] == ["Heftruckchauffeur"]
    assert "Heftruckchauffeur" in mailbox.only().get_body(("plain",)).get_content()
    mailbox.messages.clear()

    confirm = client.get(first_link + "/cancel", headers=EN).get_data(as_text=True)
    assert "Yes, cancel my reservation" in confirm
    assert bookings()[0].status is BookingStatus.CONFIRMED  # asking is not cancelling
    client.submit(first_link + "/cancel", {})
    db.session.expire_all()
    first, second = bookings()
    assert first.status is BookingStatus.CANCELLED and second.status is BookingStatus.OFFERED
    cancelled_mail, offer_mail = (m for _, m in mailbox.messages)
    assert str(ics_of(cancelled_mail)["METHOD"]) == "CANCEL"
    assert [r for r, _ in mailbox.messages][1] == ["hr2@bedrijf2.example.nl"]

    offer_link = manage_link(offer_mail)
    client.submit(offer_link + "/accept", {}, form_url=offer_link)
    db.session.expire_all()
    assert bookings()[1].status is BookingStatus.CONFIRMED
    assert bookings()[1].stand_number == 1


def test_wrong_or_expired_links_get_a_page_to_ask_for_a_fresh_one(client, app, mailbox):
    event = small_event(1)
    reserve_stand(event.id, reservation(1))
    response = client.get("/stands/manage/not-a-real-token", headers=EN)
    assert response.status_code == 404
    assert "Send me a new link" in response.get_data(as_text=True)
    known = client.submit("/stands/link", {"email": "HR1@bedrijf1.example.nl"},
                          follow_redirects=True, headers=EN).get_data(as_text=True)
    unknown = client.submit("/stands/link", {"email": "nobody@example.nl"},
                            follow_redirects=True, headers=EN).get_data(as_text=True)
    message = "If we have a reservation for this e-mail address"
    assert message in known and message in unknown
    assert [r for r, _ in mailbox.messages] == [["hr1@bedrijf1.example.nl"]]
    assert client.get(manage_link(mailbox.only())).status_code == 200


def test_no_changes_after_the_deadline(client, app, mailbox):
    event = small_event(1)
    outcome = reserve_stand(event.id, reservation(1))
    event.employer_registration_closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/stands/manage/{outcome.token}", headers=EN).get_data(as_text=True)
    assert "The deadline for changes has passed" in page
    client.submit(f"/stands/manage/{outcome.token}", form_data(1, representatives="3"))
    db.session.expire_all()
    assert bookings()[0].representatives == 2


def test_staff_approve_and_decline_with_a_mailed_reason(client, app, login, mailbox):
    event = small_event(2, stands_need_approval=True)
    pending = reserve_stand(event.id, reservation(1)).booking
    other = reserve_stand(event.id, reservation(2)).booking
    login(Role.COACH)
    assert client.get(f"/staff/events/{event.id}/stands").status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token("/staff/")})
    login(Role.PLANNER)
    page = client.get(f"/staff/events/{event.id}/stands", headers=EN).get_data(as_text=True)
    assert "Waiting for approval" in page and "Bedrijf 2 B.V." in page
    client.submit(f"/staff/stands/{pending.id}/approve", {},
                  form_url=f"/staff/events/{event.id}/stands")
    client.submit(f"/staff/stands/{other.id}/decline", {"reason": "Geen passende vacatures"})
    db.session.expire_all()
    assert pending.status is BookingStatus.CONFIRMED and pending.stand_number == 1
    assert other.status is BookingStatus.DECLINED
    approved_mail, declined_mail = (m for _, m in mailbox.messages)
    assert "1" in approved_mail.get_body(("plain",)).get_content()
    assert "Geen passende vacatures" in declined_mail.get_body(("plain",)).get_content()
    assert str(ics_of(declined_mail)["METHOD"]) == "CANCEL"


def test_csv_export_is_excel_friendly_and_neutralises_formulas(client, app, login):
    event = small_event(2)
    reserve_stand(event.id, reservation(1, organisation_name="=HYPERLINK(\"x\")",
                                        remarks="+31 bellen"))
    reserve_stand(event.id, reservation(2, organisation_name="Пекарня Київ"))
    login(Role.PLANNER)
    response = client.get(f"/staff/events/{event.id}/stands.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == 3
    assert rows[1][2] == "'=HYPERLINK(\"x\")" and rows[1][-1] == "'+31 bellen"
    assert rows[2][2] == "Пекарня Київ"


def test_staff_move_stand_numbers_on_the_floor_plan(client, app, login):
    event = small_event(4)
    a = reserve_stand(event.id, reservation(1, sector="care")).booking
    b = reserve_stand(event.id, reservation(2, sector="ict")).booking
    c = reserve_stand(event.id, reservation(3, sector="care")).booking
    login(Role.PLANNER)
    url = f"/staff/events/{event.id}/floorplan"
    assert client.submit(url, {f"stand-{a.id}": "4", f"stand-{b.id}": "1",
                               f"stand-{c.id}": "2", "action": "save"}).status_code == 302
    db.session.expire_all()
    assert (a.stand_number, b.stand_number, c.stand_number) == (4, 1, 2)
    clash = client.submit(url, {f"stand-{a.id}": "1", f"stand-{b.id}": "1", "action": "save"},
                          headers=EN).get_data(as_text=True)
    assert "cannot have the same number" in clash
    outside = client.submit(url, {f"stand-{a.id}": "99", "action": "save"},
                            headers=EN).get_data(as_text=True)
    assert "does not exist here" in outside
    # "²" passes str.isdigit() but not int(): it counts as no number, not as an error page.
    superscript = client.submit(url, {f"stand-{a.id}": "²", f"stand-{b.id}": "1",
                                      f"stand-{c.id}": "2", "action": "save"})
    assert superscript.status_code == 302
    db.session.expire_all()
    assert a.stand_number is None
    client.submit(url, {f"stand-{a.id}": "4", f"stand-{b.id}": "1", f"stand-{c.id}": "2",
                        "action": "save"})
    db.session.expire_all()
    assert a.stand_number == 4
    suggestion = client.submit(url, {"action": "suggest"}, headers=EN).get_data(as_text=True)
    assert "Press Save to keep it" in suggestion
    selected = dict(re.findall(r'name="stand-(\d+)">.*?<option value="(\d+)" selected',
                               suggestion, re.S))
    assert abs(int(selected[str(a.id)]) - int(selected[str(c.id)])) == 1


def test_a_returning_employer_gets_a_link_that_fills_in_the_form(client, app, mailbox):
    venue = make_venue()
    past, coming = make_event(venue=venue), make_event(venue=venue, days_ahead=60)
    reserve_stand(past.id, reservation(1, languages=["ti"], locale="en"))
    url = f"/events/{coming.id}/stand/returning"
    known = client.submit(url, {"email": "hr1@bedrijf1.example.nl"}, follow_redirects=True,
                          headers=EN).get_data(as_text=True)
    unknown = client.submit(url, {"email": "new@example.nl"}, follow_redirects=True,
                            headers=EN).get_data(as_text=True)
    message = "If we know this e-mail address, we have sent a link"
    assert message in known and message in unknown
    mail = mailbox.only()
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.get_body(("plain",)).get_content()).group(1)
    assert f"/events/{coming.id}/stand?prefill=" in link
    form = client.get(link, headers=EN).get_data(as_text=True)
    assert 'value="Bedrijf 1 B.V."' in form and 'value="10000001"' in form
    assert 'value="Orderpicker"' in form
    assert re.search(r'value="ti"[^>]*checked|checked[^>]*value="ti"', form)
    expired = client.get(f"/events/{coming.id}/stand?prefill=wrong", headers=EN)
    assert "This link has expired" in expired.get_data(as_text=True)
    assert 'value="Bedrijf 1 B.V."' not in expired.get_data(as_text=True)


def test_staff_see_an_organisations_history_across_events(client, app, login):
    venue = make_venue()
    one, two = make_event(venue=venue, theme="Techniek"), make_event(venue=venue, theme="Zorg",
                                                                     days_ahead=60)
    booking = reserve_stand(one.id, reservation(1)).booking
    reserve_stand(two.id, reservation(1))
    login(Role.PLANNER)
    page = client.get(f"/staff/organisations/{booking.organisation_id}",
                      headers=EN).get_data(as_text=True)
    assert page.index("Zorg") < page.index("Techniek"), "newest event first"
    assert page.count("Confirmed") == 2


def test_repeated_language_choices_are_stored_once(client, app, mailbox):
    event = small_event(1)
    client.submit(f"/events/{event.id}/stand", form_data(1, languages=["uk"] * 60))
    assert bookings()[0].languages == ["uk"]


def test_staff_switch_an_event_to_moderation(client, app, login, mailbox):
    event = small_event(2)
    login(Role.PLANNER)
    client.submit(f"/staff/events/{event.id}/stands", {"needs_approval": "1"})
    db.session.expire_all()
    assert event.stands_need_approval
    client.submit(f"/events/{event.id}/stand", form_data(1))
    assert bookings()[0].status is BookingStatus.PENDING
    assert bookings()[0].stand_number is None
    client.submit(f"/staff/events/{event.id}/stands", {"needs_approval": "0"})
    db.session.expire_all()
    assert not event.stands_need_approval


def test_line_breaks_in_names_cannot_reach_mail_headers(client, app, mailbox):
    event = small_event(1)
    response = client.submit(f"/events/{event.id}/stand", form_data(
        1, contact_name="Eva\r\nBcc: victim@example.org", organisation_name="Bedrijf\n1"))
    assert response.status_code == 302
    assert bookings()[0].contact_name == "Eva Bcc: victim@example.org"
    assert mailbox.messages[0][0] == ["hr1@bedrijf1.example.nl"]
    assert "Bcc" not in mailbox.only()
    manage = client.get(response.headers["Location"])
    assert manage.headers["Cache-Control"] == "no-store"


def test_the_staff_stands_page_costs_the_same_for_few_or_many_employers(client, login, mailbox):
    login(Role.PLANNER)

    def stands_page(employers: int) -> tuple[str, int]:
        event = small_event(2)
        for number in range(employers):
            reserve_stand(event.id, reservation(number + 1))
        with counting_queries() as statements:
            page = client.get(f"/staff/events/{event.id}/stands", headers=EN)
        return page.get_data(as_text=True), len(statements)

    _first, few = stands_page(2)  # Bedrijf 1 and 2 get their stands
    page, many = stands_page(6)  # the same two again, and four on the waiting list
    assert few == many
    assert page.count("2 reservations in total") == 2  # Bedrijf 1 and 2, the second time
    assert "Position 4" in page and "Position 5" not in page
