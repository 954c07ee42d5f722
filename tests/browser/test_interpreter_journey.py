"""Staff open the demo event's interpreter pages, see the need, add and invite an interpreter
who answers through the mailed link, make the plan, pin one interpreter, make it again (the
pin holds), and print the plan and the signs: in a real Chromium, phone-sized, each page
checked with axe-core. Elements are found by name, not text, so translations break nothing."""

import io
import re

import pypdf
import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.demo.services import load_demo
from meetgreet.extensions import db
from meetgreet.interpreters.models import InterpreterInvitation, InterpreterPost
from meetgreet.interpreters.services import saved_posts

from ..support.axe import assert_accessible
from .test_staff_journey import log_in

pytestmark = pytest.mark.browser


def pdf_text(page, url: str) -> str:
    response = page.request.get(url)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.body()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_need_invite_solve_pin_and_print(page, app, mailbox, make_staff):
    load_demo()
    event = db.session.scalar(select(InterpreterInvitation)).event
    make_staff(Role.PLANNER, email="pieter@example.org", name="Pieter Planner")
    log_in(page, "pieter@example.org")
    base = f"/staff/events/{event.id}/interpreters"

    page.locator(f"a[href='{base}']").first.click()
    page.wait_for_url(f"**{base}")
    assert_accessible(page, "interpreter invitations and answers")
    page.locator(f"a[href='{base}/demand']").click()
    assert page.locator("table.need-table").count() == 2
    assert page.locator("table.need-floor td.taken").count() > 0
    assert_accessible(page, "need per stand and language")

    page.goto("/staff/interpreters/new")
    page.locator("main form button.primary").click()
    assert page.locator(".error").count() >= 2  # a name and a language are needed
    assert_accessible(page, "new interpreter with errors")
    page.locator("#name").fill("Olha Kravets")
    page.locator("input[name=languages][value=uk]").check()
    page.locator("#email").fill("olha@example.org")
    page.locator("main form button.primary").click()
    page.wait_for_url("**/staff/interpreters")
    assert_accessible(page, "interpreter pool")

    page.goto(base)
    page.locator("main form button.primary").click()  # only the new one is ticked
    page.wait_for_url(f"**{base}")
    (recipients, message), = [m for m in mailbox.messages if m[0] == ["olha@example.org"]]
    link = re.search(r"https?://\S+(/interpreter/\S+)",
                     message.get_body(("plain",)).get_content()).group(1)
    page.goto(link)
    assert_accessible(page, "the interpreter's answer page")
    page.locator("input[name=answer][value=yes]").check()
    page.locator("form.panel button[type=submit]").click()
    page.wait_for_url(f"**{link}")
    assert page.locator("strong", has_text=re.compile(".")).count() >= 1

    page.goto(f"{base}/plan")
    page.locator(f"form[action='{base}/plan/solve'] button").click(timeout=30_000)  # solving
    page.wait_for_url(f"**{base}/plan")
    assert page.locator("table.plan-table tbody tr").count() > 0
    assert_accessible(page, "the plan")
    db.session.expire_all()
    pinned = db.session.scalar(select(InterpreterPost).where(InterpreterPost.event_id == event.id)
                               .order_by(InterpreterPost.id))
    name, stand, window = pinned.interpreter.name, pinned.home_stand, pinned.window
    pin_form = page.locator(f"form[action='{base}/rules']:has(input[name=interpreter]"
                            f"[value='{pinned.interpreter.ref}'])"
                            f":has(input[name=stand][value='{stand}'])").first
    pin_form.locator("button[value=pin]").click()
    page.wait_for_url(f"**{base}/plan")
    page.locator(f"form[action='{base}/plan/solve'] button").click(timeout=30_000)  # solving
    page.wait_for_url(f"**{base}/plan")
    db.session.expire_all()
    posts = [post for post in saved_posts(event) if post.interpreter.name == name
             and post.window == window]
    assert len(posts) == 1 and stand in posts[0].stands  # the pin held: they serve it
    assert page.locator(".rules li").count() == 1
    assert_accessible(page, "the plan with a pin")

    plan = pdf_text(page, f"{base}/plan.pdf")
    assert name in plan and f"Stand {stand}" in plan
    signs = pdf_text(page, f"{base}/signs.pdf")
    assert "Tolk / Interpreter:" in signs and "Українська" in signs
