"""The public registration form, the ticket page and the personal link, through HTTP."""

import base64
import io
import re
import unicodedata

import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from meetgreet.candidates.models import Candidate, Registration, RegistrationStatus
from meetgreet.extensions import db
from meetgreet.scheduling.models import EventStatus

from ..support.factories import make_event

FORM = {
    "first_name": "Олена", "last_name": "Коваленко", "phone": "06 12345678",
    "email": "", "languages-uk": "native", "languages-en": "basic", "dutch_level": "A1",
    "needs_interpreter": "yes", "sectors": ["care", "cleaning"],
    "experience": "Медсестра, 10 років", "education_level": "vocational",
    "diplomas_evaluated": "unknown", "municipality": "Amsterdam", "consent": "y",
}


def url(event) -> str:
    return f"/events/{event.id}/register"


def post(client, event, language="uk", **changes):
    data = {**FORM, **changes}
    return client.submit(url(event), {k: v for k, v in data.items() if v is not None},
                         headers={"Accept-Language": language})


def registrations() -> int:
    return db.session.scalar(select(func.count(Registration.id)))


def test_the_event_page_leads_to_the_form_in_the_readers_language(client, app):
    event = make_event()
    page = client.get(f"/events/{event.id}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert f'href="{url(event)}"' in page
    form = client.get(url(event), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Register for the Meet & Greet" in form
    # Every question says why it is asked, and the privacy text names term and legal basis.
    assert "So we can reach you about this event." in form
    # ... the same terms the retention run applies.
    assert "We delete your data 90 days after your last event." in form
    assert "at most 18 months after your first event." in form
    assert "GDPR article 6(1)(e)" in form
    assert not re.search(r'name="[^"]*(bsn|birth|nationality)', form, re.IGNORECASE)


def test_a_candidate_registers_and_sees_the_ticket_with_a_qr(client, app, mailbox):
    event = make_event(theme="Zorg")
    response = post(client, event)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/my/")
    registration = db.session.scalars(select(Registration)).one()
    candidate = registration.candidate
    assert (candidate.first_name, candidate.last_name) == ("Олена", "Коваленко")
    assert candidate.latin_name == "Olena Kovalenko"  # filled in for staff and employers
    assert candidate.phone == "+31612345678" and candidate.email is None
    assert {(lang.code, lang.level) for lang in candidate.languages} == {
        ("uk", "native"), ("en", "basic")}
    assert [sector.code for sector in candidate.sectors] == ["care", "cleaning"]
    assert candidate.needs_interpreter and candidate.diplomas_evaluated is None
    assert candidate.education_level == "vocational"
    assert registration.locale == "uk" and candidate.locale == "uk"
    assert registration.share_consent_at is not None
    assert mailbox.messages == []  # no e-mail address given

    ticket = client.get(response.headers["Location"], headers={"Accept-Language": "uk"})
    assert ticket.headers["Cache-Control"] == "no-store"
    page = ticket.get_data(as_text=True)
    assert "Коваленко" in page and "Olena Kovalenko" in page
    data_uri = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(data_uri))))
    assert barcode.text == registration.ticket_code
    # The link is an unguessable token, not a number that counts people.
    assert re.fullmatch(r"/my/[A-Za-z0-9_-]{32}", response.headers["Location"])
    ics = client.get(response.headers["Location"] + "/meet-and-greet.ics")
    assert ics.mimetype == "text/calendar" and event.ical_uid.encode() in ics.data


def test_a_latin_name_given_is_kept(client, app):
    event = make_event()
    post(client, event, latin_name="Olena Kovalenko-Shevchenko")
    assert db.session.scalars(select(Candidate.latin_name)).one() == "Olena Kovalenko-Shevchenko"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"phone": "", "email": ""}, "phone", "Enter a mobile number or an e-mail address."),
    ({"email": "olena@", "phone": ""}, "email", "Enter a valid e-mail address"),
    ({"phone": "12345"}, "phone", "Enter a valid phone number"),
    ({"first_name": "   "}, "first_name", "Enter a name (not only spaces)."),
    ({"last_name": "К" * 101}, "last_name", "at most 100 characters"),
    ({"first_name": "Олена 😀"}, "first_name", "emoji"),
    ({"first_name": "Oлена"}, "first_name", "one alphabet"),  # Latin O, Cyrillic rest
    ({"first_name": "<script>alert(1)</script>"}, "first_name", "Use only letters"),
    ({"latin_name": "Олена"}, "latin_name", "Latin letters only"),
    ({"languages-xx": "native"}, "languages", "Choose languages and levels from the list."),
    ({"languages-uk": "fluent"}, "languages", "Choose languages and levels from the list."),
    ({"sectors": ["spying"]}, "sectors", "not a valid choice"),
    ({"consent": None}, "consent", "Please agree"),
])
def test_bad_input_is_explained_on_the_field_and_nothing_is_stored(client, app, mailbox,
                                                                   changes, field, message):
    event = make_event()
    response = post(client, event, language="en", **changes)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert re.search(rf'id="{field}-error-0"|class="field choice-group has-error"', page)
    assert "&lt;script&gt;" in page or "<script>alert" not in page
    assert registrations() == 0 and mailbox.messages == []


def test_errors_come_in_the_readers_language(client, app):
    response = post(client, make_event(), language="ar", phone="", email="")
    page = response.get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    assert registrations() == 0


