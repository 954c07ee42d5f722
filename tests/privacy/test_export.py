"""Right of access: a candidate (by their link) and admins (on request) download everything
stored about one person, as JSON and as PDF, and nothing about anyone else."""

import io
import json
import unicodedata
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.audit.services import record
from meetgreet.candidates.models import (
    Candidate,
    CandidateLanguage,
    CandidateSector,
    Invitation,
    InvitationBatch,
    InvitationStatus,
    Registration,
    RegistrationStatus,
)
from meetgreet.checkin.models import CheckInAttempt, ScanResult
from meetgreet.core.tokens import hash_token, new_link_token
from meetgreet.core.types import utcnow
from meetgreet.extensions import db
from meetgreet.followup.models import (
    Conversation,
    FollowUp,
    FollowUpStatus,
    Interest,
    NextStep,
    Outcome,
    OutcomeKind,
    RecordedBy,
)
from meetgreet.followup.services import (
    create_follow_up,
    local_today,
    record_conversation,
    record_outcome,
    set_follow_up_status,
)
from meetgreet.mail.models import OutboxMessage
from meetgreet.privacy.export import candidate_data, candidate_pdf

from ..support.people import held_event, live_event, person, stand

# Columns that are not in the export, and why; a new column fails the completeness test
# until it is exported or added here.
LEFT_OUT = {
    # An anonymised person's link is dead, so no export can ever show the date.
    Candidate: {"id", "anonymised_at",
                # The names folded for the duplicate check: the names themselves are exported.
                "name_key", "latin_key"},
    # The personal link is kept only as a hash (useless to the person); the door label is
    # a device detail, the time of the check-in is exported.
    Registration: {"id", "event_id", "candidate_id", "link_token_hash", "checked_in_by"},
    # Which colleague typed it in on the employer's behalf: "recorded_by" says by whom.
    Conversation: {"id", "event_id", "stand_booking_id", "registration_id",
                   "recorded_by_user_id", "ref"},
    FollowUp: {"id", "candidate_id", "conversation_id", "ref"},
    Outcome: {"id", "candidate_id", "organisation_id"},
}
# Columns exported under another name (a colleague or employer instead of a key).
EXPORTED_AS = {
    "coach_id": "coach", "possible_duplicate_of_id": "possible_duplicate",
    "ref": "reference", "owner_id": "owner", "recorded_by_id": "recorded_by",
}


@pytest.fixture
def ahmad(app, make_staff):
    """A person with something in every field, and Olena at the same stand beside him."""
    coach = make_staff(Role.COACH, name="Fatima de Boer")
    event = live_event()
    earlier = held_event(days_ago=30)
    booking, _ = stand(event, name="Zorggroep Amstelland")
    olena = person(event, "Олена", "Коваленко", latin="Olena Kovalenko",
                   email="olena@example.org", phone="+31611112222", experience="Verpleegster")
    candidate = Candidate(
        first_name="أحمد", last_name="حداد", latin_name="Ahmad Haddad",
        email="ahmad@example.org", phone="+31687654321", locale="ar", dutch_level="A2",
        needs_interpreter=True, experience="Tien jaar lasser in Aleppo",
        diplomas_evaluated=True, education_level="vocational", municipality="Utrecht",
        coach=coach, possible_duplicate_of=olena.candidate,
        languages=[CandidateLanguage(code="ar", level="native"),
                   CandidateLanguage(code="nl", level="basic")],
        sectors=[CandidateSector(code="construction"), CandidateSector(code="technology")])
    registration = person(event, candidate=candidate, walk_in=True)
    person(earlier, candidate=candidate, status=RegistrationStatus.CANCELLED, consent=False,
           checked_in=False)
    scanned = registration.checked_in_at
    db.session.add_all([
        CheckInAttempt(event_id=event.id, registration=registration, result=ScanResult.OK,
                       device="door 2", created_at=scanned),
        CheckInAttempt(event_id=event.id, registration=olena, result=ScanResult.OK,
                       device="door 1", created_at=scanned),
        InvitationBatch(event=event, invitations=[
            Invitation(candidate=candidate, status=InvitationStatus.SENT, sent_at=scanned),
            Invitation(candidate=olena.candidate, status=InvitationStatus.SENT)]),
        OutboxMessage(recipient="ahmad@example.org", subject="Uitnodiging", raw=b""),
        OutboxMessage(recipient="olena@example.org", subject="Ticket voor Olena", raw=b""),
        OutboxMessage(recipient="xahmad@example.org", subject="Iemand anders", raw=b""),
    ])
    conversation = record_conversation(
        booking, registration, interest=Interest.INTERESTED, next_step=NextStep.TRIAL_DAY,
        note="Kan maandag proefdraaien", recorded_by=RecordedBy.EMPLOYER)
    record_conversation(booking, olena, interest=Interest.MAYBE, next_step=NextStep.NONE,
                        note="Olena belt terug", recorded_by=RecordedBy.EMPLOYER)
    follow_up = create_follow_up(candidate, coach, local_today() + timedelta(days=3),
                                 conversation=conversation, action="Proefdag regelen")
    set_follow_up_status(follow_up, FollowUpStatus.DONE, result="Proefdag gepland")
    follow_up.reminded_at = utcnow()
    olenas_follow_up = create_follow_up(olena.candidate, coach, local_today(),
                                        action="Olena bellen")
    record_outcome(candidate, OutcomeKind.CONTRACT, local_today(), user=coach,
                   contract_hours=32, contract_type="temporary",
                   organisation=booking.organisation, note="Start als lasser")
    with app.test_request_context():
        record(AuditAction.VIEWED_CANDIDATE, candidate)
        record(AuditAction.VIEWED_CANDIDATE, olena.candidate)
        # A new owner for each one's follow-up: only Ahmad's is his.
        record(AuditAction.ASSIGNED_FOLLOW_UP, follow_up, f"owner {coach.id}")
        record(AuditAction.ASSIGNED_FOLLOW_UP, olenas_follow_up, f"owner {coach.id}")
    return registration


