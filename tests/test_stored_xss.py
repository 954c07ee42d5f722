"""Attacked on purpose: every free-text field holds hostile text, and nothing it reaches obeys it.

One "hostile world" (each field someone can type into, stored through the services) is
visited everywhere it can surface: every page (no markup gets through unescaped), every PDF
(the text is drawn as text, never read as reportlab markup), every CSV and XLSX export (no cell
starts a formula) and every mail (HTML escaped, no header injected by a line break in a name).
"""

import csv
import io
import re
from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.candidates import importing
from meetgreet.candidates.models import Candidate, InvitationStatus
from meetgreet.candidates.services import register
from meetgreet.checkin.models import BadgeCode
from meetgreet.checkin.services import Scanner, badge_codes, issue_device, scan, undo
from meetgreet.employers.notifications import send_outcome
from meetgreet.employers.services import (
    ReservationData,
    VacancyData,
    decline_booking,
    reserve_stand,
)
from meetgreet.extensions import db
from meetgreet.followup.models import FollowUpStatus, Interest, NextStep, OutcomeKind, RecordedBy
from meetgreet.followup.notifications import send_reminders
from meetgreet.followup.services import (
    create_follow_up,
    local_today,
    record_conversation,
    record_outcome,
    set_follow_up_status,
)
from meetgreet.interpreters.models import Answer, InterpreterPost, RuleKind
from meetgreet.interpreters.notifications import send_invitation, send_plans
from meetgreet.interpreters.services import (
    InterpreterData,
    add_rule,
    invite,
    save_interpreter,
    set_answer,
)
from meetgreet.mail.models import OutboxMessage
from meetgreet.reports import lists
from meetgreet.reports.notifications import send_employer_lists
from meetgreet.scheduling.models import EventStatus, Series, VenueBlackout
from meetgreet.scheduling.services import notify_cancellation

from .candidates.builders import details
from .conftest import Client
from .support.factories import make_event, make_venue
from .test_access_matrix import routes, url_for_rule

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FONT = "<font size=80>"  # reportlab Paragraph markup: would print huge, and vanish as text
PARA = "<b><para>"  # unbalanced: a Paragraph would refuse it
AMP = "&amp;"  # an entity: must come out as these five characters
FORMULA = '=HYPERLINK("http://evil","x")'
# A line break and a header: in a name that lands in To: or Subject:, it must not add a header.
INJECT = "\r\nBcc: evil@example.org"

# Markup that, found raw in a page, means the text was not escaped.
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror", "<font size=80>", "<para>")
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")

# field -> (how it starts: a spreadsheet formula, then markup for pages and PDFs). Each value
# ends in its field's name, so a failure says which field leaked. Lengths fit the columns.
FIELDS = {
    "venue.name": ("@SUM(A1)", SCRIPT),
    "venue.address": ("+1+1", IMG),
    "venue.town": ("-2", FONT),
    "venue.route": (FORMULA, PARA),
    "venue.accessibility": ("@SUM(A1)", AMP + IMG),
    "blackout.reason": (FORMULA, SCRIPT),
    "series.name": ("+1+1", SCRIPT),
    "event.theme": (FORMULA, SCRIPT),
    "event.description": ("-2", IMG + FONT),
    "staff.name": ("-2", IMG),
    "device.label": ("+1+1", SCRIPT),
    "candidate.first_name": (FORMULA, SCRIPT),
    "candidate.last_name": ("+1+1", IMG),
    "candidate.latin_name": ("-2", FONT + AMP),
    "candidate.experience": ("@SUM(A1)", PARA + SCRIPT),
    "candidate.municipality": ("\t=1", IMG),
    "no_show.last_name": ("-2", SCRIPT),
    "walk_in.last_name": ("@SUM(A1)", IMG),
    "invited.last_name": ("\r=1", SCRIPT),
    "organisation.name": (FORMULA, IMG),
    "contact.name": ("+1+1", SCRIPT + AMP),
    "organisation.town": ("-2", PARA),
    "booking.remarks": ("@SUM(A1)", SCRIPT),
    "booking.decline_reason": (FORMULA, IMG),
    "vacancy.title": ("-2", SCRIPT),
    "vacancy.location": ("+1+1", FONT),
    "vacancy.description": ("@SUM(A1)", IMG),
    "interpreter.name": ("@SUM(A1)", IMG + AMP),
    "interpreter.agency": ("-2", SCRIPT),
    "interpreter.notes": (FORMULA, FONT + IMG),
    "conversation.note": ("+1+1", FONT + SCRIPT),
    "follow_up.action": (FORMULA, IMG),
    "follow_up.result": ("-2", SCRIPT + PARA),
    "outcome.note": ("@SUM(A1)", IMG),
    "undo.reason": ("+1+1", SCRIPT),
    "outbox.subject": (FORMULA, SCRIPT),
}
# Names that go into a mail's To: (display name) or Subject: (the event's title).
HEADER_FIELDS = {"event.theme", "staff.name", "candidate.first_name", "invited.last_name",
                 "contact.name", "interpreter.name"}
