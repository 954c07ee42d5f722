"""The door in a real Chromium whose camera films a real ticket's QR code (the
`camera_browser` fixture of tests/browser/conftest.py), so the page's own decoder (jsQR from
npm) has to find the code in camera frames, as on a phone at the door."""

import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.candidates.services import cancel
from meetgreet.checkin.models import CheckInAttempt, ScanResult
from meetgreet.extensions import db

from ..badges.test_render import extracted_text
from ..checkin.helpers import registered
from ..conftest import PASSWORD
from ..support.axe import assert_accessible

pytestmark = pytest.mark.browser

def _attempts(registration) -> list[CheckInAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(select(CheckInAttempt).where(
        CheckInAttempt.registration_id == registration.id)))


def result(page, status: str):
    panel = page.locator(f"#door-result.door-result-{status}")
    panel.wait_for(state="visible", timeout=15_000)
    return panel


def test_the_door_scans_by_camera_scanner_and_offline(app, live_server, camera_browser,
                                                      make_staff, mailbox):
    event, olena = registered(latin_name="Olena Kovalenko")
    _, gone = registered(event=event, email="gone@example.org", first_name="Ahmad",
                         last_name="Karimi", latin_name="Ahmad Karimi")
    _, late = registered(event=event, email="late@example.org", first_name="Mariam",
                         last_name="Haile", latin_name="Mariam Haile")
    with app.test_request_context():
        cancel(gone)
    volunteer = make_staff(Role.DOOR, email="door@example.org")

    camera = camera_browser(olena.ticket_code)
    context = camera.new_context(base_url=live_server, viewport={"width": 820, "height": 1180},
                                 locale="nl-NL", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(volunteer.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/door/")
    page.goto(f"/door/events/{event.id}")
    assert page.evaluate("document.activeElement.id") == "scan-code"  # scanner types here
    assert_accessible(page, "door page")
    page.locator(".door-settings summary").click()
    page.locator("#device-label").fill("deur 2")
    page.locator("#device-label").press("Tab")

    # The camera films Olena's ticket: green, with her name and languages.
    page.locator("#camera-toggle").click()
    panel = result(page, "ok")
    assert "Олена Коваленко" in panel.inner_text()
    assert "Olena Kovalenko" in panel.inner_text()
    assert_accessible(page, "door page, green answer")
    db.session.expire_all()
    assert olena.checked_in_at is not None and olena.checked_in_by == "deur 2"
    panel.click()
    page.locator("#camera-toggle").click()  # camera off
    page.wait_for_function("document.querySelector('[data-counter=checked_in]').textContent"
                           " === '1'")

    # The same ticket again, from the USB scanner (it types the code and Enter): amber.
    page.locator("#scan-code").fill(olena.ticket_code)
    page.locator("#scan-code").press("Enter")
    panel = result(page, "already_checked_in")
    assert "deur 2" in panel.inner_text()
    assert_accessible(page, "door page, amber answer")
    panel.click()

    # A cancelled ticket: red.
    page.locator("#scan-code").fill(gone.ticket_code)
    page.locator("#scan-code").press("Enter")
    result(page, "cancelled")
    assert_accessible(page, "door page, red answer")
    page.locator("#door-result").click()

    # The connection drops: the scan waits on the device, and is sent once when it is back.
    context.set_offline(True)
    page.locator("#scan-code").fill(late.ticket_code)
    page.locator("#scan-code").press("Enter")
    result(page, "queued")
    page.locator("#door-queue").wait_for(state="visible")
    assert page.locator("#door-queue [data-part=count]").inner_text() == "1"
    assert_accessible(page, "door page, scan queued offline")
    db.session.expire_all()
    assert late.checked_in_at is None
    context.set_offline(False)
    result(page, "ok")
    page.locator("#door-queue").wait_for(state="hidden")
    assert "Mariam Haile" in page.locator("#door-result").inner_text()
    page.wait_for_timeout(6000)  # a later flush (every 5 s) must not send it again
    attempts = _attempts(late)
    assert [attempt.result for attempt in attempts] == [ScanResult.OK]
    assert [a.result for a in _attempts(olena)] == [ScanResult.OK, ScanResult.ALREADY_CHECKED_IN]
    assert [a.result for a in _attempts(gone)] == [ScanResult.CANCELLED]

    # Kiosk mode: the camera starts by itself; the filmed ticket is already checked in.
    page.goto(f"/door/events/{event.id}?kiosk=1")
    result(page, "already_checked_in")
    assert page.locator(".site-header").is_hidden()
    assert_accessible(page, "kiosk page")
    context.close()


def test_staff_pages_for_badges_devices_and_undo_are_accessible(page, app, make_staff, mailbox):
    from .test_staff_journey import log_in

    event, olena = registered(latin_name="Olena Kovalenko")
    olena_ref = olena.ref
    make_staff(Role.ADMIN, email="anna@example.org", name="Anna Admin")
    log_in(page, "anna@example.org")
    page.wait_for_url("**/staff/")
    page.goto(f"/staff/events/{event.id}/badges")
    assert_accessible(page, "badges page")
    page.goto("/staff/door-devices")
    page.locator("#label").fill("deur 1")
    page.locator("form.panel button[type=submit]").click()
    assert page.locator("code.token").inner_text().startswith("mgd_")
    assert_accessible(page, "door devices page with a new token")
    page.goto(f"/door/events/{event.id}")
    page.locator("#scan-code").fill(olena.ticket_code)
    page.locator("#scan-code").press("Enter")
    result(page, "ok")
    page.goto(f"/door/events/{event.id}/people/{olena_ref}/undo")
    assert_accessible(page, "undo page")
    page.locator("#reason").fill("Verkeerd kaartje gescand")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/door/events/{event.id}")
    db.session.expire_all()
    assert olena.checked_in_at is None


def _badge_link_opens(page, name: str) -> None:
    """The answer's "Print badge" link is shown and opens that person's badge as a PDF."""
    link = page.locator("#door-result [data-part=badge]")
    link.wait_for(state="visible")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert name in extracted_text(response.body())


def test_the_badge_opens_from_the_door_answer_and_the_walk_in_form(page, app, make_staff,
                                                                    mailbox):
    from meetgreet.badges import services as badges
    from meetgreet.employers.services import reserve_stand

    from ..employers.helpers import reservation
    from .test_staff_journey import log_in

    event, olena = registered(latin_name="Olena Kovalenko")
    reserve_stand(event.id, reservation(1))
    with app.test_request_context():
        representative = badges.employer_badges(event)[0]  # the contact person
    make_staff(Role.PLANNER, email="door@example.org", name="Dirk Deur")
    log_in(page, "door@example.org")
    page.wait_for_url("**/staff/")
    page.goto(f"/door/events/{event.id}")
    for code, name in ((olena.ticket_code, "Олена Коваленко"),
                       (representative.qr_payload, representative.name)):
        page.locator("#scan-code").fill(code)
        page.locator("#scan-code").press("Enter")
        assert name in result(page, "ok").inner_text()
        _badge_link_opens(page, name)
        page.locator("#door-result [data-part=close]").click()

    # The planner reads the log from the door page.
    page.locator(f"a[href='/staff/events/{event.id}/door-log']").click()
    page.wait_for_url(f"**/staff/events/{event.id}/door-log")
    assert "Олена Коваленко" in page.locator("table").inner_text()
    assert_accessible(page, "door log")

    page.goto(f"/door/events/{event.id}/walk-in")
    page.fill("#first_name", "Tesfay")
    page.fill("#last_name", "Gebre")
    page.locator("input[name=languages][value=ti]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector(".flash-success")
    link = page.locator(f"a[href^='/door/events/{event.id}/badges/']")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and "Tesfay Gebre" in extracted_text(response.body())


def test_scans_wait_on_the_device_while_logged_out(page, app, make_staff, mailbox):
    """The session ran out (401): the scan is kept, not dropped, and sent after logging in."""
    from .test_staff_journey import log_in

    event, olena = registered(latin_name="Olena Kovalenko")
    make_staff(Role.DOOR, email="door@example.org")
    log_in(page, "door@example.org")
    page.wait_for_url("**/door/")
    page.goto(f"/door/events/{event.id}")
    page.context.clear_cookies()  # logged out, the page still open
    page.locator("#scan-code").fill(olena.ticket_code)
    page.locator("#scan-code").press("Enter")
    assert "Log" in result(page, "unknown").inner_text()  # "Log in" (the server's reason)
    page.locator("#door-queue").wait_for(state="visible")
    assert page.locator("#door-queue [data-part=count]").inner_text() == "1"
    page.wait_for_timeout(6000)  # the next flush (every 5 s) is refused too: still kept
    assert page.locator("#door-queue [data-part=count]").inner_text() == "1"
    db.session.expire_all()
    assert olena.checked_in_at is None

    log_in(page, "door@example.org")
    page.wait_for_url("**/door/")
    page.goto(f"/door/events/{event.id}")
    assert "Олена Коваленко" in result(page, "ok").inner_text()
    page.locator("#door-queue").wait_for(state="hidden")
    db.session.expire_all()
    assert olena.checked_in_at is not None
