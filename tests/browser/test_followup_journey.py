"""During an event a representative records a conversation by badge code; staff print the
attendance and follow-up lists and mail each employer theirs; a coach plans the follow-up and
records an internship; the dashboard counts it. Real Chromium, phone-sized, axe on each page;
fields found by id or name, so translating the labels breaks nothing."""

import io
from datetime import timedelta

import pypdfium2
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.extensions import db
from meetgreet.followup.models import Conversation, Outcome, OutcomeKind
from meetgreet.followup.services import local_today
from meetgreet.reports import dashboard

from ..support.axe import assert_accessible
from ..support.people import live_event, person, stand
from .test_staff_journey import log_in

pytestmark = pytest.mark.browser


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rendered_ink(data: bytes) -> int:
    """Dark pixels on the first page rendered to an image: the list is really drawn."""
    bitmap = pypdfium2.PdfDocument(data)[0].render(scale=1).to_pil().convert("L")
    return sum(bitmap.histogram()[:128])


def test_from_the_stand_to_an_internship(page, app, mailbox, make_staff):
    coach = make_staff(Role.COACH, email="carla@example.org", name="Carla Coach")
    make_staff(Role.PLANNER, email="pieter@example.org", name="Pieter Planner")
    event = live_event(theme="Zorg en welzijn")
    booking, token = stand(event, 1, name="Zorggroep Amstel", email="hr@zorggroep.example.nl")
    olena = person(event, "Олена", "Коваленко", latin="Olena Kovalenko",
                   email="olena@example.org", languages=("uk", "ru"), coach=coach)
    person(event, "Ahmad", "Haddad", latin="Ahmad Haddad", checked_in=False)

    # At the stand, on a phone.
    page.goto(f"/stands/manage/{token}")
    assert_accessible(page, "manage page during the event")
    page.locator(f"a[href$='/stands/manage/{token}/conversations']").click()
    assert_accessible(page, "conversations at the stand")
    page.locator("form.conversation-form button[type=submit]").click()
    assert page.locator(".error").count() >= 2
    assert_accessible(page, "conversation form with errors")
    # As a USB scanner does it: the code, then Enter, which moves on to the interest.
    page.locator("#code").fill(olena.ticket_code[:13].lower() + " " + olena.ticket_code[13:])
    page.locator("#code").press("Enter")
    assert page.evaluate("document.activeElement.name") == "interest"
    page.locator("input[name=interest][value=interested]").check()
    page.locator("#next_step").select_option("internship")
    page.locator("#note").fill("<b>Wil</b> in de zorg werken")
    page.locator("form.conversation-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    row = page.locator("table tbody tr").first
    assert "Олена" in row.inner_text() and "<b>Wil</b>" in row.inner_text()
    assert "Коваленко" not in page.content() and "olena@example.org" not in page.content()
    assert_accessible(page, "conversation saved")

    # After the event: the planner prints the lists and mails each employer theirs.
    log_in(page, "pieter@example.org")
    page.goto("/staff/lists")
    assert_accessible(page, "events with lists")
    page.locator(f"a[href$='/staff/events/{event.id}/lists']").click()
    assert_accessible(page, "lists of the event")
    attendance = page.request.get(f"/staff/events/{event.id}/lists/attendance.pdf").body()
    text = pdf_text(attendance)
    assert "Олена Коваленко" in text and "Ahmad Haddad" in text
    assert rendered_ink(attendance) > 500
    follow_up = page.request.get(f"/staff/events/{event.id}/lists/follow-up.pdf").body()
    text = pdf_text(follow_up)
    assert "Олена Коваленко" in text and "Zorggroep Amstel" in text
    assert rendered_ink(follow_up) > 500
    page.locator(f"form[action$='/staff/events/{event.id}/lists/send-to-employers'] "
                 "button").click()
    page.locator(".flash-success").wait_for()
    assert_accessible(page, "lists sent")
    (recipients, message), = mailbox.messages
    assert recipients == ["hr@zorggroep.example.nl"]
    attachment = next(message.iter_attachments())
    assert "Олена" in pdf_text(attachment.get_content())
    assert "Коваленко" not in pdf_text(attachment.get_content())

    # The coach plans the follow-up and records the internship.
    page.context.clear_cookies()
    log_in(page, "carla@example.org")
    page.goto(f"/staff/events/{event.id}/conversations")
    assert_accessible(page, "conversations for staff")
    conversation = db.session.scalar(select(Conversation))
    page.locator(f"a[href$='/staff/conversations/{conversation.ref}/follow-up']").click()
    assert_accessible(page, "plan a follow-up")
    page.locator("#due_on").fill((local_today() - timedelta(days=1)).isoformat())
    page.locator("form.narrow-form button[type=submit]").click()
    page.locator("#due_on-error-0").wait_for()  # after the form's round trip
    assert_accessible(page, "follow-up with a past date")
    page.locator("#due_on").fill((local_today() + timedelta(days=7)).isoformat())
    page.locator("form.narrow-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    page.goto("/staff/follow-ups")
    assert "Олена" in page.locator("table").inner_text()
    assert_accessible(page, "my follow-ups")
    page.locator(f"a[href$='/staff/candidates/{olena.ref}/timeline']").click()
    assert_accessible(page, "timeline")
    page.locator("#kind").select_option("internship_started")
    page.locator("#happened_on").fill(local_today().isoformat())
    page.locator("#note").fill("Stage bij Zorggroep Amstel")
    page.locator("#kind").locator("xpath=ancestor::form").locator(
        "button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    assert "Stage bij Zorggroep Amstel" in page.locator(".timeline").inner_text()
    db.session.expire_all()
    assert db.session.scalar(select(Outcome.kind)) is OutcomeKind.INTERNSHIP_STARTED

    # The dashboard counts it.
    page.goto(f"/staff/dashboard/outcomes?event={event.id}")
    assert_accessible(page, "outcomes dashboard")
    figures = page.locator("table").first.inner_text()
    assert "\t1" in figures  # placed: one
    # The funnel rows come in FUNNEL order, placed sixth, then "of whom in work/an internship".
    numbers = page.locator("table").first.locator("tbody tr td").all_inner_texts()
    assert numbers[5:8] == ["1", "0", "1"]
    assert dashboard.figures([event]).placed == {"internship": 1}
    chart = page.request.get(
        f"/staff/dashboard/outcomes/funnel.svg?event={event.id}")
    assert chart.ok and b"<svg" in chart.body()


def test_a_planner_shares_out_follow_ups_and_sees_interpreter_coverage(page, app, make_staff):
    from meetgreet.followup.models import FollowUp
    from meetgreet.followup.services import create_follow_up

    from ..reports.test_dashboard import interpreter_event
    from ..support.people import held_event

    planner = make_staff(Role.PLANNER, email="pieter@example.org", name="Pieter Planner")
    carla = make_staff(Role.COACH, email="carla@example.org", name="Carla Coach")
    event = held_event()
    items = [create_follow_up(person(event, name).candidate, planner, local_today(),
                              action="Bellen") for name in ("Olena", "Ahmad", "Mariam")]
    log_in(page, "pieter@example.org")
    page.goto("/staff/follow-ups")
    page.locator("form.assign-form button[type=submit]").click()
    page.locator("#follow_ups-error-0").wait_for()
    assert page.locator("#owner-error-0").is_visible()
    assert_accessible(page, "follow-ups, nothing ticked and no owner")
    for item in items[:2]:
        page.locator(f"#pick-{item.ref}").check()
    page.locator("#owner").select_option(str(carla.id))
    page.locator("form.assign-form button[type=submit]").click()
    page.locator(".flash-success").wait_for()
    assert_accessible(page, "follow-ups given a new owner")
    db.session.expire_all()
    assert [db.session.get(FollowUp, item.id).owner_id for item in items] == [
        carla.id, carla.id, planner.id]
    page.goto("/staff/follow-ups?show=all")
    assert page.locator("input[name=follow_ups]").count() == 3
    assert_accessible(page, "all open follow-ups")

    other = interpreter_event(10, plan=True)
    page.goto(f"/staff/dashboard/outcomes?event={other.id}")
    assert page.locator("img.chart[src*='interpreters.svg']").is_visible()
    assert_accessible(page, "outcomes dashboard with interpreter coverage")