HOSTILE = {field: f"{lead}{markup} {field}" + (INJECT if field in HEADER_FIELDS else "")
           for field, (lead, markup) in FIELDS.items()}
# Stored, but on no page (yet): the check-in log has no page, and an invited candidate who has
# not registered is on no list.
NOT_ON_ANY_PAGE = {"undo.reason", "invited.last_name"}


@pytest.fixture
def hostile_world(app, make_staff, mailbox):
    """Everything a URL can point at, every free-text field filled with hostile text."""
    h = HOSTILE
    venue = make_venue(name=h["venue.name"], address=h["venue.address"], town=h["venue.town"],
                       route_description=h["venue.route"],
                       accessibility_notes=h["venue.accessibility"])
    event = make_event(venue=venue, theme=h["event.theme"], description_nl=h["event.description"],
                       description_en=h["event.description"])
    series = Series(name=h["series.name"], venue=venue, weekday=event.starts_at.weekday(),
                    starts_at=event.starts_at.time(), ends_at=event.ends_at.time())
    event.series = series
    blackout = VenueBlackout(venue=venue, starts_on=local_today() + timedelta(days=300),
                             ends_on=local_today() + timedelta(days=301),
                             reason=h["blackout.reason"])
    message = OutboxMessage(recipient="a@example.org", subject=h["outbox.subject"],
                            raw=f"Subject: x\n\n{h['outbox.subject']}".encode())
    db.session.add_all([series, blackout, message])
    db.session.commit()
    coach = make_staff(Role.COACH, name=h["staff.name"])
    device, _token = issue_device(h["device.label"], coach.id)
    door = Scanner(label=device.label, device_id=device.id)

    stand = reserve_stand(event.id, ReservationData(
        organisation_name=h["organisation.name"], kvk_number="10000001", sector="care",
        contact_name=h["contact.name"], contact_email="hr@example.nl",
        contact_phone="+31612345678", town=h["organisation.town"], representatives=2,
        languages=["nl", "uk"], interpreter_languages=["uk"], remarks=h["booking.remarks"],
        vacancies=[VacancyData(title=h["vacancy.title"], sector="care",
                               location=h["vacancy.location"],
                               description=h["vacancy.description"])]))
    booking = stand.booking
    booking.stand_number = 1
    event.stands_need_approval = True  # a second stand waits for approval, and is declined
    db.session.commit()
    declined = reserve_stand(event.id, ReservationData(
        organisation_name="Ander B.V.", kvk_number="10000002", sector="care",
        contact_name="Ander", contact_email="ander@example.nl", contact_phone="+31612345678"))
    decline_booking(declined.booking, h["booking.decline_reason"])

    with app.test_request_context():
        came = register(event, details(
            first_name=h["candidate.first_name"], last_name=h["candidate.last_name"],
            latin_name=h["candidate.latin_name"], experience=h["candidate.experience"],
            municipality=h["candidate.municipality"], needs_interpreter=True),
            locale="nl", share_consent=True)
        no_show = register(event, details(last_name=h["no_show.last_name"],
                                          email="b@example.org"), locale="nl", share_consent=True)
        register(event, details(last_name=h["walk_in.last_name"], email="c@example.org"),
                 locale="nl", share_consent=True, walk_in=True)
        for index, person in enumerate((came.registration, no_show.registration)):
            scan(event.id, person.ticket_code, f"nonce-{index}", door)
        undo(no_show.registration, h["undo.reason"], door)
    registration = came.registration
    registration.candidate.coach = coach
    # The import squashes names; a candidate edited later by staff need not be.
    invited = Candidate(first_name="Iva", last_name=h["invited.last_name"],
                        email="d@example.org")
    batch = importing.start_invitations([invited], event)

    conversation = record_conversation(
        booking, registration, interest=Interest.INTERESTED, next_step=NextStep.INTERVIEW,
        note=h["conversation.note"], recorded_by=RecordedBy.STAFF)
    follow_up = create_follow_up(registration.candidate, coach, local_today(),
                                 conversation=conversation, action=h["follow_up.action"])
    done = create_follow_up(registration.candidate, coach, local_today(), action="Bellen")
    set_follow_up_status(done, FollowUpStatus.DONE, result=h["follow_up.result"])
    record_outcome(registration.candidate, OutcomeKind.INTERVIEW_HELD, local_today(),
                   user=coach, organisation=booking.organisation, note=h["outcome.note"])

    interpreter = save_interpreter(InterpreterData(
        name=h["interpreter.name"], languages=["uk"], email="tolk@example.org",
        agency=h["interpreter.agency"], notes=h["interpreter.notes"]))
    (invitation, interpreter_token), = invite(event, [interpreter])
    set_answer(invitation, Answer.YES)
    db.session.add(InterpreterPost(event_id=event.id, interpreter_id=interpreter.id,
                                   window="event", language="uk", home_stand=1,
                                   stand_numbers="1"))
    db.session.commit()
    rule = add_rule(event, interpreter, RuleKind.EXCLUDE)
    badge_codes(event)  # the representatives' and interpreter's badges, as printing makes them
    badge = db.session.scalars(select(BadgeCode).where(BadgeCode.event_id == event.id)).first()
    mailbox.messages.clear()  # the mails so far are checked where they are sent on purpose
    return {
        "event": event, "booking": booking, "coach": coach, "follow_up": follow_up,
        "invitation": invitation, "batch": batch, "stand": stand,
        "urls": {
            "device_id": device.id, "badge_id": badge.id, "interpreter_ref": interpreter.ref,
            "interpreter_token": interpreter_token, "rule_id": rule.id,
            "candidate_token": came.link_token, "ref": registration.ref,
            "stand_token": stand.token, "batch_id": batch.id, "booking_id": booking.id,
            "organisation_id": booking.organisation_id, "event_id": event.id,
            "venue_id": venue.id, "series_id": series.id, "blackout_id": blackout.id,
            "message_id": message.id, "user_id": coach.id, "filename": "css/app.css",
            "conversation_ref": conversation.ref, "follow_up_ref": follow_up.ref,
            "chart": "funnel",
        },
    }


