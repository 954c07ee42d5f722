"""Employers' representatives and interpreters check in with the code on their badge."""

import uuid

import pypdfium2
import pytest
import zxingcpp
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.badges import services as badges
from meetgreet.checkin.models import BadgeCode, ScanResult
from meetgreet.employers.models import BookingStatus
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db
from meetgreet.interpreters.models import Interpreter, InterpreterLanguage

from ..badges.test_render import extracted_text
from ..employers.helpers import reservation
from ..support.factories import make_event
from .helpers import checkin


@pytest.fixture
def printed(app, mailbox):
    """An event with one confirmed stand (two representatives) and one interpreter, whose
    badges have been printed."""
    event = make_event()
    booking = reserve_stand(event.id, reservation(1, representatives=2)).booking
    assert booking.status is BookingStatus.CONFIRMED
    interpreter = Interpreter(name="Amanuel Tesfay", languages=[InterpreterLanguage(code="ti")])
    db.session.add(interpreter)
    db.session.commit()
    with app.test_request_context():
        employer = badges.employer_badges(event)
        tolk = badges.interpreter_badges(event)
    return event, booking, employer, tolk


def test_each_badge_gets_its_own_stable_code(app, printed):
    event, booking, employer, tolk = printed
    codes = [badge.qr_payload for badge in employer + tolk]
    assert len(codes) == 3 and len(set(codes)) == 3 and all(len(code) == 26 for code in codes)
    with app.test_request_context():  # printing again: the same codes
        again = [badge.qr_payload for badge in badges.employer_badges(event)
                 + badges.interpreter_badges(event)]
    assert again == codes
    assert db.session.query(BadgeCode).count() == 3


def test_representatives_and_interpreters_check_in_once(client, login, printed):
    event, booking, employer, tolk = printed
    login(Role.DOOR)
    answer = checkin(client, event.id, employer[0].qr_payload, uuid.uuid4().hex).get_json()
    assert answer["status"] == "ok" and answer["kind"] == "employer"
    assert answer["name"] == "Contact 1"
    assert {lang["code"] for lang in answer["languages"]} == {"nl", "uk"}
    badge = db.session.query(BadgeCode).filter_by(code=employer[0].qr_payload).one()
    # Their badge can be printed again from the answer, with the same code.
    assert answer["badge_url"] == f"/door/events/{event.id}/badge-codes/{badge.id}.pdf"
    # The second representative is someone else: their own first check-in.
    answer = checkin(client, event.id, employer[1].qr_payload, uuid.uuid4().hex).get_json()
    assert answer["status"] == "ok" and answer["name"] == "Bedrijf 1 B.V."
    answer = checkin(client, event.id, employer[0].qr_payload, uuid.uuid4().hex,
                     device="door 3").get_json()
    assert answer["status"] == "already_checked_in"

    answer = checkin(client, event.id, tolk[0].qr_payload, uuid.uuid4().hex).get_json()
    assert answer["status"] == "ok" and answer["kind"] == "interpreter"
    assert answer["name"] == "Amanuel Tesfay"
    badge = db.session.query(BadgeCode).filter_by(code=tolk[0].qr_payload).one()
    db.session.refresh(badge)
    assert badge.checked_in_at is not None
    from meetgreet.checkin.models import CheckInAttempt
    attempt = db.session.query(CheckInAttempt).filter_by(badge_code_id=badge.id).one()
    assert attempt.result is ScanResult.OK and attempt.registration_id is None


def test_other_event_and_cancelled_stand_are_refused(client, login, printed, app):
    from meetgreet.employers.services import cancel_booking

    event, booking, employer, tolk = printed
    other = make_event(days_ahead=60)
    login(Role.DOOR)
    answer = checkin(client, other.id, employer[0].qr_payload, uuid.uuid4().hex).get_json()
    assert answer["status"] == "wrong_event"
    with app.test_request_context():
        cancel_booking(db.session.get(type(booking), booking.id))
    answer = checkin(client, event.id, employer[0].qr_payload, uuid.uuid4().hex).get_json()
    assert answer["status"] == "cancelled"


def _scanned_codes(pdf: bytes) -> set[str]:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    return {barcode.text for barcode in
            zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)}


def test_the_door_reprints_a_representatives_and_an_interpreters_badge(client, login,
                                                                         printed):
    event, booking, employer, tolk = printed
    login(Role.DOOR)
    for badge, name in ((employer[0], "Contact 1"), (tolk[0], "Amanuel Tesfay")):
        answer = checkin(client, event.id, badge.qr_payload, uuid.uuid4().hex).get_json()
        response = client.get(answer["badge_url"])
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        assert name in extracted_text(response.data)
        assert _scanned_codes(response.data) == {badge.qr_payload}  # the same code again
        # Already checked in: the answer still offers the badge.
        again = checkin(client, event.id, badge.qr_payload, uuid.uuid4().hex).get_json()
        assert again["status"] == "already_checked_in"
        assert again["badge_url"] == answer["badge_url"]
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.subject_type) == (AuditAction.PRINTED_BADGES, "badgecode")


def test_a_badge_code_opens_only_under_its_own_event(client, login, printed):
    event, booking, employer, tolk = printed
    other = make_event(days_ahead=60)
    badge = db.session.query(BadgeCode).filter_by(code=tolk[0].qr_payload).one()
    login(Role.DOOR)
    url = f"/door/events/{event.id}/badge-codes/{badge.id}.pdf"
    assert client.get(url).status_code == 200
    assert client.get(f"/door/events/{other.id}/badge-codes/{badge.id}.pdf").status_code == 404
    assert client.get(f"{url}?layout=nonsense").status_code == 400
    assert client.get(f"/door/events/{event.id}/badge-codes/999999.pdf").status_code == 404
