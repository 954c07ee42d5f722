"""The reservation rules, called directly: capacity, waiting list, offers, moderation."""

from datetime import timedelta

import pytest

from meetgreet.core.types import utcnow
from meetgreet.employers.models import BookingStatus, InvalidTransition, Organisation
from meetgreet.employers.services import (
    AlreadyBooked,
    ReservationRefused,
    StandNumberError,
    accept_offer,
    approve_booking,
    assign_stand_numbers,
    booking_for_token,
    cancel_booking,
    decline_booking,
    expire_offers,
    reserve_stand,
    stands_taken,
    suggest_by_sector,
    waiting_position,
)
from meetgreet.extensions import db
from meetgreet.scheduling.models import EventStatus

from ..support.factories import make_event, make_venue
from .helpers import reservation


def small_event(stands: int = 2, **fields):
    return make_event(venue=make_venue(stand_count=stands), **fields)


def test_stands_are_confirmed_until_full_then_the_waiting_list_fills_in_order(app):
    event = small_event(2)
    first = reserve_stand(event.id, reservation(1))
    second = reserve_stand(event.id, reservation(2))
    third = reserve_stand(event.id, reservation(3))
    fourth = reserve_stand(event.id, reservation(4))
    assert [o.kind for o in (first, second, third, fourth)] == [
        "confirmed", "confirmed", "waiting", "waiting"]
    assert {first.booking.stand_number, second.booking.stand_number} == {1, 2}
    assert third.booking.stand_number is None
    assert waiting_position(third.booking) == 1
    assert waiting_position(fourth.booking) == 2
    assert stands_taken(event.id) == 2
    assert first.booking.vacancies[0].title == "Orderpicker"
    assert first.booking.languages == ["nl", "uk"]


def test_reserving_a_stand_leaves_the_event_and_its_calendar_stamp_unchanged(app):
    event = small_event(1)
    stamp = event.updated_at
    reserve_stand(event.id, reservation(1))
    cancel_booking(reserve_stand(event.id, reservation(2)).booking)
    db.session.expire_all()
    assert db.session.get(type(event), event.id).updated_at == stamp


def test_a_returning_organisation_is_one_record_across_events(app):
    venue = make_venue()
    one, two = make_event(venue=venue), make_event(venue=venue, days_ahead=60)
    reserve_stand(one.id, reservation(1))
    reserve_stand(two.id, reservation(1, town="Diemen"))
    (organisation,) = db.session.scalars(db.select(Organisation)).all()
    assert organisation.town == "Diemen"
    assert len(organisation.bookings) == 2


def test_a_second_reservation_of_the_same_organisation_is_refused_with_a_fresh_link(app):
    event = small_event(3)
    original = reserve_stand(event.id, reservation(1))
    with pytest.raises(AlreadyBooked) as same_kvk:
        reserve_stand(event.id, reservation(1, contact_email="other@example.nl"))
    assert booking_for_token(same_kvk.value.token) is original.booking
    assert booking_for_token(original.token) is None  # only the newest link opens it
    with pytest.raises(AlreadyBooked) as same_email:
        reserve_stand(event.id, reservation(2, contact_email=original.booking.contact_email))
    assert same_email.value.booking is original.booking
    assert stands_taken(event.id) == 1


@pytest.mark.parametrize(("status", "reason"), [
    (EventStatus.DRAFT, "not_open"), (EventStatus.CANCELLED, "cancelled"),
    (EventStatus.REGISTRATION_CLOSED, "closed"),
])
def test_no_reservation_for_events_that_do_not_take_them(app, status, reason):
    event = small_event(status=status)
    with pytest.raises(ReservationRefused) as refused:
        reserve_stand(event.id, reservation(1))
    assert refused.value.reason == reason
    assert stands_taken(event.id) == 0