# Path arguments with several meaningful values: each combination is visited.
VARIANTS = {"list_name": list(lists.EVENT_LISTS), "list_format": ["pdf", "csv", "xlsx"],
            "chart": ["funnel", "within"], "data_format": ["json", "pdf"]}
# Pages that show more with a query string.
QUERIES = {
    "badges.event_pdf": ["?kind=candidates", "?kind=employers", "?kind=interpreters",
                         "?kind=staff"],
    "reports.find_groups": ["?sector=care&minimum=1"],
    "reports.groups_csv": ["?sector=care&minimum=1"],
    "candidates.staff_list": ["", "?q=evil"],
}


def every_get_url(app, world):
    for rule, method in routes(app):
        if method != "GET" or rule.endpoint == "static":
            continue
        variants = [{}]
        for argument in rule.arguments & VARIANTS.keys():
            variants = [{**v, argument: value} for v in variants for value in VARIANTS[argument]]
        for variant in variants:
            url = url_for_rule(rule, {**world["urls"], **variant})
            for query in QUERIES.get(rule.endpoint, [""]):
                yield rule.endpoint, url + query


def visit_all(app, world, admin):
    """url -> response, everything reachable by GET, seen by an admin."""
    client = Client(app, app.response_class, use_cookies=True)
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = admin.get_id(), True
    responses = {}
    for _endpoint, url in every_get_url(app, world):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code < 500, f"GET {url}: {response.status_code}"
        responses[url] = response
    return responses


