"""Staff journeys in a real Chromium, each page checked with axe-core."""

import re

import pytest

from meetgreet.accounts.models import Role
from meetgreet.demo.services import load_demo

from ..conftest import PASSWORD
from ..support.axe import assert_accessible

pytestmark = pytest.mark.browser


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()


def test_a_planner_logs_in_switches_language_and_logs_out(page, app, make_staff):
    load_demo()
    make_staff(Role.PLANNER, email="pieter@example.org", name="Pieter Planner")

    page.goto("/")
    assert_accessible(page, "public start page")
    log_in(page, "pieter@example.org")
    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.get_by_text("Pieter Planner").is_visible()
    assert page.locator(".card").count() >= 3, "the demo's upcoming events are listed"
    assert_accessible(page, "dashboard (nl)")

    page.get_by_role("button", name="Українська").click()
    page.locator("html[lang=uk]").wait_for()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert re.search("[А-Яа-яІі]", page.locator("nav").inner_text())
    assert_accessible(page, "dashboard (uk)")

    page.get_by_role("button", name="العربية").click()
    page.locator("html[lang=ar]").wait_for()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert_accessible(page, "dashboard (ar)")

    page.get_by_role("button", name="Nederlands").click()
    page.locator("html[lang=nl]").wait_for()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login")
    assert_accessible(page, "login page after logout")
    page.goto("/staff/")
    assert "/login" in page.url


def test_a_door_volunteer_is_refused_the_staff_pages(page, app, make_staff):
    make_staff(Role.DOOR, email="dirk@example.org", name="Dirk Deur")
    log_in(page, "dirk@example.org")
    page.wait_for_url("**/door/")
    assert_accessible(page, "door page")
    nav = page.locator("nav").inner_text()
    assert "Dashboard" not in nav
    response = page.goto("/staff/")
    assert response.status == 403
    assert_accessible(page, "403 page")
    assert page.goto("/staff/accounts").status == 403


def test_a_wrong_password_is_told_on_the_field(page, app, make_staff):
    make_staff(Role.COACH, email="carla@example.org")
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("carla@example.org")
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_role("button", name="Inloggen").click()
    error = page.locator(".error")
    error.wait_for()  # the click starts a navigation; wait for the answer page
    assert error.is_visible()
    assert page.get_by_label("Wachtwoord").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "login with error")
