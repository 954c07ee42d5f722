"""Every route, visited by everyone: anonymous visitors and each staff role.

A route must declare who may use it (`@public`, `@by_token(...)` or `@requires(...)`), and the
answer must match that declaration. Add a route and forget its check, and this test fails.
"""

from datetime import date, timedelta

import pytest

from meetgreet.accounts.access import ROLE_PERMISSIONS
from meetgreet.accounts.models import Role
from meetgreet.candidates.importing import start_invitations
from meetgreet.candidates.services import register
from meetgreet.checkin.models import BadgeCode
from meetgreet.checkin.services import badge_codes, issue_device
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db
from meetgreet.followup.models import Interest, NextStep, RecordedBy
from meetgreet.followup.services import create_follow_up, local_today, record_conversation
from meetgreet.interpreters.models import RuleKind
from meetgreet.interpreters.services import (
    InterpreterData,
    add_rule,
    invite,
    save_interpreter,
)
from meetgreet.mail.models import OutboxMessage
from meetgreet.scheduling import services
from meetgreet.scheduling.models import EventStatus, Series, VenueBlackout

from .candidates.builders import details
from .conftest import Client
from .employers.helpers import reservation
from .support.factories import make_event, make_venue

ANONYMOUS = "anonymous"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture
def world(app, make_staff):
    """One of everything a URL can point at, so allowed visits reach a real object."""
    venue = make_venue()
    event = make_event(venue=venue, status=EventStatus.PUBLISHED)
    series = Series(name="Serie", venue=venue, weekday=3, starts_at=event.starts_at.time(),
                    ends_at=event.ends_at.time(), interval_weeks=5)
    event.series = series
    blackout = VenueBlackout(venue=venue, starts_on=date.today() + timedelta(days=300),
                             ends_on=date.today() + timedelta(days=301), reason="Verbouwing")
    message = OutboxMessage(recipient="a@example.org", subject="Test", raw=b"Subject: Test\n\nHi")
    db.session.add_all([series, blackout, message])
    db.session.commit()
    colleague = make_staff(Role.COACH)
    stand = reserve_stand(event.id, reservation(1))
    with app.test_request_context():
        registration = register(event, details(), locale="uk", share_consent=True)
    batch = start_invitations([registration.registration.candidate], event)
    conversation = record_conversation(
        stand.booking, registration.registration, interest=Interest.INTERESTED,
        next_step=NextStep.INTERVIEW, recorded_by=RecordedBy.STAFF)
    follow_up = create_follow_up(registration.registration.candidate, colleague,
                                 local_today(), conversation=conversation)
    interpreter = save_interpreter(InterpreterData(name="Olena Tolk", languages=["uk"]))
    (_invitation, interpreter_token), = invite(event, [interpreter])
    rule = add_rule(event, interpreter, RuleKind.EXCLUDE)
    device, _token = issue_device("door 1", colleague.id)
    badge_codes(event)  # the representative's badge code, as printing makes it
    badge = db.session.query(BadgeCode).filter_by(event_id=event.id).first()
    return {
        "device_id": device.id, "badge_id": badge.id,
        "interpreter_ref": interpreter.ref, "interpreter_token": interpreter_token,
        "rule_id": rule.id,
        "candidate_token": registration.link_token, "ref": registration.registration.ref,
        "stand_token": stand.token, "batch_id": batch.id, "booking_id": stand.booking.id,
        "organisation_id": stand.booking.organisation_id,
        "event_id": event.id, "venue_id": venue.id, "series_id": series.id,
        "blackout_id": blackout.id, "message_id": message.id, "user_id": colleague.id,
        "filename": "css/app.css",
        "conversation_ref": conversation.ref, "follow_up_ref": follow_up.ref,
        "list_name": "attendance", "list_format": "pdf", "chart": "funnel",
        "data_format": "pdf",
    }


# Each secret link opens its own kind of page; the route's prefix says which secret it takes.
def token_for(rule, world) -> str:
    if rule.endpoint == "scheduling.feed_staff":
        return services.staff_feed_token()
    if rule.rule.startswith("/interpreter/"):
        return world["interpreter_token"]
    return world["candidate_token"] if rule.rule.startswith("/my/") else world["stand_token"]


def routes(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - SKIPPED_METHODS):
            yield rule, method


def url_for_rule(rule, world) -> str:
    values = {**world, "token": token_for(rule, world)}
    missing = set(rule.arguments) - set(values)
    assert not missing, f"{rule.rule}: add a sample value for {missing} to the world fixture"
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def visit(app, who, method: str, url: str, staff_ids: dict):
    client = Client(app, app.response_class, use_cookies=True)
    if who != ANONYMOUS:
        user_id = staff_ids[who]
        with client.session_transaction() as session:
            session["_user_id"] = user_id
            session["_fresh"] = True
    # Changes carry a valid CSRF token, so what answers is the access check, not CSRF.
    data = None if method == "GET" else {"csrf_token": client.csrf_token("/")}
    return client.open(url, method=method, data=data)


def test_every_route_declares_its_access(app):
    undeclared = [
        rule.endpoint for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        and not getattr(app.view_functions[rule.endpoint], "access", None)
    ]
    assert undeclared == [], "mark these views @public, @by_token(...) or @requires(...)"


@pytest.mark.parametrize("who", [ANONYMOUS, *Role])
def test_every_route_answers_as_declared(app, world, make_staff, who):
    staff_ids = {role: make_staff(role).get_id() for role in Role}
    # GETs first, so a POST that deletes or logs out cannot change what a later GET sees.
    for rule, method in sorted(routes(app), key=lambda pair: pair[1] != "GET"):
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        response = visit(app, who, method, url_for_rule(rule, world), staff_ids)
        where = f"{method} {rule.rule} as {who}: {response.status_code}"
        assert response.status_code < 500, where
        if view.access == "staff":
            if who == ANONYMOUS:
                assert response.status_code in (302, 401), where
                if response.status_code == 302:
                    assert "/login" in response.headers["Location"], where
            elif view.required_permission in ROLE_PERMISSIONS[who]:
                assert response.status_code not in (401, 403), where
            else:
                assert response.status_code == 403, where
                assert b"<table" not in response.data, f"{where} shows data"
        else:
            assert response.status_code not in (401, 403), where
