"""Importing candidates from CSV and XLSX: preview first, valid rows in, the same file twice
adds no one, invitations in each person's language."""

import io
import re

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from meetgreet.accounts.models import Role
from meetgreet.candidates import importing
from meetgreet.candidates.models import Candidate
from meetgreet.extensions import db

from ..support.factories import make_event

CSV = (
    "Voornaam;Achternaam;E-mail;Mobiel;Talen;Niveau Nederlands;Sectoren;Gemeente;Voorkeurstaal\n"
    "Олена;Коваленко;olena@example.org;06 12345678;uk:native en:good;A1;care;Amsterdam;uk\n"
    "أحمد;حداد;ahmad@example.org;;ar;none;ict logistics;Diemen;ar\n"
    "Tesfay;Gebre;;+31 6 87654321;ti;A2;;Amstelveen;\n"
    "   ;Leeg;leeg@example.org;;;;;;\n"
    "Bad;Mail;not-an-address;;;;;;\n"
    "Nobody;Contact;;;;;;;\n"
    "Olena;Dubbel;olena@example.org;;;;;;\n"
    "Klingon;Speaker;k@example.org;;tlh;C3;spying;;xx\n"
)


def count() -> int:
    return db.session.scalar(select(func.count(Candidate.id)))


def upload(client, data: bytes, filename="clients.csv", event=""):
    return client.submit("/staff/candidates/import", {
        "file": (io.BytesIO(data), filename), "event": event,
    }, content_type="multipart/form-data", headers={"Accept-Language": "en"})


def confirm(client, preview_html: str):
    fields = dict(re.findall(r'name="(filename|data|event|action)" value="([^"]*)"',
                             preview_html))
    return client.submit("/staff/candidates/import", fields,
                         form_url="/staff/candidates/import",
                         headers={"Accept-Language": "en"})


def test_rows_are_checked_one_by_one(app, request_context):
    rows = importing.check_table(importing.read_table("x.csv", CSV.encode("utf-8-sig")))
    assert [row.number for row in rows if row.valid] == [2, 3, 4]
    problems = {row.number: " ".join(map(str, row.problems)) for row in rows}
    assert "not only spaces" in problems[5]
    assert "valid e-mail" in problems[6]
    assert "mobile number or an e-mail" in problems[7]
    assert "Same person as row 2." in problems[8]
    assert all(word in problems[9] for word in ("tlh", "C3", "spying", "xx"))
    olena = rows[0].details
    assert olena.phone == "+31612345678" and olena.languages == {"uk": "native", "en": "good"}
    assert olena.latin_name == "Olena Kovalenko" and rows[0].locale == "uk"


def test_a_latin_name_in_the_file_is_checked_like_the_form_does(app, request_context):
    header = "Voornaam;Achternaam;Naam in Latijns schrift;E-mail\n"
    rows = importing.check_table(importing.read_table("x.csv", (
        header
        + "Олена;Коваленко;Олена Коваленко;a@example.org\n"
        + f"Олена;Коваленко;{'Kovalenko' * 30};b@example.org\n"
        + "Олена;Коваленко;\"Olena\n  Kovalenko\";c@example.org\n"
        + f"{'Щ' * 100};{'Щ' * 100};;d@example.org\n"
    ).encode()))
    assert [row.valid for row in rows] == [False, False, True, True]
    assert "Latin letters only" in " ".join(map(str, rows[0].problems))
    assert "at most 100 characters" in " ".join(map(str, rows[1].problems))
    assert rows[2].details.latin_name == "Olena Kovalenko"
    importing.import_rows(rows)  # the long transliteration fits its column (PostgreSQL)
    stored = db.session.scalar(select(Candidate).where(Candidate.email == "d@example.org"))
    assert 0 < len(stored.latin_name) <= 100


def test_unusable_files_are_refused_whole(app, request_context):
    with pytest.raises(importing.ImportFileError):
        importing.read_table("x.csv", b"")
    with pytest.raises(importing.ImportFileError):
        importing.read_table("x.csv", b"name;mail\nA;b@example.org\n")
    with pytest.raises(importing.ImportFileError):
        importing.read_table("x.xlsx", b"not a workbook")


