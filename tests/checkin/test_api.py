"""The check-in API contract: every answer, nonce replay, access, and the log."""

import uuid

import pytest
from sqlalchemy import func, select

from meetgreet import create_app
from meetgreet.accounts.models import Role
from meetgreet.candidates.models import RegistrationStatus
from meetgreet.candidates.services import cancel
from meetgreet.checkin import services
from meetgreet.checkin.models import CheckInAttempt, CheckInDevice, ScanResult
from meetgreet.core.tokens import hash_token
from meetgreet.extensions import db, limiter

from ..support.factories import make_event
from ..support.queries import counting_queries
from .helpers import HEADERS, checkin, registered

ENGLISH = {"Accept-Language": "en"}


def nonce() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def door(login):
    return login(Role.DOOR)


def attempts(event_id: int | None = None) -> list[CheckInAttempt]:
    statement = select(CheckInAttempt).order_by(CheckInAttempt.id)
    if event_id is not None:
        statement = statement.where(CheckInAttempt.event_id == event_id)
    db.session.expire_all()
    return list(db.session.scalars(statement))


def test_first_scan_checks_in_and_shows_only_what_the_door_needs(client, door, mailbox):
    event, registration = registered(first_name="Олена", latin_name="Olena Kovalenko",
                                     needs_interpreter=True)
    response = checkin(client, event.id, registration.ticket_code, "scan-0001",
                       device="door 2")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "ok"
    assert answer["name"] == "Олена Коваленко"
    assert answer["latin_name"] == "Olena Kovalenko"
    assert [lang["code"] for lang in answer["languages"]] == ["uk"]
    assert answer["needs_interpreter"] is True
    # Nothing personal beyond those four (no e-mail, phone, ids, codes); the badge link
    # needs the check-in permission to open.
    assert set(answer) == {"status", "kind", "name", "latin_name", "languages",
                           "needs_interpreter", "checked_in_at", "message", "badge_url"}
    assert answer["kind"] == "candidate"
    assert answer["badge_url"] == f"/door/events/{event.id}/badges/{registration.ref}.pdf"
    db.session.expire_all()
    assert registration.checked_in_at is not None
    assert registration.checked_in_by == "door 2"
    [attempt] = attempts()
    assert attempt.result is ScanResult.OK and attempt.device == "door 2"
    assert attempt.staff_user_id == door.id
    assert registration.ticket_code not in attempt.code_hash  # only a hash is kept


def test_second_scan_says_when_and_where_the_first_was(client, door, mailbox):
    event, registration = registered()
    checkin(client, event.id, registration.ticket_code, "scan-0001", device="door 2")
    answer = checkin(client, event.id, registration.ticket_code, "scan-0002",
                     device="door 5").get_json()
    assert answer["status"] == "already_checked_in"
    assert answer["device"] == "door 2"
    assert answer["name"] == "Олена Коваленко"
    db.session.expire_all()
    assert answer["checked_in_at"] == registration.checked_in_at.isoformat()
    assert "door 2" in answer["message"]
    assert registration.checked_in_by == "door 2"  # the first check-in stays
    assert [a.result for a in attempts()] == [ScanResult.OK, ScanResult.ALREADY_CHECKED_IN]


def test_the_code_as_read_out_with_spaces_and_lower_case_works(client, door, mailbox):
    event, registration = registered()
    code = registration.ticket_code
    spaced = " ".join(code[i:i + 5] for i in range(0, len(code), 5)).lower()
    assert checkin(client, event.id, spaced, nonce()).get_json()["status"] == "ok"


def test_cancelled_ticket_is_refused(client, door, mailbox, app):
    event, registration = registered()
    with app.test_request_context():
        cancel(registration)
    assert registration.status is RegistrationStatus.CANCELLED
    answer = checkin(client, event.id, registration.ticket_code, nonce()).get_json()
    assert answer["status"] == "cancelled"
    assert "name" not in answer
    db.session.expire_all()
    assert registration.checked_in_at is None


def test_ticket_for_another_event_names_that_date_only(client, door, mailbox):
    event, registration = registered()
    other, _ = registered(days_ahead=60, email="other@example.org")
    answer = checkin(client, other.id, registration.ticket_code, nonce()).get_json()
    assert answer == {"status": "wrong_event",
                      "event_date": event.starts_at.date().isoformat(),
                      "message": answer["message"]}
    db.session.expire_all()
    assert registration.checked_in_at is None
    assert attempts(other.id)[0].result is ScanResult.WRONG_EVENT


