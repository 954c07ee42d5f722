"""Whatever a scanner (or an attacker) sends, the API answers 2xx or 4xx and stores nothing
half: a 200 is exactly one logged attempt, anything else is none, and nobody is checked in
by a code that is not theirs."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from meetgreet.accounts.models import Role
from meetgreet.checkin.models import CheckInAttempt
from meetgreet.core.tokens import CODE_ALPHABET
from meetgreet.extensions import db

from .helpers import HEADERS, registered

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)
codes = (st.text(alphabet=CODE_ALPHABET + " -abc\x00é", max_size=40) | st.text(max_size=200)
         | json_values)
nonces = st.from_regex(r"[A-Za-z0-9_.:-]{8,64}", fullmatch=True) | json_values
bodies = st.fixed_dictionaries({}, optional={"code": codes, "nonce": nonces, "ref": codes,
                                             "extra": json_values})

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def door_event(client, login, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "100000 per minute")
    login(Role.DOOR)
    return registered()


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CheckInAttempt))


def _check(client, event, registration, data: bytes, content_type: str) -> None:
    before = _count()
    response = client.post(f"/api/events/{event.id}/checkins", data=data,
                           headers={**HEADERS, "Content-Type": content_type})
    assert 200 <= response.status_code < 500, response.status_code
    assert response.is_json
    db.session.expire_all()
    if response.status_code == 200:
        # Accepted: the scan is logged exactly once under its nonce (hypothesis may send the
        # same nonce twice: then it is the stored answer, and still one record).
        nonce = json.loads(data)["nonce"]
        logged = db.session.scalar(select(func.count()).select_from(CheckInAttempt).where(
            CheckInAttempt.event_id == event.id, CheckInAttempt.nonce == nonce))
        assert logged == 1
        assert _count() in (before, before + 1)
        assert response.get_json()["status"] == "unknown"
    else:
        assert _count() == before
    assert registration.checked_in_at is None


@SETTINGS
@given(body=bodies)
def test_any_json_body(client, door_event, body):
    event, registration = door_event
    _check(client, event, registration, json.dumps(body).encode(), "application/json")


@SETTINGS
@given(data=st.binary(max_size=300), content_type=st.sampled_from(
    ["application/json", "text/plain", "application/x-www-form-urlencoded", ""]))
def test_any_bytes(client, door_event, data, content_type):
    event, registration = door_event
    _check(client, event, registration, data, content_type)