def exported(registration: Registration) -> dict:
    # Through JSON and back: what the file holds, not the Python objects.
    return json.loads(json.dumps(candidate_data(registration.candidate)))


def test_every_stored_field_of_the_person_is_exported(ahmad):
    data = exported(ahmad)
    rows = {
        Candidate: [data["person"]], Registration: data["registrations"],
        Conversation: data["conversations"], FollowUp: data["follow_ups"],
        Outcome: data["outcomes"],
    }
    for model, exported_rows in rows.items():
        assert exported_rows, model
        for column in model.__table__.columns:
            if column.name not in LEFT_OUT[model]:
                key = EXPORTED_AS.get(column.name, column.name)
                assert all(key in row for row in exported_rows), f"{model.__name__}.{column.name}"

    candidate = ahmad.candidate
    person = data["person"]
    for name in ("first_name", "last_name", "latin_name", "email", "phone", "locale",
                 "dutch_level", "needs_interpreter", "experience", "diplomas_evaluated",
                 "education_level", "municipality"):
        assert person[name] == getattr(candidate, name), name
    assert person["languages"] == [{"code": "ar", "level": "native"},
                                   {"code": "nl", "level": "basic"}]
    assert person["sectors"] == ["construction", "technology"]
    assert person["coach"] == {"first_name": "Fatima", "role": "coach"}
    assert person["possible_duplicate"] is True

    first, cancelled = data["registrations"]
    assert first["status"] == "registered" and first["ticket"] == "valid"
    assert first["walk_in"] is True and first["share_consent_at"]
    assert first["ticket_code"] == ahmad.ticket_code and first["reference"] == ahmad.ref
    assert first["checked_in_at"] == ahmad.checked_in_at.isoformat()
    assert first["check_ins"] == [{"at": ahmad.checked_in_at.isoformat(), "result": "ok",
                                   "reason": ""}]
    assert cancelled["ticket"] == "cancelled" and cancelled["share_consent_at"] is None

    (conversation,) = data["conversations"]
    assert conversation["employer"] == "Zorggroep Amstelland"
    assert (conversation["interest"], conversation["next_step"], conversation["note"]) == (
        "interested", "trial_day", "Kan maandag proefdraaien")
    (follow_up,) = data["follow_ups"]
    assert follow_up["status"] == "done" and follow_up["result"] == "Proefdag gepland"
    assert follow_up["action"] == "Proefdag regelen"
    assert follow_up["owner"] == {"first_name": "Fatima", "role": "coach"}
    assert follow_up["employer"] == "Zorggroep Amstelland" and follow_up["reminded_at"]
    (outcome,) = data["outcomes"]
    assert outcome["kind"] == "contract" and outcome["contract_hours"] == 32
    assert outcome["employer"] == "Zorggroep Amstelland"
    assert outcome["note"] == "Start als lasser"
    assert [i["status"] for i in data["invitations"]] == ["sent"]
    assert [m["subject"] for m in data["mails"]] == ["Uitnodiging"]
    assert [a["action"] for a in data["staff_actions"]] == ["viewed_candidate",
                                                            "assigned_follow_up"]