def test_preview_then_import_then_the_same_file_adds_no_one(client, login, app, mailbox):
    event = make_event(theme="Logistiek")
    login(Role.COACH)
    preview = upload(client, CSV.encode("utf-8"), event=str(event.id))
    page = preview.get_data(as_text=True)
    assert "3 of 8 rows can be imported. Nothing is saved yet." in page
    assert "Same person as row 2." in page and "Коваленко" in page
    assert count() == 0 and mailbox.messages == []

    done = confirm(client, page).get_data(as_text=True)
    assert "3 candidates imported or updated." in done
    assert count() == 3
    progress_url = re.search(r'href="(/staff/invitations/\d+)"', done).group(1)
    page = client.get(progress_url).get_data(as_text=True)
    assert 'data-count="pending">3<' in page and mailbox.messages == []
    # The page's script asks for JSON, a chunk at a time; without it the button does the same.
    progress = client.post(progress_url + "/send", headers={"Accept": "application/json"},
                           data={"csrf_token": client.csrf_token(progress_url)}).json
    assert progress == {"pending": 0, "sent": 2, "skipped": 1, "total": 3}  # Tesfay: no e-mail
    page = client.get(progress_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "All invitations are done." in page
    by_address = {to[0]: message for to, message in mailbox.messages}
    assert set(by_address) == {"olena@example.org", "ahmad@example.org"}
    assert f"/events/{event.id}/register" in by_address["ahmad@example.org"].get_content()
    assert "Rows not imported" in done and "not-an-address" not in done

    again = upload(client, CSV.encode("utf-8"))
    assert "Known already" in again.get_data(as_text=True)
    confirm(client, again.get_data(as_text=True))
    assert count() == 3


def test_an_excel_file_imports_too(client, login, app):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Phone", "Languages"])
    sheet.append(["Юрій", "Щербак", "0612345678", "uk ru:good"])
    sheet.append(["Ali", "", "0612345679", "fa"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    login(Role.PLANNER)
    preview = upload(client, buffer.getvalue(), filename="export.xlsx").get_data(as_text=True)
    assert "1 of 2 rows can be imported." in preview
    confirm(client, preview)
    candidate = db.session.scalars(select(Candidate)).one()
    assert candidate.latin_name == "Yurii Shcherbak"
    assert {lang.code: lang.level for lang in candidate.languages} == {"uk": "native",
                                                                       "ru": "good"}


def test_only_candidate_staff_import(client, login, app):
    login(Role.DOOR)
    assert client.get("/staff/candidates/import").status_code == 403


def test_a_tampered_confirmation_is_refused(client, login, app):
    login(Role.COACH)
    response = client.submit("/staff/candidates/import", {
        "action": "import", "filename": "x.csv", "data": "%%%not base64"},
        form_url="/staff/candidates/import")
    assert response.status_code == 400 and count() == 0


def test_invitations_go_out_a_chunk_at_a_time_and_never_twice(app, request_context, mailbox):
    from meetgreet.candidates.models import Candidate

    event = make_event()
    people = [Candidate(first_name=f"Persoon{n}", last_name="Test", email=f"p{n}@example.org",
                        locale="uk" if n % 2 else "nl") for n in range(25)]
    db.session.add_all(people)
    db.session.commit()
    batch = importing.start_invitations(people + people[:3], event)
    assert importing.batch_progress(batch) == {"pending": 25, "sent": 0, "skipped": 0,
                                               "total": 25}
    importing.send_next(batch, chunk=10)
    assert importing.batch_progress(batch)["pending"] == 15
    importing.send_next(batch, chunk=10)
    importing.send_next(batch, chunk=10)
    importing.send_next(batch, chunk=10)
    assert importing.batch_progress(batch) == {"pending": 0, "sent": 25, "skipped": 0,
                                               "total": 25}
    recipients = [rcpt for rcpts, _ in mailbox.messages for rcpt in rcpts]
    assert sorted(recipients) == sorted(f"p{n}@example.org" for n in range(25))
