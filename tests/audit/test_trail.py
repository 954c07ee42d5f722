import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.candidates.services import register
from meetgreet.extensions import db

from ..candidates.builders import details
from ..support.factories import make_event


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def actions() -> list[tuple[AuditAction, str, int | None]]:
    return [(e.action, e.subject_type, e.subject_id)
            for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_viewing_changing_and_exporting_candidates_leaves_a_trail(client, app, login):
    event = make_event()
    with app.test_request_context():
        registration = register(event, details(), locale="uk", share_consent=True).registration
    coach = login(Role.COACH)
    edit = f"/staff/events/{event.id}/candidates/{registration.ref}"
    client.get(edit)
    client.get(f"/staff/events/{event.id}/candidates.csv")
    client.submit(f"{edit}/cancel", form_url=edit)
    candidate_id = registration.candidate_id
    assert actions() == [
        (AuditAction.VIEWED_CANDIDATE, "candidate", candidate_id),
        (AuditAction.EXPORTED_LIST, "event", event.id),
        (AuditAction.VIEWED_CANDIDATE, "candidate", candidate_id),  # the page holding the form
        (AuditAction.CANCELLED_REGISTRATION, "registration", registration.id),
    ]
    entries = db.session.scalars(select(AuditEntry)).all()
    assert {entry.staff_user_id for entry in entries} == {coach.id}
    # The trail names subjects by id only: no name, e-mail or phone in it.
    assert not any("Олена" in e.detail or "@" in e.detail for e in entries)


def test_only_admins_read_the_trail_and_names_are_escaped(client, app, login, make_staff):
    event = make_event()
    with app.test_request_context():
        registration = register(event, details(), locale="uk", share_consent=True).registration
    snooper = make_staff(Role.PLANNER, name="<b>Snoop</b>")
    from meetgreet.audit.services import record

    with app.test_request_context():
        from flask_login import login_user

        login_user(snooper)
        record(AuditAction.VIEWED_CANDIDATE, registration.candidate)
    login(Role.PLANNER)
    assert client.get("/staff/audit").status_code == 403
    client.submit("/logout", form_url="/staff/")
    login(Role.ADMIN)
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "Viewed a candidate" in page and "&lt;b&gt;Snoop&lt;/b&gt;" in page
    only_exports = client.get("/staff/audit?action=exported_list").get_data(as_text=True)
    assert "Nothing recorded yet." in only_exports
    unknown = client.get("/staff/audit?action=nonsense")
    assert unknown.status_code == 200
    # An unknown action filters nothing: the whole trail, not an empty page.
    assert "Viewed a candidate" in unknown.get_data(as_text=True)
    assert "Nothing recorded yet." not in unknown.get_data(as_text=True)
