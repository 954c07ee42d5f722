"""The printable lists: rows, PDF text, CSV for Dutch Excel, the employer's mail."""

import io
from datetime import timedelta

from pypdf import PdfReader

from meetgreet.accounts.models import Role
from meetgreet.followup import services
from meetgreet.followup.models import Interest, NextStep, RecordedBy
from meetgreet.reports import lists, pdf

from ..support.people import held_event, person, stand


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def talk(booking, registration, step=NextStep.INTERVIEW, note=""):
    return services.record_conversation(booking, registration, interest=Interest.INTERESTED,
                                        next_step=step, note=note,
                                        recorded_by=RecordedBy.STAFF)


def a_held_event():
    event = held_event()
    people = [
        person(event, "Zoë", "Visser", latin="Zoe Visser"),
        person(event, "Олена", "Коваленко", latin="Olena Kovalenko", checked_in=False),
        person(event, "أحمد", "حداد", latin="Ahmad Haddad", walk_in=True),
        person(event, "Anna", "Bakker"),
    ]
    return event, people


def test_attendance_lists_everyone_registered_by_name_with_time_or_a_box(app):
    event, people = a_held_event()
    from meetgreet.candidates.models import RegistrationStatus

    person(event, "Weg", "Geannuleerd", status=RegistrationStatus.CANCELLED)
    table = lists.attendance(event)
    names = [row[0] for row in table.rows]
    assert "Weg Geannuleerd" not in names and len(names) == 4
    # Sorted by last name: Bakker, Visser, then the Cyrillic and Arabic ones.
    assert names[:2] == ["Anna Bakker", "Zoë Visser"]
    olena = next(row for row in table.rows if row[0] == "Олена Коваленко")
    assert olena[3] is lists.TICK_BOX
    zoe = next(row for row in table.rows if row[0] == "Zoë Visser")
    assert zoe[3] and zoe[3] is not lists.TICK_BOX


def test_no_shows_and_walk_ins(app):
    event, people = a_held_event()
    assert [row[0] for row in lists.no_shows(event).rows] == ["Олена Коваленко"]
    assert [row[2] for row in lists.walk_ins(event).rows] == [people[2].ref]


