"""The door log for planners: every attempt with time, device, answer and (for known codes) a
name only; filters, pages, the CSV and who may see it."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.checkin import scanlog, services
from meetgreet.checkin.models import CheckInAttempt, ScanResult
from meetgreet.extensions import db

from ..support.queries import counting_queries
from .helpers import registered

WINTER_MORNING = datetime(2026, 1, 15, 9, 30, 5, tzinfo=UTC)  # 10:30:05 in Amsterdam
SUMMER_MORNING = datetime(2026, 7, 15, 9, 30, 5, tzinfo=UTC)  # 11:30:05 in Amsterdam


def scan(event, code, label="deur 1", *, at=None, staff_user_id=None):
    scanner = services.Scanner(label=label, staff_user_id=staff_user_id)
    return services.scan(event.id, code, uuid.uuid4().hex, scanner, now=at)


@pytest.fixture
def door_log(app, mailbox):
    """An event with one of every answer, from two devices, at known times."""
    event, olena = registered(latin_name="Olena Kovalenko")
    _, gone = registered(event=event, email="gone@example.org", first_name="Ahmad",
                         last_name="Karimi")
    other_event, elsewhere = registered(days_ahead=40, email="else@example.org",
                                        first_name="Mariam", last_name="Haile")
    with app.test_request_context():
        from meetgreet.candidates.services import cancel

        cancel(gone)
        scan(event, olena.ticket_code, at=WINTER_MORNING)
        scan(event, olena.ticket_code, "deur 2", at=WINTER_MORNING + timedelta(minutes=1))
        scan(event, gone.ticket_code, "deur 2", at=WINTER_MORNING + timedelta(minutes=2))
        scan(event, elsewhere.ticket_code, at=WINTER_MORNING + timedelta(minutes=3))
        scan(event, "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZ", at=WINTER_MORNING + timedelta(minutes=4))
    return event, olena, gone, elsewhere


def test_rows_name_known_people_only_and_never_a_code(app, door_log):
    event, olena, gone, elsewhere = door_log
    with app.test_request_context():
        page = scanlog.log_page(event, scanlog.LogFilters(), 1)
    rows = [(a.result, a.device, scanlog.holder_name(a)) for a in page.attempts]
    assert rows == [  # newest first
        (ScanResult.UNKNOWN, "deur 1", ""),
        (ScanResult.WRONG_EVENT, "deur 1", "Mariam Haile"),
        (ScanResult.CANCELLED, "deur 2", "Ahmad Karimi"),
        (ScanResult.ALREADY_CHECKED_IN, "deur 2", "Олена Коваленко"),
        (ScanResult.OK, "deur 1", "Олена Коваленко"),
    ]
    assert (page.number, page.pages, page.total) == (1, 1, 5)
    counts = scanlog.status_counts(event)
    assert counts[ScanResult.OK] == 1 and counts[ScanResult.UNDONE] == 0
    assert sum(counts.values()) == 5
    assert scanlog.device_labels(event) == ["deur 1", "deur 2"]


def test_filters_from_the_query_string_ignore_nonsense():
    assert scanlog.LogFilters.from_args({"status": "cancelled", "device": " deur 2 "}) == \
        scanlog.LogFilters(ScanResult.CANCELLED, "deur 2")
    assert scanlog.LogFilters.from_args({"status": "<script>"}) == scanlog.LogFilters()
    assert scanlog.LogFilters(ScanResult.OK).as_args() == {"status": "ok"}


def test_filters_and_pages(app, door_log):
    event = door_log[0]
    with app.test_request_context():
        by_device = scanlog.log_page(event, scanlog.LogFilters(device="deur 2"), 1)
        assert {a.result for a in by_device.attempts} == {
            ScanResult.ALREADY_CHECKED_IN, ScanResult.CANCELLED}
        unknown = scanlog.log_page(event, scanlog.LogFilters(ScanResult.UNKNOWN), 1)
        assert [a.result for a in unknown.attempts] == [ScanResult.UNKNOWN]
        second = scanlog.log_page(event, scanlog.LogFilters(), 2, per_page=2)
        assert (second.number, second.pages, len(second.attempts)) == (2, 3, 2)
        assert second.attempts[0].result is ScanResult.CANCELLED
        beyond = scanlog.log_page(event, scanlog.LogFilters(), 99, per_page=2)
        assert beyond.number == 3 and len(beyond.attempts) == 1


def test_a_staff_scan_shows_the_device_label_and_the_staff_member(app, make_staff, mailbox):
    event, olena = registered()
    sam = make_staff(Role.DOOR, name="Sam de Vries")
    with app.test_request_context():
        scan(event, olena.ticket_code, "tablet", staff_user_id=sam.id)
        scan(event, olena.ticket_code, "Sam de Vries", staff_user_id=sam.id)
        attempts = scanlog.log_page(event, scanlog.LogFilters(), 1).attempts
    assert [scanlog.scanned_by(a) for a in attempts] == ["Sam de Vries", "tablet (Sam de Vries)"]


def test_planner_reads_the_log_page(client, login, door_log):
    event, olena, *_ = door_log
    login(Role.PLANNER)
    en = {"Accept-Language": "en"}
    html = client.get(f"/staff/events/{event.id}/door-log", headers=en).get_data(as_text=True)
    assert "Олена Коваленко" in html and "Mariam Haile" in html
    assert "10:30:05" in html  # Amsterdam time (UTC+1 in winter), not 09:30
    assert olena.ticket_code not in html and olena.ticket_code[:8] not in html
    assert 'data-count="ok">1<' in html and "5 scans" in html
    html = client.get(f"/staff/events/{event.id}/door-log?status=cancelled",
                      headers=en).get_data(as_text=True)
    assert "Ahmad Karimi" in html and "Олена" not in html and "1 scan" in html
    assert client.get(f"/staff/events/{event.id}/door-log?page=²").status_code == 200
    html = client.get(f"/staff/events/{event.id}/door-log?device=deur+2&status=bogus&page=x",
                      headers=en).get_data(as_text=True)
    assert "Ahmad Karimi" in html and "Mariam Haile" not in html and "2 scans" in html
    # The door page links to it for those who may read it.
    door = client.get(f"/door/events/{event.id}").get_data(as_text=True)
    assert f"/staff/events/{event.id}/door-log" in door


def test_the_log_pages_by_a_hundred(client, login, app, mailbox):
    event, olena = registered()
    base = datetime(2026, 7, 15, 8, 0, tzinfo=UTC)
    db.session.add_all([CheckInAttempt(event_id=event.id, result=ScanResult.UNKNOWN,
                                       device=f"scanner {number:03d}",
                                       created_at=base + timedelta(seconds=number))
                        for number in range(scanlog.PER_PAGE + 5)])
    db.session.commit()
    login(Role.ADMIN)
    url = f"/staff/events/{event.id}/door-log"
    first = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert first.count("<tr>") == scanlog.PER_PAGE + 1  # + the header row
    table = first.split("<tbody>")[1]  # (the device filter lists every label)
    assert "scanner 104" in table and "scanner 004" not in table  # newest first
    assert "Page 1 of 2" in first and f'href="{url}?page=2"' in first
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 5 + 1 and "scanner 000" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second
    filtered = client.get(f"{url}?status=unknown").get_data(as_text=True)
    assert f'href="{url}?page=2&amp;status=unknown"' in filtered


@pytest.mark.parametrize("role", [Role.DOOR, Role.COACH])
def test_door_volunteers_and_coaches_see_counters_but_not_the_log(client, login, door_log,
                                                                  role):
    event = door_log[0]
    login(role)
    assert client.get(f"/staff/events/{event.id}/door-log").status_code == 403
    assert client.get(f"/staff/events/{event.id}/door-log.csv").status_code == 403
    door = client.get(f"/door/events/{event.id}").get_data(as_text=True)
    assert "door-log" not in door and 'data-counter="checked_in">1<' in door


def test_the_csv_export_is_filtered_local_and_audited(client, login, app, mailbox):
    event, olena = registered()
    with app.test_request_context():
        scan(event, olena.ticket_code, at=SUMMER_MORNING)
        scan(event, "=cmd|' /C calc'!A0", "=deur", at=SUMMER_MORNING + timedelta(seconds=3))
    planner = login(Role.PLANNER)
    response = client.get(f"/staff/events/{event.id}/door-log.csv",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Time;Device or staff member;Answer;Person;Reason"
    assert lines[1] == "2026-07-15 11:30:08;'=deur;Unknown code;;"  # no formula, no code
    assert lines[2] == "2026-07-15 11:30:05;deur 1;Checked in;Олена Коваленко;"
    assert olena.ticket_code not in text and "calc" not in text
    only_ok = client.get(f"/staff/events/{event.id}/door-log.csv?status=ok").get_data(
        as_text=True)
    assert len(only_ok.splitlines()) == 2
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.EXPORTED_LIST)).all()
    assert [(e.staff_user_id, e.subject_type, e.subject_id, e.detail) for e in entries] == [
        (planner.id, "event", event.id, "door-log.csv")] * 2


def test_an_undo_is_in_the_log_with_its_reason(client, login, app, mailbox):
    event, olena = registered()
    login(Role.ADMIN)
    with app.test_request_context():
        scan(event, olena.ticket_code)
    client.submit(f"/door/events/{event.id}/people/{olena.ref}/undo",
                  {"reason": "Verkeerd kaartje"})
    html = client.get(f"/staff/events/{event.id}/door-log?status=undone",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Check-in undone" in html and "Verkeerd kaartje" in html and "1 scan" in html


def test_unknown_event_is_404(client, login):
    login(Role.PLANNER)
    assert client.get("/staff/events/999999/door-log").status_code == 404


def test_the_page_and_the_csv_cost_the_same_for_few_and_many_scans(client, login, app,
                                                                    door_log):
    event, olena, gone, elsewhere = door_log
    login(Role.PLANNER)
    urls = [f"/staff/events/{event.id}/door-log", f"/staff/events/{event.id}/door-log.csv"]
    with counting_queries() as few:
        for url in urls:
            assert client.get(url).status_code == 200
    with app.test_request_context():
        for number in range(10):
            registration = registered(event, email=f"p{number}@example.org")[1]
            scan(event, registration.ticket_code, f"deur {number}")
    with counting_queries() as many:
        pages = [client.get(url).get_data(as_text=True) for url in urls]
    assert all(page.count("Олена Коваленко") >= 11 for page in pages)
    assert len(many) == len(few), "one query per scan is back (N+1)"
