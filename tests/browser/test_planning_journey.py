"""A planner plans a year of Meet & Greets; a visitor finds them and subscribes."""

from datetime import date, timedelta

import pytest
from icalendar import Calendar

from meetgreet.accounts.models import Role

from ..support.axe import assert_accessible
from .test_staff_journey import log_in

pytestmark = pytest.mark.browser


def submit(page, form_selector: str = "main form") -> None:
    page.locator(f"{form_selector} button[type=submit]").last.click()


def test_a_planner_plans_a_year_and_a_visitor_subscribes(page, app, make_staff):
    make_staff(Role.PLANNER, email="pieter@example.org")
    log_in(page, "pieter@example.org")
    page.wait_for_url("**/staff/")

    page.goto("/staff/venues/new")
    for field, value in {"name": "Werkplein Noord", "address": "Buikslotermeerplein 2000",
                         "town": "Amsterdam", "stand_count": "20", "layout_columns": "5",
                         "candidate_capacity": "200"}.items():
        page.fill(f"#{field}", value)
    assert_accessible(page, "new venue form")
    submit(page)
    page.wait_for_url("**/staff/venues/*")
    summer = date(date.today().year + 1, 7, 19)
    page.fill("#blackout-starts_on", str(summer))
    page.fill("#blackout-ends_on", str(summer + timedelta(days=25)))
    page.fill("#blackout-reason", "Zomersluiting")
    page.locator("form[action$='/blackouts'] button[type=submit]").click()
    assert "Zomersluiting" in page.locator(".plain-list li span").first.inner_text()
    assert_accessible(page, "venue with blackout")

    page.goto("/staff/series/new")
    page.fill("#name", "Meet & Greet Noord")
    page.select_option("#weekday", "3")
    page.select_option("#interval_weeks", "5")
    submit(page)
    page.wait_for_url("**/plan")
    first = date.today() + timedelta(days=14)
    page.fill("#first_date", str(first))
    page.fill("#count", "10")
    page.locator("form[method=get] button").click()
    proposals = page.locator("ol.proposal li")
    assert proposals.count() == 10
    assert page.locator("ol.proposal li.conflict").count() == 0
    assert_accessible(page, "plan proposal")
    page.locator("button[name=confirm]").click()
    page.wait_for_url("**/staff/series/*")
    assert page.locator("tbody tr").count() == 10
    assert page.locator(".gap-bad").count() == 0, "every gap keeps the 4-6 week rule"
    assert_accessible(page, "series overview")

    series_url = page.url
    event_urls = [link.get_attribute("href") for link in page.locator("tbody tr a").all()[:3]]
    for url in event_urls:
        page.goto(url)
        page.locator("button[name=status][value=published]").click()
        page.locator(".badge.status-published").wait_for()
    assert_accessible(page, "published event, staff view")
    page.goto(series_url)
    page.locator("nav form.logout button").click()

    page.goto("/")
    cards = page.locator("ul.cards li.card")
    assert cards.count() == 3
    assert_accessible(page, "public list with three events")
    cards.first.locator("h2 a").click()
    assert page.locator("h1").is_visible()
    assert_accessible(page, "public event page")
    page.goto("/")
    feed_url = page.locator(".subscribe a").first.get_attribute("href")
    feed = Calendar.from_ical(page.request.get(feed_url).body())
    assert len(feed.walk("VEVENT")) == 3
