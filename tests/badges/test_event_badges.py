"""An event's badges: who is on them, in which order, from the staff pages, the door and the
command line. Names are checked in the PDF's extractable text."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from meetgreet.accounts.models import Role
from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.badges import services
from meetgreet.candidates.models import Registration, RegistrationStatus
from meetgreet.checkin.models import BadgeCode
from meetgreet.demo.services import load_demo
from meetgreet.employers.models import BookingStatus, StandBooking
from meetgreet.extensions import db
from meetgreet.interpreters.models import Interpreter
from meetgreet.scheduling.models import Event

from ..checkin.helpers import registered
from ..support.queries import counting_queries
from .test_render import extracted_text


@pytest.fixture
def demo_event(app):
    load_demo()
    # The demo event with the most candidates registered.
    event_id = db.session.execute(
        select(Registration.event_id, func.count()).group_by(Registration.event_id)
        .order_by(func.count().desc())).first()[0]
    return db.session.get(Event, event_id)


def _names(pdf: bytes) -> str:
    return extracted_text(pdf)


def test_demo_event_badges_name_everyone(app, demo_event):
    event = demo_event
    with app.test_request_context():
        coming = services.candidate_registrations(event)
        assert len(coming) >= 20
        text = _names(services.event_badges_pdf(event, "candidates", "a4-10"))
        for registration in coming:
            assert registration.candidate.display_name in text
            assert registration.ticket_code  # on the badge as a QR code

        bookings = db.session.scalars(select(StandBooking).where(
            StandBooking.event_id == event.id,
            StandBooking.status == BookingStatus.CONFIRMED)).all()
        assert bookings, "the demo event has confirmed stands"
        text = _names(services.event_badges_pdf(event, "employers", "a4-8"))
        for booking in bookings:
            assert booking.contact_name in text and booking.organisation.name in text

        text = _names(services.event_badges_pdf(event, "interpreters", "label-90x54"))
        for interpreter in db.session.scalars(select(Interpreter)):
            assert interpreter.name in text
        assert "Tolk / Interpreter" in text


def test_order_by_last_name_and_by_stand(app, demo_event):
    event = demo_event
    with app.test_request_context():
        names = [badge.name for badge in services.candidate_badges(event)]
        coming = services.candidate_registrations(event)
        last_names = [registration.candidate.last_name for registration in coming]
        assert last_names == sorted(last_names)
        assert names == [registration.candidate.display_name for registration in coming]
        stands = [int(badge.stand_number) for badge in services.employer_badges(event)]
        assert stands == sorted(stands)
        # One badge per representative.
        expected = db.session.scalar(select(func.sum(StandBooking.representatives)).where(
            StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED))
        assert len(stands) == expected


def test_cancelled_candidates_get_no_badge(app, mailbox):
    from meetgreet.candidates.services import cancel

    event, kept = registered(email="kept@example.org", first_name="Kept")
    _, gone = registered(event=event, email="gone@example.org", first_name="Gone")
    with app.test_request_context():
        cancel(gone)
        assert gone.status is RegistrationStatus.CANCELLED
        assert [badge.name.split()[0] for badge in services.candidate_badges(event)] == ["Kept"]


def test_staff_print_all_a_selection_and_one(client, login, mailbox):
    event, olena = registered(email="olena@example.org")
    _, ahmad = registered(event=event, email="ahmad@example.org", first_name="Ahmad",
                          last_name="Karimi", latin_name="Ahmad Karimi")
    login(Role.PLANNER)
    page = client.get(f"/staff/events/{event.id}/badges")
    assert page.status_code == 200 and "Ahmad Karimi" in page.get_data(as_text=True)
    for layout in ("a4-8", "a4-10", "a6", "label-90x54", "label-100x50"):
        response = client.get(f"/staff/events/{event.id}/badges.pdf?kind=candidates"
                              f"&layout={layout}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = extracted_text(response.data)
        assert "Олена Коваленко" in text and "Ahmad Karimi" in text
    response = client.get(f"/staff/events/{event.id}/badges.pdf?kind=candidates&layout=a6"
                          f"&ref={ahmad.ref}")
    text = extracted_text(response.data)
    assert "Ahmad Karimi" in text and "Коваленко" not in text
    assert client.get(f"/staff/events/{event.id}/badges.pdf?layout=nonsense").status_code == 400
    # Nobody to print: back to the page with a message, not an empty PDF.
    response = client.get(f"/staff/events/{event.id}/badges.pdf?kind=employers")
    assert response.status_code == 302


def test_the_door_prints_one_badge_but_not_the_event_lists(client, login, mailbox):
    event, olena = registered(email="olena@example.org")
    login(Role.DOOR)
    response = client.get(f"/door/events/{event.id}/badges/{olena.ref}.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert "Олена Коваленко" in extracted_text(response.data)
    assert client.get(f"/door/events/{event.id}/badges/XXXXXXXXXX.pdf").status_code == 404
    assert client.get(f"/staff/events/{event.id}/badges").status_code == 403


def test_command_line_prints_ahead_of_the_event(app, runner, tmp_path, mailbox):
    event, _ = registered(email="olena@example.org")
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=["badges", "print", "--event", str(event.id), "--kind",
                                 "candidates", "--layout", "a4-10", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Олена Коваленко" in extracted_text(out.read_bytes())
    result = runner.invoke(args=["badges", "print", "--event", "999999", "--out", str(out)])
    assert result.exit_code != 0 and "no event" in result.output


def test_staff_badges_name_active_staff_with_their_role(app, make_staff):
    make_staff(Role.DOOR, name="Zoë Zwart")
    make_staff(Role.PLANNER, name="Anna Admiraal")
    gone = make_staff(Role.COACH, name="Oud Collega")
    gone.active = False
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": "en"}):
        badges = services.staff_badges()
        assert [(badge.name, badge.subtitle) for badge in badges] == [
            ("Anna Admiraal", "Planner"), ("Zoë Zwart", "Door volunteer")]
        assert all(badge.kind == "staff" and badge.qr_payload is None for badge in badges)
        zoe = next(user for user in services.staff_members() if user.name == "Zoë Zwart")
        assert [badge.name for badge in services.staff_badges([str(zoe.id), "x", "²", "9" * 12])] \
            == ["Zoë Zwart"]


def test_staff_badges_print_from_the_page_in_every_layout(client, login, make_staff, mailbox):
    event, _ = registered(email="olena@example.org")
    planner = login(Role.PLANNER)
    sanne = make_staff(Role.COACH, name="Sanne Bakker")
    page = client.get(f"/staff/events/{event.id}/badges",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "2 badges" in page.split("Staff (active accounts)")[1].split("</li>")[0]
    assert f'name="ref" value="{sanne.id}"> Sanne Bakker' in page
    for layout in ("a4-8", "a4-10", "a6", "label-90x54", "label-100x50"):
        response = client.get(f"/staff/events/{event.id}/badges.pdf?kind=staff&layout={layout}")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = extracted_text(response.data)
        assert "Sanne Bakker" in text and planner.name in text
    chosen = client.get(f"/staff/events/{event.id}/badges.pdf?kind=staff&layout=a6"
                        f"&ref={sanne.id}")
    assert len(PdfReader(io.BytesIO(chosen.data)).pages) == 1
    assert "Sanne Bakker" in extracted_text(chosen.data)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.detail) == (AuditAction.PRINTED_BADGES, "staff, a6")


def _page_counts(page: str) -> dict[str, int]:
    return dict(zip(services.KINDS, map(int, re.findall(r"<p>(\d+) badges?</p>", page)),
                    strict=True))


def test_the_page_counts_what_printing_makes_and_makes_no_badge_codes(client, login, app,
                                                                      demo_event):
    event = demo_event
    bookings = db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED)
        .order_by(StandBooking.id)).all()
    assert len(bookings) >= 3
    # No representatives given still prints one badge; a cancelled stand and an inactive
    # interpreter print none.
    bookings[0].representatives = 0
    bookings[1].representatives = 3
    bookings[2].status = BookingStatus.CANCELLED
    db.session.scalars(select(Interpreter)).first().active = False
    db.session.commit()
    login(Role.PLANNER)
    page = client.get(f"/staff/events/{event.id}/badges", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    counts = _page_counts(page.get_data(as_text=True))
    # A GET only looks: the check-in codes are made when the badges are printed.
    assert db.session.scalar(select(func.count()).select_from(BadgeCode)) == 0
    with app.test_request_context():
        printed = {kind: len(services.event_badges(event, kind)) for kind in services.KINDS}
    assert counts == printed
    assert all(printed.values())
    assert db.session.scalar(select(func.count()).select_from(BadgeCode)) == (
        printed["employers"] + printed["interpreters"])


def test_the_page_and_printing_cost_the_same_for_few_and_many_candidates(client, login, app,
                                                                         mailbox):
    event, _ = registered(email="p0@example.org")
    urls = [f"/staff/events/{event.id}/badges",
            f"/staff/events/{event.id}/badges.pdf?kind=candidates&layout=a4-10"]

    def add_people(first: int, last: int) -> None:
        for n in range(first, last):
            registered(event, email=f"p{n}@example.org", first_name=f"Ірина{n}",
                       languages={"uk": "native", "ru": "good"}, sectors=["care", "logistics"])

    login(Role.PLANNER)
    add_people(1, 3)
    with counting_queries() as few:
        for url in urls:
            assert client.get(url).status_code == 200
    add_people(3, 15)
    with counting_queries() as many:
        page, pdf = (client.get(url) for url in urls)
    assert page.get_data(as_text=True).count("Ірина") >= 14
    assert extracted_text(pdf.data).count("Ірина") >= 14
    assert len(many) == len(few), "one query per badge is back (N+1)"
