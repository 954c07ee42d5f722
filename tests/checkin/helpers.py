"""Builders for check-in tests."""

from meetgreet.candidates.services import register

from ..candidates.builders import details
from ..support.factories import make_event

HEADERS = {"X-Requested-With": "meetgreet"}


def registered(event=None, *, days_ahead: int = 21, **fields):
    """An event (new unless given) and one registration for it; the personal-link token is
    kept on the registration as `.link_token` for tests that try it as a code."""
    from flask import current_app

    event = event or make_event(days_ahead=days_ahead)
    fields.setdefault("email", None)
    with current_app.test_request_context():
        result = register(event, details(**fields), locale="uk", share_consent=True)
    registration = result.registration
    registration.link_token = result.link_token
    return event, registration


def checkin(client, event_id: int, code, nonce: str, *, device: str | None = None):
    headers = dict(HEADERS)
    if device:
        headers["X-Device-Label"] = device
    return client.post(f"/api/events/{event_id}/checkins", json={"code": code, "nonce": nonce},
                       headers=headers)
