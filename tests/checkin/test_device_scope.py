"""A device token limited to one event opens only that event's door API; unlimited tokens
open every event's."""

import uuid

import pytest
from markupsafe import escape

from meetgreet.accounts.models import Role
from meetgreet.checkin import services
from meetgreet.checkin.models import CheckInDevice
from meetgreet.extensions import db

from ..support.factories import make_event
from .helpers import registered


@pytest.fixture
def two_events(app, mailbox):
    event_a, olena = registered()
    event_b, ahmad = registered(days_ahead=40, email="ahmad@example.org", first_name="Ahmad")
    return event_a, olena, event_b, ahmad


def post(client, token, event_id, code):
    return client.post(f"/api/events/{event_id}/checkins",
                       headers={"Authorization": f"Bearer {token}"},
                       json={"code": code, "nonce": uuid.uuid4().hex})


def test_a_limited_token_works_only_for_its_event(client, two_events):
    event_a, olena, event_b, ahmad = two_events
    device, token = services.issue_device("deur A", None, event_a.id)
    assert device.event_id == event_a.id
    refused = post(client, token, event_b.id, ahmad.ticket_code)
    assert refused.status_code == 403 and refused.mimetype == "application/json"
    assert refused.get_json()["error"] == 403
    db.session.expire_all()
    assert ahmad.checked_in_at is None
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/events/{event_b.id}/checkins/counters",
                      headers=bearer).status_code == 403
    assert client.get(f"/api/events/{event_b.id}/checkins/search?q=Ahmad",
                      headers=bearer).status_code == 403
    answer = post(client, token, event_a.id, olena.ticket_code)
    assert answer.status_code == 200 and answer.get_json()["status"] == "ok"
    assert client.get(f"/api/events/{event_a.id}/checkins/counters",
                      headers=bearer).get_json()["checked_in"] == 1


def test_an_unlimited_token_works_for_every_event(client, two_events):
    event_a, olena, event_b, ahmad = two_events
    _device, token = services.issue_device("deur", None)
    assert post(client, token, event_a.id, olena.ticket_code).get_json()["status"] == "ok"
    assert post(client, token, event_b.id, ahmad.ticket_code).get_json()["status"] == "ok"


def test_the_admin_limits_a_token_and_sees_the_limit(client, login, two_events):
    event_a, olena, event_b, ahmad = two_events
    login(Role.ADMIN)
    en = {"Accept-Language": "en"}
    form = client.get("/staff/door-devices", headers=en).get_data(as_text=True)
    assert f'<option value="{event_b.id}">' in form and "Every event" in form
    page = client.submit("/staff/door-devices", {"label": "deur B", "event": str(event_b.id)},
                         headers=en).get_data(as_text=True)
    token = page.split('<code class="token" dir="ltr">')[1].split("<")[0]
    assert post(client, token, event_a.id, olena.ticket_code).status_code == 403
    assert post(client, token, event_b.id, ahmad.ticket_code).status_code == 200
    row = page.split("<td>deur B</td>")[1].split("</tr>")[0]
    assert str(escape(event_b.title)) in row and "Every event" not in row
    client.submit("/staff/door-devices", {"label": "deur overal", "event": ""})
    listed = client.get("/staff/door-devices", headers=en).get_data(as_text=True)
    assert "Every event" in listed.split("<td>deur overal</td>")[1].split("</tr>")[0]


def test_an_unknown_event_is_refused_on_the_field(client, login, two_events):
    login(Role.ADMIN)
    response = client.submit("/staff/door-devices", {"label": "deur X", "event": "999999"},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="field has-error"' in html and "token-once" not in html
    assert db.session.query(CheckInDevice).count() == 0


def test_deleting_the_event_deletes_its_tokens(app):
    """Never "every event" by accident. The database does it (ON DELETE CASCADE); SQLite, as
    we run it for tests, does not enforce foreign keys, so this is PostgreSQL's check."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite does not enforce ON DELETE here")
    event = make_event()  # (an event with registrations cannot be deleted at all)
    services.issue_device("deur A", None, event.id)
    services.issue_device("deur", None)
    db.session.delete(event)
    db.session.commit()
    assert [device.label for device in db.session.query(CheckInDevice)] == ["deur"]
