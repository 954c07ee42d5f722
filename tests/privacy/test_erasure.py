"""Erasure on request: by the candidate through their personal link, by an admin from the
staff page; afterwards the person is found nowhere, and still counted."""

from sqlalchemy import select

from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.badges.services import candidate_registrations
from meetgreet.candidates.models import (
    Invitation,
    InvitationBatch,
    InvitationStatus,
    Registration,
    RegistrationStatus,
)
from meetgreet.core.tokens import hash_token, new_link_token
from meetgreet.extensions import db
from meetgreet.mail.models import OutboxMessage
from meetgreet.privacy.erasure import erase_candidate
from meetgreet.reports import dashboard

from ..support.factories import make_event
from ..support.people import Role, held_event, person

EN = {"Accept-Language": "en"}


def with_link(registration: Registration) -> str:
    """Give the registration a personal link the test knows."""
    token = new_link_token()
    registration.link_token_hash = hash_token(token)
    db.session.commit()
    return token


def olena(event, **fields) -> Registration:
    return person(event, "Olena", "Kovalenko", latin="Olena Kovalenko",
                  email="olena@example.org", phone="+31612345678", **fields)


def test_a_candidate_erases_their_data_through_their_link(client):
    past = held_event(days_ago=20)
    coming = make_event(days_ahead=14)
    came = olena(past)
    booked = person(coming, candidate=came.candidate, checked_in=False)
    token = with_link(booked)
    batch = InvitationBatch(event=coming)
    db.session.add_all([
        Invitation(batch=batch, candidate=came.candidate),
        OutboxMessage(recipient="Olena@example.org", subject="Ticket", raw=b"x"),
        OutboxMessage(recipient="other@example.org", subject="Ticket", raw=b"y"),
    ])
    db.session.commit()

    page = client.get(f"/my/{token}", headers=EN).get_data(as_text=True)
    assert f'href="/my/{token}/erase"' in page
    explained = client.get(f"/my/{token}/erase", headers=EN)
    assert "This cannot be undone." in explained.get_data(as_text=True)
    assert explained.headers["Cache-Control"] == "no-store"
    assert client.post(f"/my/{token}/erase").status_code == 400  # no CSRF token, no erasure
    done = client.submit(f"/my/{token}/erase", headers=EN)
    assert done.status_code == 200
    assert "Your data is erased" in done.get_data(as_text=True)

    for url in (f"/my/{token}", f"/my/{token}/erase", f"/my/{token}/ticket.pdf"):
        assert client.get(url).status_code == 404
    db.session.expire_all()
    candidate = came.candidate
    assert candidate.anonymised_at is not None and candidate.email is None
    # The duplicate check's folded copies of the name go with the name.
    assert (candidate.first_name, candidate.name_key, candidate.latin_key) == ("", "", "")
    assert booked.status is RegistrationStatus.CANCELLED  # the place goes to someone else
    assert came.status is RegistrationStatus.REGISTERED and came.checked_in_at  # still counted
    assert db.session.scalar(select(Invitation.status)) is InvitationStatus.SKIPPED
    assert list(db.session.scalars(select(OutboxMessage.recipient))) == ["other@example.org"]
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == AuditAction.ERASED_CANDIDATE))
    assert (entry.subject_id, entry.staff_user_id) == (candidate.id, None)
    assert "Olena" not in entry.detail and "Kovalenko" not in entry.detail


def test_a_link_erases_only_its_own_person(client):
    event = make_event(days_ahead=14)
    mine = olena(event, checked_in=False)
    other = person(event, "Ahmad", "Haddad", checked_in=False)
    my_token, other_token = with_link(mine), with_link(other)
    csrf = client.csrf_token(f"/my/{my_token}/erase")
    assert client.post(f"/my/{new_link_token()}/erase",
                       data={"csrf_token": csrf}).status_code == 404
    assert client.post(f"/my/{other_token}/erase", data={"csrf_token": csrf}).status_code == 200
    db.session.expire_all()
    assert other.candidate.anonymised_at is not None
    assert mine.candidate.anonymised_at is None and mine.candidate.first_name == "Olena"
    assert client.get(f"/my/{my_token}").status_code == 200


