"""At the stand, a representative's phone camera films a candidate's badge: the page's own
decoder (jsQR) reads it, the badge is looked up, the person is picked and the conversation is
recorded. A badge of another event says why it cannot be used. Real Chromium with a fake
camera (tests/browser/conftest.py), phone-sized, axe on each state."""

import pytest
from sqlalchemy import select

from meetgreet.extensions import db
from meetgreet.followup.models import Conversation, Interest, NextStep
from meetgreet.followup.views import refusal_message

from ..support.axe import assert_accessible
from ..support.people import live_event, person, stand

pytestmark = pytest.mark.browser


def phone(camera, live_server):
    context = camera.new_context(base_url=live_server, viewport={"width": 390, "height": 844},
                                 locale="nl-NL", bypass_csp=True)  # bypass: to inject axe
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_the_representative_scans_a_badge_with_the_phone_camera(app, live_server,
                                                                camera_browser):
    event = live_event()
    booking, token = stand(event, 1, name="Zorggroep Amstel")
    olena = person(event, "Олена", "Коваленко", languages=("uk",), email="olena@example.org")
    person(event, "Ahmad", "Haddad")
    url = f"/stands/manage/{token}/conversations"

    page = phone(camera_browser(olena.ticket_code), live_server)
    page.goto(url)
    assert page.locator("#camera-toggle").is_visible()
    assert_accessible(page, "conversations at the stand, camera off")
    page.locator("#camera-toggle").click()
    page.locator("#scan-status.scan-status-ok").wait_for()
    assert "Олена" in page.locator("#scan-status").inner_text()
    assert page.locator("#code").input_value() == olena.ticket_code
    assert page.locator("#candidate").input_value() == olena.ref
    assert page.evaluate("document.activeElement.name") == "interest"  # the form goes on
    assert page.locator("#camera-toggle").get_attribute("aria-pressed") == "true"
    assert_accessible(page, "conversations at the stand, badge scanned")
    page.locator("input[name=interest][value=interested]").check()
    page.locator("#next_step").select_option("interview")
    page.locator("#note").fill("Wil graag in de thuiszorg werken")
    page.locator("form.conversation-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    db.session.expire_all()
    conversation = db.session.scalar(select(Conversation))
    assert conversation.registration_id == olena.id and conversation.booking == booking
    assert conversation.interest is Interest.INTERESTED
    assert conversation.next_step is NextStep.INTERVIEW
    assert "Олена" in page.locator("table tbody tr").first.inner_text()
    # Continuous: after saving, the camera is on again for the next person.
    page.locator("#scan-status.scan-status-ok").wait_for()
    assert page.locator("#camera-toggle").get_attribute("aria-pressed") == "true"
    assert_accessible(page, "conversation saved, camera on again")
    page.locator("#camera-toggle").click()
    assert page.locator("#camera-video").is_hidden()
    page.context.close()

    # A badge from another Meet & Greet: a clear message, and nothing is filled in.
    elsewhere = person(live_event(), "Mariam", "Yusuf")
    page = phone(camera_browser(elsewhere.ticket_code), live_server)
    page.goto(url)
    page.locator("#camera-toggle").click()
    page.locator("#scan-status.scan-status-error").wait_for()
    with app.test_request_context(headers={"Accept-Language": "nl"}):
        expected = refusal_message("other_event")
    assert page.locator("#scan-status").inner_text() == expected
    assert page.locator("#code").input_value() == ""
    assert page.locator("#candidate").input_value() == ""
    assert_accessible(page, "conversations at the stand, badge of another event")
    page.context.close()
    assert db.session.scalar(select(db.func.count(Conversation.id))) == 1
