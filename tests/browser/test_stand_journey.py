"""An employer reserves the last stand, the next waits, the first cancels, the waiting one is
promoted, and staff move stands on the floor plan: in a real Chromium, phone-sized, each page
checked with axe-core. Fields are found by name, so translating the labels breaks nothing."""

import re

import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.employers.models import BookingStatus, StandBooking
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db

from ..employers.helpers import reservation
from ..support.axe import assert_accessible
from ..support.factories import make_event, make_venue
from .test_staff_journey import log_in

pytestmark = pytest.mark.browser


def fill_reservation(page, number: int) -> None:
    page.locator("#organisation_name").fill(f"Werkgever {number}")
    page.locator("#kvk_number").fill(f"5000 000{number}")
    page.locator("#sector").select_option("care")
    page.locator("#website").fill(f"werkgever{number}.example.nl")
    page.locator("#town").fill("Amsterdam")
    page.locator("#contact_name").fill(f"Contact {number}")
    page.locator("#contact_email").fill(f"contact{number}@werkgever.example.nl")
    page.locator("#contact_phone").fill("020 555 1234")
    page.locator("#representatives").fill("2")
    page.locator("input[name=languages][value=uk]").check()
    page.locator("input[name=interpreter_languages][value=ar]").check()
    page.locator("#vacancies-0-title").fill("Helpende zorg")
    page.locator("#vacancies-0-hours_per_week").fill("24")
    page.locator("#vacancies-0-route_possible").check()


def mailed_link(mailbox, to: str) -> str:
    for recipients, message in reversed(mailbox.messages):
        if recipients == [to]:
            body = message.get_body(("plain",)).get_content()
            return re.search(r"https?://\S+(/stands/manage/\S+)", body).group(1)
    raise AssertionError(f"no mail to {to}")


def status_of(email: str) -> BookingStatus:
    db.session.expire_all()
    return db.session.scalar(select(StandBooking.status).where(StandBooking.contact_email == email))


def test_reserve_wait_cancel_promote_and_place(page, app, mailbox, make_staff):
    event = make_event(venue=make_venue(stand_count=3, layout_columns=3), theme="Zorg")
    reserve_stand(event.id, reservation(1, sector="ict"))
    reserve_stand(event.id, reservation(2, sector="care"))
    first, second = "contact1@werkgever.example.nl", "contact2@werkgever.example.nl"

    page.goto(f"/events/{event.id}")
    assert_accessible(page, "event page with participants")
    page.locator(f"a[href$='/events/{event.id}/stand']").click()
    page.locator("form.stand-form button[type=submit]").click()
    assert page.locator(".error").count() >= 5
    assert_accessible(page, "reservation form with errors")
    fill_reservation(page, 1)
    page.locator("form.stand-form button[type=submit]").click()
    page.wait_for_url("**/stands/manage/**")
    assert page.locator(".stand-number strong").inner_text() == "3"
    assert_accessible(page, "manage page, confirmed")
    assert status_of(first) is BookingStatus.CONFIRMED
    assert mailed_link(mailbox, first)

    page.goto(f"/events/{event.id}/stand")
    fill_reservation(page, 2)
    page.locator("form.stand-form button[type=submit]").click()
    page.wait_for_url("**/stands/manage/**")
    assert status_of(second) is BookingStatus.WAITING
    assert_accessible(page, "manage page, waiting list")

    page.goto(mailed_link(mailbox, first))
    page.locator("a[href$='/cancel']").click()
    assert_accessible(page, "cancel confirmation")
    page.locator("button.primary").click()
    page.wait_for_url(re.compile(r".*/stands/manage/[^/]+$"))
    assert status_of(first) is BookingStatus.CANCELLED
    assert status_of(second) is BookingStatus.OFFERED
    assert [r for r, _ in mailbox.messages[-2:]] == [[first], [second]], "cancelled, offered"

    page.goto(mailed_link(mailbox, second))
    assert_accessible(page, "manage page, offered")
    page.locator("form[action$='/accept'] button").click()
    page.wait_for_url(re.compile(r".*/stands/manage/[^/]+$"))
    assert status_of(second) is BookingStatus.CONFIRMED
    assert page.locator(".stand-number strong").inner_text() == "3"
    assert mailbox.messages[-1][0] == [second]

    assert page.goto("/stands/manage/no-such-link").status == 404
    assert page.locator("#email").is_visible()
    assert_accessible(page, "wrong manage link")
    page.goto(f"/events/{event.id}/stand/returning")
    assert_accessible(page, "returning employer")

    make_staff(Role.PLANNER, email="pia@example.org")
    log_in(page, "pia@example.org")
    page.wait_for_url("**/staff/")
    page.goto(f"/staff/events/{event.id}/stands")
    assert_accessible(page, "staff stand list")
    page.goto(f"/staff/events/{event.id}/floorplan")
    assert_accessible(page, "floor plan")
    booking_id = db.session.scalar(
        select(StandBooking.id).where(StandBooking.contact_email == second))
    ict_id = db.session.scalar(select(StandBooking.id).where(StandBooking.stand_number == 1))
    page.locator(f"#stand-{booking_id}").select_option("1")
    page.locator(f"#stand-{ict_id}").select_option("3")
    page.locator("button[value=save]").click()
    page.wait_for_url(f"**/staff/events/{event.id}/floorplan")
    db.session.expire_all()
    assert db.session.get(StandBooking, booking_id).stand_number == 1
    assert db.session.get(StandBooking, ict_id).stand_number == 3
    assert "Werkgever 2" in page.locator(".floorplan td").first.inner_text()
    assert_accessible(page, "floor plan after moving")
