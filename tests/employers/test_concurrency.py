"""Capacity never oversells: 50 employers press "Reserve" at the same moment for 3 free stands.

The requests go over real HTTP connections to the threaded live server, so each is handled in
its own thread with its own database connection, as in production. The control test switches
the lock off and shows the race that the lock prevents, on both backends; STAND_RACE_DELAY
(honoured only when locking is off, and only ever set by this test) widens the gap between
"check" and "create" so the race shows every time instead of now and then.
"""

import http.client
import re
import threading
from urllib.parse import urlencode, urlsplit

import pytest
from sqlalchemy import func, select

from meetgreet.employers.models import BookingStatus, StandBooking
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db

from ..support.factories import make_event, make_venue
from .helpers import form_data, reservation

PARALLEL = 50
STANDS = 5
ALREADY_BOOKED = 2  # so 3 stands are left


def _counts(event_id: int) -> dict[BookingStatus, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(StandBooking.status, func.count()).where(StandBooking.event_id == event_id)
        .group_by(StandBooking.status))
    return dict(rows.all())


def _post_reservations(live_server: str, event_id: int) -> list[int]:
    """Every thread loads the form first, then all post together at a barrier."""
    address = urlsplit(live_server)
    path = f"/events/{event_id}/stand"
    barrier = threading.Barrier(PARALLEL)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def employer(number: int) -> None:
        try:
            form_page = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            form_page.request("GET", path)
            response = form_page.getresponse()
            html = response.read().decode()
            cookie = response.getheader("Set-Cookie").split(";")[0]
            token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
            form_page.close()
            body = urlencode({**form_data(number), "csrf_token": token}, doseq=True)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            barrier.wait(timeout=60)
            connection.request("POST", path, body, headers={
                "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
            connection.close()
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=employer, args=(n,)) for n in range(100, 100 + PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    return statuses


@pytest.fixture
def last_three_stands(app, monkeypatch):
    monkeypatch.setitem(app.config, "STAND_RATE_LIMIT", "1000 per minute")
    event = make_event(venue=make_venue(stand_count=STANDS))
    for number in range(ALREADY_BOOKED):
        reserve_stand(event.id, reservation(number))
    return event


def test_parallel_reservations_never_oversell(app, live_server, mailbox, last_three_stands):
    event = last_three_stands
    statuses = _post_reservations(live_server, event.id)
    assert statuses == [302] * PARALLEL
    counts = _counts(event.id)
    assert counts[BookingStatus.CONFIRMED] == STANDS
    assert counts[BookingStatus.WAITING] == PARALLEL - (STANDS - ALREADY_BOOKED)
    numbers = db.session.scalars(select(StandBooking.stand_number).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED))
    assert sorted(numbers) == list(range(1, STANDS + 1))
    assert len(mailbox.messages) == PARALLEL  # each employer is told what they got


def test_control_without_the_lock_the_race_oversells(app, live_server, mailbox,
                                                     last_three_stands, monkeypatch):
    monkeypatch.setitem(app.config, "STAND_LOCKING", False)
    monkeypatch.setitem(app.config, "STAND_RACE_DELAY", 0.3)
    event = last_three_stands
    _post_reservations(live_server, event.id)
    counts = _counts(event.id)
    assert counts[BookingStatus.CONFIRMED] > STANDS, (
        f"expected the unlocked path to oversell, got {counts}")