def test_no_reservation_after_employer_registration_closes(app):
    event = small_event(employer_registration_closes_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(ReservationRefused):
        reserve_stand(event.id, reservation(1))
    assert db.session.scalars(db.select(Organisation)).all() == []


def test_cancelling_offers_the_stand_to_the_first_waiting_who_must_confirm(app):
    event = small_event(1)
    first = reserve_stand(event.id, reservation(1))
    waiting = reserve_stand(event.id, reservation(2))
    later = reserve_stand(event.id, reservation(3))
    now = utcnow()
    outcomes = cancel_booking(first.booking, now=now)
    assert [o.kind for o in outcomes] == ["cancelled", "offered"]
    offered = outcomes[1].booking
    assert offered.id == waiting.booking.id
    assert offered.status is BookingStatus.OFFERED
    assert offered.offer_expires_at == now + timedelta(hours=48)
    assert first.booking.stand_number is None
    assert waiting_position(later.booking) == 1
    # The offered stand still counts: nobody else can take it meanwhile.
    assert reserve_stand(event.id, reservation(4)).kind == "waiting"
    accepted = accept_offer(offered, now=now + timedelta(hours=1))
    assert accepted.kind == "confirmed"
    assert offered.status is BookingStatus.CONFIRMED
    assert offered.stand_number == 1


@pytest.mark.parametrize("why", ["event cancelled", "event started"])
def test_no_stand_is_offered_for_a_cancelled_or_started_event(app, why):
    event = small_event(1)
    first = reserve_stand(event.id, reservation(1))
    waiting = reserve_stand(event.id, reservation(2))
    now = utcnow()
    if why == "event cancelled":
        event.status = EventStatus.CANCELLED
        db.session.commit()
    else:
        now = event.starts_at + timedelta(minutes=5)
    outcomes = cancel_booking(first.booking, now=now)
    assert [o.kind for o in outcomes] == ["cancelled"]
    assert waiting.booking.status is BookingStatus.WAITING


def test_an_offer_not_taken_in_time_passes_to_the_next(app):
    event = small_event(1)
    first = reserve_stand(event.id, reservation(1))
    second = reserve_stand(event.id, reservation(2))
    third = reserve_stand(event.id, reservation(3))
    now = utcnow()
    cancel_booking(first.booking, now=now)
    assert expire_offers(now + timedelta(hours=47)) == []
    outcomes = expire_offers(now + timedelta(hours=49))
    assert [(o.kind, o.booking.id) for o in outcomes] == [
        ("offer_expired", second.booking.id), ("offered", third.booking.id)]
    assert second.booking.status is BookingStatus.CANCELLED
    with pytest.raises(ValueError):
        accept_offer(second.booking, now=now + timedelta(hours=50))


def test_moderated_events_hold_stands_as_pending_until_staff_decide(app):
    event = small_event(1, stands_need_approval=True)
    pending = reserve_stand(event.id, reservation(1))
    waiting = reserve_stand(event.id, reservation(2))
    assert (pending.kind, waiting.kind) == ("pending", "waiting")
    assert pending.booking.stand_number is None
    outcomes = decline_booking(pending.booking, "Geen vacatures in de regio.")
    assert [o.kind for o in outcomes] == ["declined", "offered"]
    assert pending.booking.decline_reason == "Geen vacatures in de regio."
    assert accept_offer(waiting.booking).kind == "pending"
    approved = approve_booking(waiting.booking)
    assert approved.kind == "approved"
    assert waiting.booking.status is BookingStatus.CONFIRMED
    assert waiting.booking.stand_number == 1
    assert booking_for_token(approved.token) is waiting.booking


def test_states_move_only_through_allowed_transitions(app):
    event = small_event(1)
    booking = reserve_stand(event.id, reservation(1)).booking
    with pytest.raises(InvalidTransition):
        approve_booking(booking)  # confirmed already
    cancel_booking(booking)
    with pytest.raises(InvalidTransition):
        cancel_booking(booking)
    with pytest.raises(InvalidTransition):
        booking.move_to(BookingStatus.CONFIRMED)


def test_manage_links_expire_a_month_after_the_event(app):
    event = small_event(1)
    outcome = reserve_stand(event.id, reservation(1))
    assert booking_for_token(outcome.token) is outcome.booking
    assert booking_for_token(outcome.token, now=event.ends_at + timedelta(days=29)) is not None
    assert booking_for_token(outcome.token, now=event.ends_at + timedelta(days=31)) is None
    tampered = ("y" if outcome.token[0] == "x" else "x") + outcome.token[1:]
    assert booking_for_token(tampered) is None
    assert outcome.token not in outcome.booking.manage_token_hash


def test_stand_numbers_are_unique_and_suggested_by_sector(app):
    event = small_event(4)
    care = reserve_stand(event.id, reservation(1, sector="care")).booking
    logistics = reserve_stand(event.id, reservation(2, sector="logistics")).booking
    care2 = reserve_stand(event.id, reservation(3, sector="care")).booking
    with pytest.raises(StandNumberError):
        assign_stand_numbers(event, {care.id: 1, logistics.id: 1})
    with pytest.raises(StandNumberError):
        assign_stand_numbers(event, {care.id: 5})
    assign_stand_numbers(event, {care.id: 4, logistics.id: 1, care2.id: None})
    assert (care.stand_number, logistics.stand_number, care2.stand_number) == (4, 1, None)
    suggestion = suggest_by_sector(event)
    assert abs(suggestion[care.id] - suggestion[care2.id]) == 1
    assert sorted(suggestion.values()) == [1, 2, 3]