@pytest.mark.parametrize(("fields", "status", "message"), [
    ({"status": EventStatus.CANCELLED}, 200, "This Meet & Greet has been cancelled."),
    ({"status": EventStatus.REGISTRATION_CLOSED}, 200, "Registration for this Meet"),
])
def test_closed_events_refuse_with_a_clear_message(client, app, fields, status, message):
    event = make_event(**fields)
    page = client.get(url(event), headers={"Accept-Language": "en"})
    assert page.status_code == status and message in page.get_data(as_text=True)
    assert post(client, event, language="en").status_code == 409
    assert registrations() == 0


def test_drafts_are_not_found(client, app):
    event = make_event(status=EventStatus.DRAFT)
    assert client.get(url(event)).status_code == 404


def test_a_full_event_offers_the_waiting_list(client, app, mailbox):
    event = make_event(candidate_capacity=0)
    page = client.get(url(event), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This Meet & Greet is full." in page and "Join the waiting list" in page
    response = post(client, event, language="en", email="olena@example.org")
    assert response.status_code == 302
    registration = db.session.scalars(select(Registration)).one()
    assert registration.status is RegistrationStatus.WAITING
    ticket = client.get(response.headers["Location"], headers={"Accept-Language": "en"})
    assert "You are on the waiting list." in ticket.get_data(as_text=True)
    assert "Your place on the waiting list: 1." in ticket.get_data(as_text=True)
    second = post(client, event, language="en", email="second@example.org", phone="0611111111",
                  first_name="Юрій", last_name="Щербак").headers["Location"]
    page = client.get(second, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your place on the waiting list: 2." in page
    assert "data:image/png" not in ticket.get_data(as_text=True)
    assert "waiting list" in mailbox.messages[0][1]["Subject"]


def test_registering_twice_resends_and_says_so(client, app, mailbox):
    event = make_event()
    post(client, event, email="olena@example.org")
    response = post(client, event, language="en", email="OLENA@example.org", phone="")
    assert response.status_code == 200
    assert "You are already registered" in response.get_data(as_text=True)
    assert registrations() == 1 and len(mailbox.messages) == 2


def test_the_form_needs_its_csrf_token(client, app):
    event = make_event()
    response = client.post(url(event), data=FORM)
    assert response.status_code == 400 and registrations() == 0


def test_posting_is_rate_limited(client, app):
    event = make_event()
    codes = [post(client, event, phone="", email="").status_code for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429


def test_the_personal_link_changes_interests_and_cancels_after_confirmation(client, app,
                                                                            mailbox):
    event = make_event(candidate_capacity=1)
    link = post(client, event, email="olena@example.org").headers["Location"]
    waiting = post(client, event, first_name="Юрій", last_name="Щербак",
                   phone="0687654321", email="yurii@example.org").headers["Location"]
    mailbox.messages.clear()

    change = client.submit(link + "/change", {"languages-uk": "native", "languages-ru": "good",
                                              "dutch_level": "A2", "needs_interpreter": "no",
                                              "sectors": ["ict"], "experience": "ІТ"},
                           headers={"Accept-Language": "uk"})
    assert change.status_code == 302
    candidate = db.session.scalars(select(Candidate).where(
        Candidate.first_name == "Олена")).one()
    assert {lang.code for lang in candidate.languages} == {"uk", "ru"}
    assert [s.code for s in candidate.sectors] == ["ict"] and candidate.dutch_level == "A2"

    confirm = client.get(link + "/cancel", headers={"Accept-Language": "en"})
    assert "Are you sure?" in confirm.get_data(as_text=True)
    assert registrations() == 2  # asking is not cancelling
    assert client.submit(link + "/cancel", form_url=link + "/cancel").status_code == 302
    statuses = {r.candidate.first_name: r.status for r in db.session.scalars(
        select(Registration))}
    assert statuses == {"Олена": RegistrationStatus.CANCELLED,
                        "Юрій": RegistrationStatus.REGISTERED}
    assert mailbox.only()["To"].addresses[0].addr_spec == "yurii@example.org"
    page = client.get(waiting, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "data:image/png" in page


def test_unknown_links_are_not_found(client, app):
    assert client.get("/my/not-a-token").status_code == 404
    assert client.get("/my/" + "x" * 300).status_code == 404


@pytest.mark.parametrize(("first", "last"), [("أحمد", "حداد"), ("Олена", "Коваленко")])
def test_the_printable_ticket_is_one_page_with_fonts_for_the_name(client, app, first, last):
    event = make_event()
    link = post(client, event, first_name=first, last_name=last).headers["Location"]
    response = client.get(link + "/ticket.pdf")
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    document = pypdfium2.PdfDocument(response.data)
    assert len(document) == 1
    fonts = {name.split(b"+")[-1] for name in re.findall(rb"/BaseFont /([\w+-]+)", response.data)}
    # Embedded from the installed font packages, subset to what the page uses (reportlab
    # declares Helvetica as every page's starting font; no text is drawn in it).
    arabic_font = {b"NotoSansArabic-Bold"} if first == "أحمد" else set()
    assert fonts - {b"NotoSans-Regular", b"NotoSans-Bold", b"Helvetica"} == arabic_font
    text = unicodedata.normalize("NFKC", PdfReader(io.BytesIO(response.data)).pages[0]
                                 .extract_text())
    assert first in text and last in text
    assert b"/Subtype /Image" not in response.data, "the QR code is vector, crisp on paper"
    image = document[0].render(scale=100 / 72).to_pil()
    (barcode,) = zxingcpp.read_barcodes(image)
    assert barcode.text == db.session.scalars(select(Registration.ticket_code)).one()


def test_the_ticket_says_when_the_event_is_cancelled(client, app):
    event = make_event()
    link = post(client, event).headers["Location"]
    event.status = EventStatus.CANCELLED
    db.session.commit()
    page = client.get(link, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This Meet & Greet has been cancelled." in page
    assert "data:image/png" not in page