def test_nothing_of_another_person_is_in_the_export(ahmad):
    text = json.dumps(exported(ahmad), ensure_ascii=False)
    olena = db.session.scalar(select(Candidate).where(Candidate.first_name == "Олена"))
    olena_registration = db.session.scalar(select(Registration).where(
        Registration.candidate_id == olena.id))
    for value in ("Олена", "Коваленко", "Olena", "olena@example.org", "1111",
                  "Verpleegster", olena_registration.ticket_code, olena_registration.ref,
                  "Iemand anders"):
        assert value not in text
    # Colleagues by first name only.
    assert "de Boer" not in text


@pytest.mark.parametrize(("first", "last", "locale", "heading"), [
    ("أحمد", "حداد", "ar", None),
    ("Олена", "Коваленко", "uk", None),
    ("Ahmad", "Haddad", "en", "Conversations at the stands"),
])
def test_the_pdf_reads_in_the_persons_language_with_names_in_their_script(
        ahmad, first, last, locale, heading):
    candidate = ahmad.candidate
    candidate.first_name, candidate.last_name, candidate.locale = first, last, locale
    db.session.commit()
    pdf = candidate_pdf(candidate_data(candidate))
    text = " ".join(unicodedata.normalize("NFKC", "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)).split())
    assert first in text and last in text
    for fact in ("Zorggroep Amstelland", "Kan maandag proefdraaien", "Tien jaar lasser",
                 "ahmad@example.org", "Utrecht", ahmad.ticket_code, "Proefdag gepland"):
        assert fact in text, fact
    if heading:
        assert heading in text and "Job coach" in text
    assert "Коваленко" not in text or first == "Олена"


def test_the_candidate_downloads_their_own_data_by_their_link(client, ahmad):
    token = new_link_token()
    ahmad.link_token_hash = hash_token(token)
    db.session.commit()
    page = client.get(f"/my/{token}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Download my data" in page and f"/my/{token}/data.pdf" in page
    response = client.get(f"/my/{token}/data.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json["person"]["first_name"] == "أحمد"
    response = client.get(f"/my/{token}/data.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == 'attachment; filename="my-data.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    # A person's download is theirs: not in the staff trail.
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == AuditAction.EXPORTED_PERSONAL_DATA)) is None


def test_a_link_opens_only_its_own_persons_data(client, ahmad):
    olena = db.session.scalar(select(Registration).join(Candidate).where(
        Candidate.first_name == "Олена"))
    token = new_link_token()
    olena.link_token_hash = hash_token(token)
    db.session.commit()
    response = client.get(f"/my/{token}/data.json")
    assert response.json["person"]["first_name"] == "Олена"
    assert "أحمد" not in response.get_data(as_text=True)
    for url in (f"/my/{token}x/data.json", "/my/not-a-token/data.pdf",
                f"/my/{ahmad.ref}/data.json", f"/my/{token}/data.csv"):
        assert client.get(url).status_code == 404, url


def test_an_admin_downloads_on_request_and_the_trail_records_it(client, login, ahmad):
    admin = login(Role.ADMIN)
    page = client.get(f"/staff/events/{ahmad.event_id}/candidates/{ahmad.ref}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"/staff/candidates/{ahmad.ref}/data.pdf" in page
    for data_format in ("json", "pdf"):
        response = client.get(f"/staff/candidates/{ahmad.ref}/data.{data_format}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith('attachment; filename="personal-data-')
        assert disposition.endswith(f'.{data_format}"') and ahmad.ref not in disposition
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.EXPORTED_PERSONAL_DATA)).all()
    assert [(e.staff_user_id, e.subject_type, e.subject_id, e.detail) for e in entries] == [
        (admin.id, "candidate", ahmad.candidate_id, "json"),
        (admin.id, "candidate", ahmad.candidate_id, "pdf")]
    assert client.get("/staff/candidates/nope/data.json").status_code == 404


@pytest.mark.parametrize("role", [Role.PLANNER, Role.COACH, Role.DOOR])
def test_other_staff_may_not_download_everything(client, login, ahmad, role):
    login(role)
    assert client.get(f"/staff/candidates/{ahmad.ref}/data.json").status_code == 403
    if role is Role.COACH:
        page = client.get(f"/staff/events/{ahmad.event_id}/candidates/{ahmad.ref}")
        assert "/data.pdf" not in page.get_data(as_text=True)
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == AuditAction.EXPORTED_PERSONAL_DATA)) is None