def test_a_list_of_an_event_with_nobody_says_so_in_the_pdf_and_page(app, client, login):
    event = held_event()
    table = lists.attendance(event)
    assert table.rows == []
    assert "Nobody is registered" in pdf_text(pdf.render(table))
    login(Role.PLANNER)
    page = client.get(f"/staff/events/{event.id}/lists",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Nobody is registered for this event." in page
    assert "No conversations recorded at this event." in page


def test_the_attendance_pdf_holds_the_names_in_every_script(app, client, login):
    event, _ = a_held_event()
    login(Role.PLANNER)
    response = client.get(f"/staff/events/{event.id}/lists/attendance.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "Zoë Visser" in text and "Олена Коваленко" in text and "Ahmad Haddad" in text


def test_a_long_list_continues_on_the_next_page_with_the_header(app):
    event = held_event()
    for number in range(60):
        person(event, f"Naam{number:02d}", "Test")
    data = pdf.render(lists.attendance(event))
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) >= 2
    assert all("Checked in" in page.extract_text() for page in pages)
    assert "Naam59" in pages[-1].extract_text()


def test_csv_opens_in_dutch_excel_and_runs_no_formulas(app, client, login):
    event = held_event()
    person(event, "=HYPERLINK(\"x\")", "@Bakker", latin="-1+1")
    login(Role.PLANNER)
    response = client.get(f"/staff/events/{event.id}/lists/attendance.csv")
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = text[1:].splitlines()[:2]
    assert ";" in header
    assert row.startswith("\"'=HYPERLINK") and ";'-1+1;" in row


def test_the_follow_up_list_pairs_candidates_with_employers_and_owners(app, make_staff):
    event, people = a_held_event()
    coach = make_staff(Role.COACH, name="Carla Coach")
    planner = make_staff(Role.PLANNER, name="Piet Planner")
    zorg, _ = stand(event, 1, name="Zorggroep")
    bouw, _ = stand(event, 2, name="Bouwbedrijf")
    zoe, olena, ahmad, anna = people
    first = talk(zorg, zoe, NextStep.INTERNSHIP)
    talk(bouw, ahmad)
    talk(zorg, anna)
    today = services.local_today()
    services.create_follow_up(zoe.candidate, coach, today + timedelta(days=7),
                              conversation=first)
    rows = lists.follow_up(event).rows
    assert [(r[0], r[1]) for r in rows] == [
        ("أحمد حداد", "Bouwbedrijf"), ("Anna Bakker", "Zorggroep"), ("Zoë Visser", "Zorggroep")]
    assert rows[2][3] == "Internship" and rows[2][4] == "Carla Coach"
    assert rows[1][4] == "not assigned" and rows[1][5] == ""
    assert [r[0] for r in lists.follow_up(event, owner=coach).rows] == ["Zoë Visser"]
    assert lists.follow_up(event, owner=planner).rows == []


def test_the_employer_list_holds_only_shared_data(app):
    event = held_event()
    booking, _ = stand(event, 1, name="Zorggroep")
    olena = person(event, "Olena", "Kovalenko", email="olena@example.org",
                   phone="+31611112222", languages=("uk", "ru"))
    talk(booking, olena, note="Wil graag in de zorg")
    other, _ = stand(event, 2)
    talk(other, person(event, "Ahmad", "Haddad"))
    table = lists.for_employer(booking)
    assert len(table.rows) == 1
    text = pdf_text(pdf.render(table))
    assert "Olena" in text and "Wil graag in de zorg" in text
    for secret in ("Kovalenko", "olena@example.org", "1111", "Ahmad"):
        assert secret not in text and secret not in repr(table.rows)


def test_staff_send_each_employer_their_list_by_mail(app, client, login, mailbox):
    event = held_event()
    zorg, old_token = stand(event, 1, name="Zorggroep", email="hr@zorggroep.example.nl")
    stand(event, 2, name="Stil B.V.")  # no conversations: gets no mail
    talk(zorg, person(event, "Olena"))
    login(Role.PLANNER)
    response = client.submit(f"/staff/events/{event.id}/lists/send-to-employers",
                             form_url=f"/staff/events/{event.id}/lists")
    assert response.status_code == 302
    assert len(mailbox.messages) == 1
    recipients, message = mailbox.messages[0]
    assert recipients == ["hr@zorggroep.example.nl"]
    attachment = next(part for part in message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert "Olena" in pdf_text(attachment.get_content())
    body = message.get_body(("plain",)).get_content()
    link = next(word for word in body.split() if "/stands/manage/" in word)
    # The mailed link opens the conversations page; the old link no longer does.
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert client.get(f"/stands/manage/{old_token}/conversations").status_code == 404


def test_the_employer_downloads_their_list_through_the_manage_link(app, client):
    event = held_event()
    booking, token = stand(event)
    talk(booking, person(event, "Olena", "Kovalenko"))
    response = client.get(f"/stands/manage/{token}/conversations.csv")
    text = response.data.decode("utf-8")
    assert "Olena" in text and "Kovalenko" not in text
    assert client.get("/stands/manage/wrong/conversations.pdf").status_code == 404


def test_an_unknown_list_is_not_found(app, client, login):
    event = held_event()
    login(Role.PLANNER)
    assert client.get(f"/staff/events/{event.id}/lists/everything.pdf").status_code == 404
    assert client.get(f"/staff/events/{event.id}/lists/attendance.xls").status_code == 404


def test_a_list_in_an_unknown_format_is_not_found_and_not_recorded_as_exported(
        app, client, login):
    from meetgreet.audit import services as audit
    from meetgreet.audit.models import AuditAction

    event = held_event()
    booking, token = stand(event)
    talk(booking, person(event, "Olena"))
    login(Role.PLANNER)
    for url in (f"/staff/events/{event.id}/lists/attendance.xls",
                f"/staff/events/{event.id}/lists/employer/{booking.id}.doc",
                f"/stands/manage/{token}/conversations.html"):
        assert client.get(url).status_code == 404, url
    assert audit.entries(action=AuditAction.EXPORTED_LIST) == []
    assert client.get(f"/stands/manage/{token}/conversations.csv").status_code == 200
    assert len(audit.entries(action=AuditAction.EXPORTED_LIST)) == 1


def test_stands_list_counts_conversations(app):
    event = held_event()
    zorg, _ = stand(event, 1, name="Zorggroep")
    stand(event, 2, name="Bouw")
    talk(zorg, person(event, "Olena"))
    rows = lists.stands(event).rows
    assert [(r[0], r[1], r[3]) for r in rows] == [(1, "Zorggroep", 1), (2, "Bouw", 0)]


def test_the_excel_version_keeps_names_and_runs_no_formulas(app, client, login):
    from openpyxl import load_workbook

    event = held_event()
    person(event, "=SUM(A1)", "Коваленко")
    login(Role.PLANNER)
    response = client.get(f"/staff/events/{event.id}/lists/attendance.xlsx",
                          headers={"Accept-Language": "en"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == "Name"
    assert sheet["A2"].value == "'=SUM(A1) Коваленко" and sheet["A2"].data_type == "s"


def test_the_attendance_list_costs_the_same_queries_for_4_or_16_people(app):
    from ..support.queries import counting_queries

    event, _people = a_held_event()
    with counting_queries() as few:
        lists.attendance(event)
    for n in range(12):
        person(event, f"Persoon{n}", "Extra", languages=("ar", "en"))
    with counting_queries() as many:
        assert len(lists.attendance(event).rows) == 16
    assert len(many) == len(few), "one query per person is back (N+1)"


def test_the_follow_up_and_employer_lists_cost_the_same_queries_for_few_or_many(
        app, make_staff):
    from ..support.queries import counting_queries

    event = held_event()
    zorg, _ = stand(event, 1, name="Zorggroep")
    bouw, _ = stand(event, 2, name="Bouwbedrijf")
    coach = make_staff(Role.COACH, name="Carla Coach")
    today = services.local_today()

    def talked(n):
        for i in range(n):
            registration = person(event, f"Persoon{i}", "Extra", languages=("ar", "en"))
            first = talk(zorg if i % 2 else bouw, registration)
            services.create_follow_up(registration.candidate, coach,
                                      today + timedelta(days=7), conversation=first)

    def both():
        return lists.follow_up(event), lists.for_employer(zorg)

    talked(2)
    with counting_queries() as few:
        both()
    talked(10)
    with counting_queries() as many:
        staff, employer = both()
    assert len(staff.rows) == 12 and len(employer.rows) == 6
    assert len(many) == len(few), "one query per person is back (N+1)"


def interpreters_at(event):
    """Five interpreters, names in four scripts: yes for the whole event, yes for a window,
    no, no answer yet, and one never invited who came with their badge anyway."""
    import uuid

    from meetgreet.checkin import services as checkin
    from meetgreet.interpreters import services as interpreters
    from meetgreet.interpreters.models import Answer

    def tolk(name, *codes):
        return interpreters.save_interpreter(interpreters.InterpreterData(name, list(codes)))

    whole, window, no, silent, uninvited = (
        tolk("Амина Юсупова", "ru", "uk"), tolk("عمر الحلبي", "ar"), tolk("Ali Rezaei", "fa"),
        tolk("ትግስት ሃብተ", "ti"), tolk("Dilan Kaya", "ku", "tr"))
    invitation = dict(zip((whole, window, no, silent),
                          (i for i, _ in interpreters.invite(event, [whole, window, no, silent])),
                          strict=True))
    interpreters.set_answer(invitation[whole], Answer.YES)
    interpreters.set_answer(invitation[window], Answer.YES,
                            available_from=event.starts_at + timedelta(hours=1))
    interpreters.set_answer(invitation[no], Answer.NO)
    codes = {key[1]: code for key, code in checkin.badge_codes(event).items()
             if key[0] == "interpreter"}
    door = checkin.Scanner(label="deur 1")
    for came in (whole, uninvited):
        assert checkin.scan(event.id, codes[came.id], uuid.uuid4().hex, door,
                            now=event.starts_at + timedelta(minutes=5))["status"] == "ok"
    return whole, window, no, silent, uninvited


def test_the_interpreter_list_shows_who_is_expected_and_who_came(app):
    event = held_event()
    interpreters_at(event)
    table = lists.interpreters(event)
    rows = {row[0]: row for row in table.rows}
    # The one who said no and did not come is not expected; the uninvited one came.
    assert sorted(rows) == sorted(["Амина Юсупова", "عمر الحلبي", "ትግስት ሃብተ", "Dilan Kaya"])
    assert rows["Амина Юсупова"][1:3] == ("Russian, Ukrainian", "Whole event")
    starts = event.starts_at + timedelta(hours=1)
    from flask_babel import format_time

    assert rows["عمر الحلبي"][2] == (f"{format_time(starts, 'short')}–"
                                     f"{format_time(event.ends_at, 'short')}")
    assert rows["ትግስት ሃብተ"][2] == "No answer yet"
    assert rows["Dilan Kaya"][2] == "Not invited"
    checked = format_time(event.starts_at + timedelta(minutes=5), "short")
    assert rows["Амина Юсупова"][3] == checked and rows["Dilan Kaya"][3] == checked
    assert rows["عمر الحلبي"][3] is lists.TICK_BOX


def test_the_interpreter_list_as_pdf_csv_and_excel(app, client, login):
    import csv
    import unicodedata

    from openpyxl import load_workbook

    event = held_event()
    interpreters_at(event)
    login(Role.PLANNER)
    base = f"/staff/events/{event.id}/lists/interpreters"
    english = {"Accept-Language": "en"}
    response = client.get(f"{base}.pdf", headers=english)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for name in ("Амина Юсупова", "Dilan Kaya", "Whole event", "Interpreters"):
        assert name in text
    # Arabic is drawn shaped (its presentation forms fold back to the letters) and Ethiopic
    # with its own font.
    assert "عمر الحلبي" in unicodedata.normalize("NFKC", text)
    assert "ትግስት ሃብተ" in text

    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv", headers=english)
                                        .data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Name", "Languages", "Available", "Checked in"]
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["ትግስት ሃብተ"][1:] == ["Tigrinya", "No answer yet", ""]
    assert by_name["Dilan Kaya"][2] == "Not invited" and by_name["Dilan Kaya"][3]
    assert "Ali Rezaei" not in by_name

    sheet = load_workbook(io.BytesIO(client.get(f"{base}.xlsx").data)).active
    assert {sheet.cell(row, 1).value for row in range(2, 6)} == set(by_name)
    page = client.get(f"/staff/events/{event.id}/lists", headers=english).get_data(as_text=True)
    assert f"{base}.pdf" in page and "Interpreters" in page


def test_an_event_without_interpreters_says_so(app):
    table = lists.interpreters(held_event())
    assert table.rows == []
    assert "No interpreters" in pdf_text(pdf.render(table))
