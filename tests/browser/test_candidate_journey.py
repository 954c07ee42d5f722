"""Candidates and the door in a real Chromium on a phone-sized screen, each page checked
with axe-core."""

import io

import pytest
import zxingcpp
from icalendar import Calendar
from PIL import Image
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.candidates.models import Candidate, Registration
from meetgreet.extensions import db
from meetgreet.scheduling.models import EventStatus

from ..conftest import PASSWORD
from ..support.axe import assert_accessible
from ..support.factories import make_event

pytestmark = pytest.mark.browser


def switch_language(page, button: str, code: str) -> None:
    page.get_by_role("button", name=button).click()
    page.locator(f"html[lang={code}]").wait_for()  # the new page, not the old one


def fill_form(page, event, *, first, last, email, phone, language):
    page.locator(f"a[href='/events/{event.id}/register']").click()
    page.wait_for_url(f"**/events/{event.id}/register")
    page.fill("#first_name", first)
    page.fill("#last_name", last)
    page.fill("#phone", phone)
    page.fill("#email", email)
    page.select_option(f"#languages-{language}", "native")
    page.select_option("#dutch_level", "A1")
    page.select_option("#needs_interpreter", "yes")
    page.locator("input[name=sectors][value=care]").check()
    page.check("#consent")


def submit(page) -> None:
    page.locator("main form button[type=submit]").click()


def test_a_candidate_registers_in_ukrainian_and_gets_a_readable_qr(page, app, mailbox):
    event = make_event(theme="Zorg & welzijn", description_uk="Зустріч з роботодавцями.")
    page.goto(f"/events/{event.id}")
    switch_language(page, "Українська", "uk")
    assert_accessible(page, "event page (uk)")
    fill_form(page, event, first="Олена", last="Коваленко", email="olena@example.org",
              phone="06 12345678", language="uk")
    assert_accessible(page, "registration form (uk)")
    page.fill("#first_name", "Олена 😀")
    submit(page)
    assert page.locator("#first_name").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "registration form with an error (uk)")
    assert mailbox.messages == []
    page.fill("#first_name", "Олена")
    page.check("#consent")
    submit(page)
    page.wait_for_url("**/my/*")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert page.get_by_text("Olena Kovalenko").is_visible()
    qr = page.locator(".qr img")
    assert qr.is_visible() and qr.evaluate("img => img.naturalWidth") > 100
    assert_accessible(page, "ticket (uk)")

    registration = db.session.scalars(select(Registration)).one()
    mail = mailbox.only()
    assert mail.get_body(("html",))["Content-Type"].params.get("charset")
    assert 'lang="uk"' in mail.get_body(("html",)).get_content()
    (png,) = [part for part in mail.walk() if part.get_content_type() == "image/png"]
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    assert barcode.text == registration.ticket_code
    (ics,) = [part for part in mail.iter_attachments()
              if part.get_content_type() == "text/calendar"]
    assert Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]["UID"] == event.ical_uid

    page.locator("a[href$='/change']").click()
    page.wait_for_url("**/change")
    page.select_option("#languages-nl", "basic")
    assert_accessible(page, "change languages (uk)")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/my/*")
    db.session.expire_all()
    assert {lang.code for lang in registration.candidate.languages} == {"uk", "nl"}
    page.locator("a[href$='/cancel']").click()
    page.wait_for_url("**/cancel")
    assert_accessible(page, "cancel confirmation (uk)")


def test_a_candidate_registers_in_arabic_and_staff_see_the_arabic_name(page, app, mailbox,
                                                                         make_staff):
    event = make_event()
    make_staff(Role.COACH, email="carla@example.org")
    page.goto(f"/events/{event.id}")
    switch_language(page, "العربية", "ar")
    fill_form(page, event, first="أحمد", last="حداد", email="ahmad@example.org", phone="",
              language="ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_accessible(page, "registration form (ar)")
    submit(page)
    page.wait_for_url("**/my/*")
    assert page.get_by_text("أحمد حداد").is_visible()
    assert_accessible(page, "ticket (ar)")
    mail = mailbox.only()
    assert mail["To"].addresses[0].display_name == "أحمد حداد"
    html = mail.get_body(("html",)).get_content()
    assert 'dir="rtl"' in html and "أحمد" in html

    switch_language(page, "Nederlands", "nl")
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("carla@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/staff/")
    page.goto(f"/staff/events/{event.id}/candidates")
    assert page.get_by_role("link", name="أحمد حداد").is_visible()
    assert_accessible(page, "staff candidate list")
    page.fill("#q", "حداد")
    page.locator("form.filters button").click()
    assert page.locator("tbody tr").count() == 1
    page.get_by_role("link", name="أحمد حداد").click()
    assert_accessible(page, "staff candidate edit")


def test_a_door_volunteer_registers_a_walk_in(page, app, make_staff):
    event = make_event(status=EventStatus.REGISTRATION_CLOSED, days_ahead=0)
    make_staff(Role.DOOR, email="dirk@example.org")
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("dirk@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/door/")
    page.locator(f"a[href='/door/events/{event.id}/walk-in']").click()
    assert_accessible(page, "walk-in form")
    page.fill("#first_name", "Tesfay")
    page.fill("#last_name", "Gebre")
    page.locator("input[name=languages][value=ti]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".flash-success")
    assert "Tesfay Gebre" in page.locator(".flash-success").inner_text()
    assert page.locator("#first_name").input_value() == ""  # ready for the next person
    assert_accessible(page, "walk-in form after registering")
    registration = db.session.scalars(select(Registration)).one()
    assert registration.walk_in and registration.checked_in_at is not None


def test_staff_import_a_csv_with_good_and_bad_rows(page, app, make_staff, tmp_path):
    make_staff(Role.COACH, email="carla@example.org")
    csv_file = tmp_path / "clients.csv"
    csv_file.write_text(
        "Voornaam;Achternaam;E-mail;Mobiel;Talen\n"
        "Олена;Коваленко;olena@example.org;;uk\n"
        "Ali;;ali@example.org;;fa\n"
        "Sara;Haile;;06 1234;ti\n", encoding="utf-8")
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("carla@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/candidates/import")
    assert_accessible(page, "import form")
    page.set_input_files("#file", str(csv_file))
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".row-bad")
    assert page.locator(".row-ok").count() == 1 and page.locator(".row-bad").count() == 2
    assert_accessible(page, "import preview")
    assert db.session.scalar(select(Candidate.id)) is None  # nothing written before confirming
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("h2")
    assert page.locator(".row-bad").count() == 2
    assert db.session.scalars(select(Candidate.last_name)).all() == ["Коваленко"]
    assert_accessible(page, "import result")