def squeezed(text: str) -> str:
    """Without whitespace: PDFs wrap and join lines, and draw a name's line break as a space."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def spreadsheet_cells(response) -> list:
    if response.mimetype == "text/csv":
        text = response.get_data(as_text=True).removeprefix("\ufeff")
        return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def test_hostile_text_is_harmless_on_every_page_pdf_and_export(app, hostile_world, make_staff):
    responses = visit_all(app, hostile_world, make_staff(Role.ADMIN))
    shown_escaped, pdfs, exports = set(), 0, 0
    for url, response in responses.items():
        if response.mimetype in ("text/html", "image/svg+xml"):
            page = response.get_data(as_text=True)
            for raw in RAW_MARKUP:
                assert raw not in page, f"{url} shows {raw!r} unescaped"
            # Forms show some fields with their spaces squashed, as they will store them.
            shown_escaped |= {field for field, value in HOSTILE.items()
                              if str(escape(value)) in page
                              or str(escape(" ".join(value.split()))) in page}
        elif response.mimetype == "application/pdf":
            pdfs += 1
            text = squeezed(pdf_text(response.data))
            # Markup is drawn as the characters typed: a field named there is there in full.
            for field, value in HOSTILE.items():
                if field in text:
                    assert squeezed(value) in text, f"{url} altered {field}: {text}"
            assert any(squeezed(value) in text for value in HOSTILE.values()), \
                f"{url}: the hostile world does not reach this PDF"
        elif response.mimetype in ("text/csv", "application/vnd.openxmlformats-officedocument"
                                                ".spreadsheetml.sheet"):
            exports += 1
            cells = spreadsheet_cells(response)
            if response.mimetype == "text/csv":
                values = cells
            else:
                assert not [c.coordinate for c in cells if c.data_type == "f"], f"{url}: formula"
                values = [c.value for c in cells if isinstance(c.value, str)]
            starting = [v for v in values if v.startswith(FORMULA_LEADS)]
            assert starting == [], f"{url}: cells a spreadsheet would run: {starting}"
            # Names are stored with their line breaks squashed, so compare without whitespace.
            assert any(squeezed(value) in squeezed(v) for v in values
                       for value in HOSTILE.values()), \
                f"{url}: the hostile world does not reach this export"
    assert pdfs >= 10 and exports >= 10  # the crawl did reach the documents
    assert set(HOSTILE) - NOT_ON_ANY_PAGE - shown_escaped == set(), \
        "these fields appear on no page: is the world still reaching every page?"


def test_mails_escape_hostile_text_and_keep_headers_whole(app, hostile_world, mailbox):
    """Every mail that carries free text goes out, HTML escaped, with no header added."""
    world = hostile_world
    event, booking = world["event"], world["booking"]
    world["follow_up"].due_on = local_today() - timedelta(days=8)
    db.session.commit()
    assert send_reminders() == 1  # from cron: no request
    assert send_employer_lists(event) == 1
    with app.test_request_context():
        register(event, details(first_name=HOSTILE["candidate.first_name"], email="e@example.org",
                                last_name=HOSTILE["candidate.last_name"]),
                 locale="nl", share_consent=True)
        importing.send_next(world["batch"])
        assert world["batch"].invitations[0].status is InvitationStatus.SENT
        assert send_invitation(world["invitation"], "token")
        send_outcome(world["stand"])
        assert send_plans(event) == (1, 0)
        event.status = EventStatus.CANCELLED
        assert notify_cancellation(event) >= 3

    sent = [BytesParser(policy=policy.default).parsebytes(m.as_bytes())
            for _to, m in mailbox.messages]
    # ticket, candidate invitation, interpreter invitation, stand mail, reminder, plan,
    # employer list, and the cancellation to each candidate and the employer.
    assert len(sent) >= 10, [m["Subject"] for m in sent]
    html_parts = []
    for message in sent:
        where = f"mail {message['Subject']!r} to {message['To']!r}"
        # The injected "Bcc: evil@..." stays part of the quoted name: one recipient, no copy.
        assert message["Bcc"] is None and message["Cc"] is None, where
        (recipient,) = message["To"].addresses
        assert recipient.addr_spec != "evil@example.org", where
        assert "\n" not in str(message["Subject"]) + str(message["To"]), where
        html = message.get_body(("html",))
        if html is not None:
            html_parts.append(content := html.get_content())
            for raw in RAW_MARKUP:
                assert raw not in content, f"{where} has {raw!r} unescaped"
    # The ticket mail's HTML does show the hostile venue name: escaped.
    assert any(str(escape(HOSTILE["venue.name"])) in part for part in html_parts)
    assert any(HOSTILE["event.theme"].split("\r")[0] in str(m["Subject"]) for m in sent)
    assert booking.contact_email in {str(m["To"].addresses[0].addr_spec) for m in sent}