def test_an_admin_erases_with_a_reason_and_the_trail_names_nobody(client, login, make_staff):
    event = held_event(days_ago=5)
    registration = olena(event)
    ref = registration.ref
    admin = login(Role.ADMIN)
    staff_page = client.get(f"/staff/events/{event.id}/candidates/{ref}", headers=EN)
    assert f'href="/staff/candidates/{ref}/erase"' in staff_page.get_data(as_text=True)
    form = client.get(f"/staff/candidates/{ref}/erase", headers=EN).get_data(as_text=True)
    assert "This cannot be undone." in form

    refused = client.submit(f"/staff/candidates/{ref}/erase", {"reason": "request"}, headers=EN)
    assert refused.status_code == 200
    assert "Tick the box to confirm." in refused.get_data(as_text=True)
    db.session.expire_all()
    assert registration.candidate.anonymised_at is None

    done = client.submit(f"/staff/candidates/{ref}/erase",
                         {"reason": "request", "confirm": "y"})
    assert done.status_code == 302
    assert done.headers["Location"].endswith(f"/staff/events/{event.id}/candidates")
    db.session.expire_all()
    assert registration.candidate.anonymised_at is not None
    assert client.get(f"/staff/candidates/{ref}/erase").status_code == 404
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == AuditAction.ERASED_CANDIDATE))
    assert (entry.staff_user_id, entry.detail) == (admin.id, "by staff: request")


def test_staff_erasure_opens_only_the_exact_reference(client, login):
    registration = olena(held_event(days_ago=5))
    registration.ref = "ABCDEFGHJKLM"  # the longest a reference can be
    db.session.commit()
    login(Role.ADMIN)
    assert client.get("/staff/candidates/ABCDEFGHJKLMN/erase").status_code == 404
    assert client.get("/staff/candidates/ABCDEFGHJKLM/erase").status_code == 200


def test_only_admins_see_the_erase_button(client, login):
    event = held_event(days_ago=5)
    registration = olena(event)
    login(Role.COACH)
    page = client.get(f"/staff/events/{event.id}/candidates/{registration.ref}").get_data(
        as_text=True)
    assert "/erase" not in page
    assert client.get(f"/staff/candidates/{registration.ref}/erase").status_code == 403


def test_an_erased_person_is_found_nowhere_and_still_counted(client, login):
    event = held_event(days_ago=5)
    registration = olena(event)
    person(event, "Ahmad", "Haddad")
    login(Role.ADMIN)
    before = dashboard.figures([event])

    def found(query: str) -> dict[str, bool]:
        staff = client.get(f"/staff/events/{event.id}/candidates?q={query}").get_data(
            as_text=True)
        staff_csv = client.get(f"/staff/events/{event.id}/candidates.csv").get_data(
            as_text=True)
        door = client.get(f"/api/events/{event.id}/checkins/search?q={query}").get_json()
        lists = client.get(f"/staff/events/{event.id}/lists/attendance.csv").get_data(
            as_text=True)
        return {"staff search": "Kovalenko</bdi>" in staff,
                "staff csv": "Kovalenko" in staff_csv,
                "door": bool(door["results"]), "attendance csv": "Kovalenko" in lists,
                "badges": any(r.candidate.last_name == "Kovalenko"
                              for r in candidate_registrations(event))}

    assert all(found("Kovalenko").values())
    assert client.get(f"/api/events/{event.id}/checkins/search?q=0612345678").get_json()[
        "results"]
    erase_candidate(registration.candidate)
    db.session.expire_all()
    assert not any(found("Kovalenko").values())
    assert not client.get(f"/api/events/{event.id}/checkins/search?q=0612345678").get_json()[
        "results"]
    assert "Haddad" in client.get(f"/staff/events/{event.id}/lists/attendance.csv").get_data(
        as_text=True)
    db.session.expire_all()
    assert dashboard.figures([event]) == before
