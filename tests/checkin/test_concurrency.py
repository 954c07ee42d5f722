"""Two doors scan the same badge at the same moment: exactly one check-in.

Real HTTP connections to the threaded live server, so each scan runs in its own thread with its
own database connection, as under gunicorn. All threads are held at a barrier and let go
together.
"""

import http.client
import json
import threading
import time
from urllib.parse import urlsplit

from sqlalchemy import select, update

from meetgreet.accounts.models import Role
from meetgreet.checkin import services
from meetgreet.checkin.models import CheckInAttempt, ScanResult
from meetgreet.extensions import db

from .helpers import registered

PARALLEL = 16


def _scan_together(live_server: str, event_id: int, token: str, bodies: list[dict]) -> list:
    address = urlsplit(live_server)
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, dict]] = []
    errors: list[BaseException] = []

    def door(body: dict) -> None:
        try:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
            connection.connect()
            barrier.wait(timeout=60)
            connection.request("POST", f"/api/events/{event_id}/checkins", json.dumps(body),
                               headers={"Content-Type": "application/json",
                                        "Authorization": f"Bearer {token}"})
            response = connection.getresponse()
            answers.append((response.status, json.loads(response.read())))
            connection.close()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=door, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[:3]
    assert [status for status, _ in answers] == [200] * len(bodies)
    return [answer for _, answer in answers]


def _attempts(event_id: int) -> list[CheckInAttempt]:
    db.session.expire_all()
    return list(db.session.scalars(
        select(CheckInAttempt).where(CheckInAttempt.event_id == event_id)))


def test_parallel_scans_of_one_badge_check_in_once(app, live_server, make_staff, mailbox):
    _device, token = services.issue_device("door", make_staff(Role.ADMIN).id)
    event, registration = registered()
    bodies = [{"code": registration.ticket_code, "nonce": f"door-{n:04d}-scan"}
              for n in range(PARALLEL)]
    answers = _scan_together(live_server, event.id, token, bodies)
    statuses = sorted(answer["status"] for answer in answers)
    assert statuses == ["already_checked_in"] * (PARALLEL - 1) + ["ok"]
    # Every "already" names the one real check-in time.
    db.session.expire_all()
    first = registration.checked_in_at.isoformat()
    assert {answer["checked_in_at"] for answer in answers} == {first}
    results = [attempt.result for attempt in _attempts(event.id)]
    assert results.count(ScanResult.OK) == 1 and len(results) == PARALLEL


def test_one_scan_resent_in_parallel_is_one_record(app, live_server, make_staff, mailbox):
    """A device on a bad connection fires the same scan several times: one record, one answer."""
    _device, token = services.issue_device("door", make_staff(Role.ADMIN).id)
    event, registration = registered()
    bodies = [{"code": registration.ticket_code, "nonce": "the-same-scan-0001"}] * 8
    answers = _scan_together(live_server, event.id, token, bodies)
    assert {answer["status"] for answer in answers} == {"ok"}
    assert len({json.dumps(answer, sort_keys=True) for answer in answers}) == 1
    assert len(_attempts(event.id)) == 1


def _claim_read_then_write(connection, holder, label, now, record):
    """The naive claim: read, wait a moment (as a busy server might), then write."""
    table = holder.table
    first = connection.scalar(select(table.c.checked_in_at).where(table.c.id == holder.id))
    time.sleep(0.3)
    if first is not None:
        return False
    connection.execute(update(table).where(table.c.id == holder.id).values(
        checked_in_at=now, checked_in_by=label))
    connection.execute(services._RECORD, record)
    db.session.commit()
    return True


def test_control_read_then_write_checks_in_twice(app, live_server, make_staff, mailbox,
                                                 monkeypatch):
    """Without the conditional UPDATE the race happens: proof that the test above can fail."""
    monkeypatch.setattr(services, "_claim_and_record", _claim_read_then_write)
    _device, token = services.issue_device("door", make_staff(Role.ADMIN).id)
    event, registration = registered()
    bodies = [{"code": registration.ticket_code, "nonce": f"door-{n:04d}-scan"}
              for n in range(4)]
    answers = _scan_together(live_server, event.id, token, bodies)
    assert sum(answer["status"] == "ok" for answer in answers) > 1