@pytest.mark.parametrize("code", [
    "", "   ", "A" * 26, "x" * 100_0, "'; DROP TABLE registration; --", "\x00\x00", "😀" * 26,
    None, 42, ["A"], {"code": "x"}, True,
])
def test_garbage_is_unknown_and_logged(client, door, mailbox, code):
    event, _ = registered()
    response = checkin(client, event.id, code, nonce())
    assert response.status_code == 200
    assert response.get_json() == {"status": "unknown", "message": response.get_json()["message"]}
    [attempt] = attempts()
    assert attempt.result is ScanResult.UNKNOWN


def test_other_secrets_of_the_same_person_are_unknown(client, door, mailbox):
    event, registration = registered()
    for secret in (registration.ref, registration.link_token, registration.link_token[:26],
                   registration.link_token_hash[:26].upper()):
        assert checkin(client, event.id, secret, nonce()).get_json()["status"] == "unknown"


def test_same_nonce_same_answer_one_record(client, door, mailbox):
    event, registration = registered()
    first = checkin(client, event.id, registration.ticket_code, "retry-after-timeout").get_json()
    again = checkin(client, event.id, registration.ticket_code, "retry-after-timeout").get_json()
    assert first["status"] == "ok"
    assert again == first  # not "already checked in": it is the same scan, sent twice
    assert len(attempts()) == 1


def test_same_nonce_on_another_event_is_another_scan(client, door, mailbox):
    event, registration = registered()
    other, _ = registered(days_ahead=60, email="other@example.org")
    checkin(client, event.id, registration.ticket_code, "same-nonce-1")
    answer = checkin(client, other.id, registration.ticket_code, "same-nonce-1").get_json()
    assert answer["status"] == "wrong_event"
    assert len(attempts()) == 2


