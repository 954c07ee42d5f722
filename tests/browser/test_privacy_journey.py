"""Erasure in a real Chromium: the candidate through their link, an admin from the staff page;
each page checked with axe-core."""

import pytest

from meetgreet.accounts.models import Role
from meetgreet.extensions import db

from ..privacy.test_erasure import olena, with_link
from ..support.axe import assert_accessible
from ..support.factories import make_event
from ..support.people import held_event
from .test_staff_journey import log_in

pytestmark = pytest.mark.browser


def test_a_candidate_erases_their_data_from_the_ticket_page(page, app):
    token = with_link(olena(make_event(days_ahead=14), checked_in=False))
    page.goto(f"/my/{token}")
    # By address, not text: the Dutch wording arrives with the next translation round.
    page.locator(f"a[href='/my/{token}/erase']").click()
    page.wait_for_url(f"**/my/{token}/erase")
    assert_accessible(page, "erasure explained")
    page.locator("main form button[type=submit]").click()
    page.locator("h1").wait_for()
    assert_accessible(page, "erasure confirmed")
    assert page.goto(f"/my/{token}").status == 404


def test_an_admin_erases_a_candidate_after_confirming(page, app, make_staff):
    event = held_event(days_ago=5)
    registration = olena(event)
    make_staff(Role.ADMIN, email="anna@example.org", name="Anna Admin")
    log_in(page, "anna@example.org")
    page.wait_for_url("**/staff/")
    page.goto(f"/staff/events/{event.id}/candidates/{registration.ref}")
    page.locator(f"a[href='/staff/candidates/{registration.ref}/erase']").click()
    page.wait_for_url("**/erase")
    assert_accessible(page, "staff erasure form")
    page.locator("#reason").select_option("request")
    page.locator("main form button[type=submit]").click()
    assert page.locator("#confirm").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "staff erasure form with an error")
    page.locator("#confirm").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/staff/events/{event.id}/candidates")
    assert "Kovalenko" not in page.locator("main").inner_text()
    db.session.expire_all()
    assert registration.candidate.anonymised_at is not None
