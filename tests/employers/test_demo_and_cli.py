from datetime import timedelta

from sqlalchemy import func, select

from meetgreet.core.types import utcnow
from meetgreet.demo.services import load_demo
from meetgreet.employers.models import BookingStatus, StandBooking
from meetgreet.employers.services import cancel_booking, reserve_stand
from meetgreet.extensions import db
from meetgreet.scheduling.models import Event, EventStatus

from ..support.factories import make_event, make_venue
from .helpers import reservation


def test_the_demo_books_employers_into_the_next_published_event_once(app, client):
    load_demo()
    load_demo()
    # (The held demo event has stands too, for its conversations: see tests/demo.)
    bookings = list(db.session.scalars(select(StandBooking).join(Event).where(
        Event.status != EventStatus.HELD)))
    assert len(bookings) == 18
    (event_id,) = {b.event_id for b in bookings}
    event = db.session.get(Event, event_id)
    assert event.status is EventStatus.PUBLISHED and event.starts_at > utcnow()
    assert all(b.status is BookingStatus.CONFIRMED and b.vacancies for b in bookings)
    assert sorted(b.stand_number for b in bookings) == list(range(1, 19))
    page = client.get(f"/events/{event_id}").get_data(as_text=True)
    assert "Zorggroep Amstelland" in page and "Helpende zorg en welzijn" in page


def test_the_cron_command_passes_expired_offers_on(app, runner, mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "OFFER_HOURS", 0)  # every offer has expired at once
    event = make_event(venue=make_venue(stand_count=1))
    first = reserve_stand(event.id, reservation(1))
    reserve_stand(event.id, reservation(2))
    reserve_stand(event.id, reservation(3))
    cancel_booking(first.booking, now=utcnow() - timedelta(minutes=1))
    result = runner.invoke(args=["stands", "expire-offers"])
    assert result.exit_code == 0, result.output
    assert "1 offer(s) expired, 1 new offer(s) sent." in result.output
    statuses = dict(db.session.execute(
        select(StandBooking.contact_email, StandBooking.status)).all())
    assert statuses["hr2@bedrijf2.example.nl"] is BookingStatus.CANCELLED
    assert statuses["hr3@bedrijf3.example.nl"] is BookingStatus.OFFERED
    assert [r for r, _ in mailbox.messages] == [["hr2@bedrijf2.example.nl"],
                                                ["hr3@bedrijf3.example.nl"]]
    offer = mailbox.messages[1][1].get_body(("plain",)).get_content()
    assert "/stands/manage/" in offer
    assert db.session.scalar(select(func.count(StandBooking.id))) == 3


def test_confirmed_employers_are_reminded_two_days_before_once(app, runner, mailbox):
    soon = make_event(venue=make_venue(stand_count=1), days_ahead=1)
    later = make_event(venue=make_venue(stand_count=1), days_ahead=10)
    reserve_stand(soon.id, reservation(1, locale="en"))
    reserve_stand(soon.id, reservation(2))  # waiting: no reminder
    reserve_stand(later.id, reservation(3))
    assert runner.invoke(args=["stands", "send-reminders"]).output.startswith("1 reminder")
    assert runner.invoke(args=["stands", "send-reminders"]).output.startswith("0 reminder")
    ((recipients, message),) = mailbox.messages
    assert recipients == ["hr1@bedrijf1.example.nl"]
    assert message["Subject"].startswith("Reminder")
    body = message.get_body(("plain",)).get_content()
    assert "Your stand number: 1" in body
    (attachment,) = message.iter_attachments()
    assert attachment.get_param("method") == "REQUEST"