@pytest.mark.parametrize("body", [
    b"", b"not json", b"[1, 2]", b'"code"', b'{"code": "ABC"}', b'{"code": "A", "nonce": 5}',
    b'{"code": "A", "nonce": "short"}', b'{"code": "A", "nonce": "has spaces in it"}',
    b'{"code": "A", "nonce": "' + b"n" * 65 + b'"}',
])
def test_a_malformed_request_is_a_400_and_records_nothing(client, door, mailbox, body):
    event, _ = registered()
    response = client.post(f"/api/events/{event.id}/checkins", data=body,
                           headers={**HEADERS, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.is_json
    assert attempts() == []


def test_a_huge_body_is_refused_before_parsing(client, door, mailbox):
    event, _ = registered()
    body = b'{"code": "' + b"A" * 100_000 + b'", "nonce": "abcdefgh"}'
    response = client.post(f"/api/events/{event.id}/checkins", data=body,
                           headers={**HEADERS, "Content-Type": "application/json"})
    assert response.status_code == 413
    assert attempts() == []


def test_unknown_event_is_404(client, door, mailbox):
    response = checkin(client, 999_999, "A" * 26, nonce())
    assert response.status_code == 404 and response.is_json


# --- who may scan -------------------------------------------------------------------------------


def test_anonymous_gets_401_json(client, mailbox):
    event, registration = registered()
    response = checkin(client, event.id, registration.ticket_code, nonce())
    assert response.status_code == 401 and response.is_json
    db.session.expire_all()
    assert registration.checked_in_at is None and attempts() == []


@pytest.mark.parametrize("role", [Role.DOOR, Role.COACH, Role.PLANNER, Role.ADMIN])
def test_every_role_with_check_in_may_scan(client, login, mailbox, role):
    login(role)
    event, registration = registered()
    assert checkin(client, event.id, registration.ticket_code, nonce()).get_json()["status"] == "ok"


def test_session_request_without_the_header_is_refused(client, door, mailbox):
    """A cross-site form post carries the session cookie but cannot add the header."""
    event, registration = registered()
    response = client.post(f"/api/events/{event.id}/checkins",
                           json={"code": registration.ticket_code, "nonce": nonce()})
    assert response.status_code == 400
    response = client.post(f"/api/events/{event.id}/checkins",
                           data={"code": registration.ticket_code, "nonce": nonce()})
    assert response.status_code == 400
    db.session.expire_all()
    assert registration.checked_in_at is None


def test_device_token_scans_and_revoked_token_does_not(client, mailbox, make_staff):
    admin = make_staff(Role.ADMIN)
    device, token = services.issue_device("tablet entrance", admin.id)
    event, registration = registered()
    bearer = {"Authorization": f"Bearer {token}"}
    response = client.post(f"/api/events/{event.id}/checkins", headers=bearer,
                           json={"code": registration.ticket_code, "nonce": nonce()})
    assert response.get_json()["status"] == "ok"
    db.session.expire_all()
    assert registration.checked_in_by == "tablet entrance"
    assert attempts()[0].device_id == device.id
    assert device.token_hash != token and token not in device.token_hash

    services.revoke_device(device)
    response = client.post(f"/api/events/{event.id}/checkins", headers=bearer,
                           json={"code": registration.ticket_code, "nonce": nonce()})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    for wrong in ("mgd_" + "x" * 32, "", "Bearer", token[:-1]):
        response = client.post(f"/api/events/{event.id}/checkins",
                                headers={"Authorization": f"Bearer {wrong}"},
                                json={"code": registration.ticket_code, "nonce": nonce()})
        assert response.status_code == 401
    assert len(attempts()) == 1


def test_admin_issues_and_revokes_tokens_on_the_staff_page(client, login, mailbox):
    login(Role.ADMIN)
    response = client.submit("/staff/door-devices", {"label": "door 3"})
    page = response.get_data(as_text=True)
    token = page.split('<code class="token" dir="ltr">')[1].split("<")[0]
    assert token.startswith("mgd_")
    assert token not in client.get("/staff/door-devices").get_data(as_text=True)  # shown once
    event, registration = registered()
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.post(f"/api/events/{event.id}/checkins", headers=bearer,
                       json={"code": "X", "nonce": nonce()}).status_code == 200
    device = db.session.scalars(select(CheckInDevice).where(
        CheckInDevice.token_hash == hash_token(token))).one()
    client.submit(f"/staff/door-devices/{device.id}/revoke", form_url="/staff/door-devices")
    assert client.post(f"/api/events/{event.id}/checkins", headers=bearer,
                       json={"code": "X", "nonce": nonce()}).status_code == 401


def test_door_role_cannot_issue_tokens(client, door):
    assert client.get("/staff/door-devices").status_code == 403


def test_rate_limit_per_scanner(client, door, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "3 per minute")
    event, _ = registered()
    codes = [checkin(client, event.id, "X", nonce()).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(f"/api/events/{event.id}/checkins/counters").status_code == 429


def test_rate_limit_store_down_keeps_the_door_open_and_counting(app, mailbox, make_staff,
                                                                caplog):
    """Redis unreachable: scans go on, counted per process, and the store is not tried again
    on every scan (an unreachable host could make each one wait)."""
    _device, token = services.issue_device("door 1", make_staff(Role.ADMIN).id)
    event, registration = registered()
    bearer = {"Authorization": f"Bearer {token}"}
    door = create_app({**app.config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0",
                       "CHECKIN_RATE_LIMIT": "2 per minute"})
    try:
        answers = [door.test_client().post(f"/api/events/{event.id}/checkins", headers=bearer,
                                           json={"code": registration.ticket_code,
                                                 "nonce": nonce()})
                   for _ in range(3)]
    finally:
        limiter.init_app(app)  # the extension is shared: give the other tests theirs back
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert [answer.json["status"] for answer in answers[:2]] == ["ok", "already_checked_in"]
    tries = [record for record in caplog.records if "store unreachable" in record.getMessage()]
    assert len(tries) == 1


# --- undo, counters, search ---------------------------------------------------------------------


def test_staff_undo_a_check_in_with_a_reason(client, door, mailbox):
    event, registration = registered()
    checkin(client, event.id, registration.ticket_code, nonce())
    url = f"/door/events/{event.id}/people/{registration.ref}/undo"
    response = client.submit(url, {"reason": ""})
    assert response.status_code == 200  # the reason is required
    db.session.expire_all()
    assert registration.checked_in_at is not None
    response = client.submit(url, {"reason": "Scanned the sister's ticket"})
    assert response.status_code == 302
    db.session.expire_all()
    assert registration.checked_in_at is None and registration.checked_in_by is None
    undone = attempts()[-1]
    assert undone.result is ScanResult.UNDONE
    assert undone.reason == "Scanned the sister's ticket"
    # And the next scan is a first check-in again.
    assert checkin(client, event.id, registration.ticket_code, nonce()).get_json()[
        "status"] == "ok"


def test_counters_are_shared(client, door, mailbox):
    event, registration = registered()
    registered(event=event, email="b@example.org")
    checkin(client, event.id, registration.ticket_code, nonce())
    counters = client.get(f"/api/events/{event.id}/checkins/counters").get_json()
    assert counters == {"registered": 2, "checked_in": 1, "walk_ins": 0}


def test_search_by_name_or_phone_shows_only_what_check_in_needs(client, door, mailbox):
    event, registration = registered(phone="0612345678", latin_name="Olena Kovalenko")
    registered(event=event, email="b@example.org", first_name="Ahmad", last_name="Karimi",
               latin_name="Ahmad Karimi")
    found = client.get(f"/api/events/{event.id}/checkins/search?q=kovalenko").get_json()
    assert [r["name"] for r in found["results"]] == ["Олена Коваленко"]
    assert set(found["results"][0]) == {"kind", "name", "latin_name", "languages",
                                         "needs_interpreter", "ref", "status", "checked_in"}
    found = client.get(f"/api/events/{event.id}/checkins/search?q=06 1234 5678").get_json()
    assert [r["ref"] for r in found["results"]] == [registration.ref]
    # Checking in from the search result, by reference.
    answer = client.post(f"/api/events/{event.id}/checkins", headers=HEADERS,
                         json={"ref": registration.ref, "nonce": nonce()}).get_json()
    assert answer["status"] == "ok"


def test_search_costs_the_same_for_few_or_many_people(client, door, mailbox):
    """The door searches every registration of the event: no query per person (N+1)."""
    event, _ = registered(latin_name="Olena Kovalenko")
    url = f"/api/events/{event.id}/checkins/search?q=kovalenko"
    with counting_queries() as few:
        assert len(client.get(url).get_json()["results"]) == 1
    for number in range(8):
        registered(event=event, email=f"olena{number}@example.org")
    with counting_queries() as many:
        assert len(client.get(url).get_json()["results"]) == 9
    assert len(many) == len(few), "one query per person is back (N+1)"


def test_a_waiting_list_registration_is_refused_by_code_and_by_name(client, door, mailbox):
    """Found by name at the door, a waiting-list place is no ticket: refused, not checked in."""
    event, _ = registered(event=make_event(candidate_capacity=1))
    _, waiting = registered(event=event, email="wait@example.org")
    assert waiting.status is RegistrationStatus.WAITING
    by_ref = client.post(f"/api/events/{event.id}/checkins", headers={**HEADERS, **ENGLISH},
                         json={"ref": waiting.ref, "nonce": nonce()}).get_json()
    by_code = client.post(f"/api/events/{event.id}/checkins", headers={**HEADERS, **ENGLISH},
                          json={"code": waiting.ticket_code, "nonce": nonce()}).get_json()
    for answer in (by_ref, by_code):
        assert answer["status"] == "cancelled"
        assert "waiting list" in answer["message"] and "walk-in" in answer["message"]
    db.session.expire_all()
    assert waiting.checked_in_at is None
    assert [attempt.result for attempt in attempts(event.id)] == [ScanResult.CANCELLED] * 2


def test_count_of_attempts_matches_requests(client, door, mailbox):
    event, registration = registered()
    for _ in range(3):
        checkin(client, event.id, registration.ticket_code, nonce())
    assert db.session.scalar(select(func.count()).select_from(CheckInAttempt)) == 3


def test_a_first_check_in_costs_two_round_trips(client, mailbox, make_staff):
    """The busiest request: one look-up (event, ticket, person and languages together), then
    the conditional UPDATE with the logged attempt, on PostgreSQL in one statement that commits
    by itself; the device token is not looked up again."""
    _device, token = services.issue_device("door 1", make_staff(Role.ADMIN).id)
    event, registration = registered()
    bearer = {"Authorization": f"Bearer {token}"}
    client.post(f"/api/events/{event.id}/checkins", headers=bearer,
                json={"code": "X", "nonce": nonce()})
    url, scan = f"/api/events/{event.id}/checkins", {"code": registration.ticket_code,
                                                     "nonce": nonce()}
    with counting_queries() as statements:
        answer = client.post(url, headers=bearer, json=scan).get_json()
    assert answer["status"] == "ok" and [lang["code"] for lang in answer["languages"]] == ["uk"]
    writes = ["WITH"] if db.engine.dialect.name == "postgresql" else ["UPDATE", "INSERT"]
    assert [statement.split()[0] for statement in statements] == ["SELECT", *writes]


def test_the_caller_sees_the_check_in_a_scan_wrote(app, mailbox, make_staff):
    """On PostgreSQL the scan writes on a connection of its own: what the session held before
    must not stay stale (an undo right after would find no check-in)."""
    event, registration = registered()
    assert registration.checked_in_at is None
    scanner = services.Scanner(label="door 1", staff_user_id=make_staff(Role.DOOR).id)
    with app.test_request_context():  # the answer links to the badge
        answer = services.scan(event.id, registration.ticket_code, nonce(), scanner)
    assert answer["status"] == "ok" and registration.checked_in_at is not None
    assert services.undo(registration, "Verkeerde persoon", scanner)
