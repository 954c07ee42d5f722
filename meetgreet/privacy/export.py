"""Right of access (GDPR article 15): everything stored about one candidate, as data and as a
readable PDF.

`candidate_data` walks every table that holds something about the person; the PDF is drawn
from that same dict, so the two never disagree. Left out on purpose: database keys, the hash
of the personal link, door-device labels, and other people. An employer is named by its
organisation, a staff member by first name and role.
"""

import io
from datetime import date, datetime

from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import or_, select

from ..accounts.forms import ROLE_LABELS
from ..accounts.models import Role, StaffUser
from ..audit.models import ACTION_LABELS, AuditAction, AuditEntry
from ..badges.fonts import register_all
from ..badges.pages import FlowingPages
from ..badges.text import is_rtl
from ..candidates.models import (
    EDUCATION_LEVELS,
    LANGUAGE_LEVELS,
    REGISTRATION_STATUS_LABELS,
    Candidate,
    Invitation,
    Registration,
    RegistrationStatus,
)
from ..checkin.models import CheckInAttempt, ScanResult
from ..core.i18n import LOCALES, RTL_LOCALES
from ..core.reference import dutch_level_label, language_name, sector_label
from ..core.types import utcnow
from ..extensions import db
from ..followup.models import (
    CONTRACT_TYPES,
    FOLLOW_UP_STATUS_LABELS,
    INTEREST_LABELS,
    NEXT_STEP_LABELS,
    OUTCOME_LABELS,
    RECORDED_BY_LABELS,
    Conversation,
    FollowUp,
    Outcome,
)
from ..mail.services import outbox_messages_to
from ..scheduling.models import EventStatus

FORMAT = "meetgreet-personal-data/1"

TICKET_LABELS = {
    "valid": _l("Valid: show it at the door"),
    "waiting_list": _l("Not yet: you are on the waiting list"),
    "cancelled": _l("No longer valid: the registration is cancelled"),
    "event_cancelled": _l("No longer valid: the Meet & Greet is cancelled"),
}
SCAN_LABELS = {
    ScanResult.OK: _l("Checked in"),
    ScanResult.ALREADY_CHECKED_IN: _l("Scanned again (already checked in)"),
    ScanResult.CANCELLED: _l("Scanned, but the registration was cancelled"),
    ScanResult.WRONG_EVENT: _l("Scanned at another Meet & Greet"),
    ScanResult.UNKNOWN: _l("Scanned, not recognised"),
    ScanResult.UNDONE: _l("Check-in taken back"),
}


# --- the data ------------------------------------------------------------------------------


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _staff(user: StaffUser | None) -> dict | None:
    """A colleague as the person may know them: first name and role, nothing more."""
    if user is None:
        return None
    return {"first_name": user.name.split(" ")[0], "role": user.role.value}


def _ticket(registration: Registration) -> str:
    if registration.status is RegistrationStatus.CANCELLED:
        return "cancelled"
    if registration.event.status is EventStatus.CANCELLED:
        return "event_cancelled"
    if registration.status is RegistrationStatus.WAITING:
        return "waiting_list"
    return "valid"


def _event(event) -> dict:
    venue = event.venue
    return {"title": event.title, "starts_at": _iso(event.starts_at),
            "ends_at": _iso(event.ends_at), "venue": f"{venue.name}, {venue.address}, {venue.town}",
            "status": event.status.value}


def _person(candidate: Candidate) -> dict:
    return {
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "latin_name": candidate.latin_name,
        "email": candidate.email,
        "phone": candidate.phone,
        "locale": candidate.locale,
        "dutch_level": candidate.dutch_level,
        "languages": [{"code": lang.code, "level": lang.level} for lang in candidate.languages],
        "needs_interpreter": candidate.needs_interpreter,
        "sectors": [sector.code for sector in candidate.sectors],
        "experience": candidate.experience,
        "education_level": candidate.education_level,
        "diplomas_evaluated": candidate.diplomas_evaluated,
        "municipality": candidate.municipality,
        "coach": _staff(candidate.coach),
        # Staff are asked whether someone known is the same person; who that is stays out.
        "possible_duplicate": candidate.possible_duplicate_of_id is not None,
        "created_at": _iso(candidate.created_at),
    }


def _registration(registration: Registration, scans: list[CheckInAttempt]) -> dict:
    return {
        "reference": registration.ref,
        "event": _event(registration.event),
        "status": registration.status.value,
        "ticket": _ticket(registration),
        "ticket_code": registration.ticket_code,
        "walk_in": registration.walk_in,
        "locale": registration.locale,
        "share_consent_at": _iso(registration.share_consent_at),
        "created_at": _iso(registration.created_at),
        "cancelled_at": _iso(registration.cancelled_at),
        "checked_in_at": _iso(registration.checked_in_at),
        "check_ins": [{"at": _iso(scan.created_at), "result": scan.result.value,
                       "reason": scan.reason} for scan in scans],
    }


def _conversation(conversation: Conversation) -> dict:
    return {
        "event": conversation.event.title,
        "event_date": _iso(conversation.event.starts_at),
        "employer": conversation.booking.organisation.name,
        "stand_number": conversation.booking.stand_number,
        "interest": conversation.interest.value,
        "next_step": conversation.next_step.value,
        "note": conversation.note,
        "recorded_by": conversation.recorded_by.value,
        "created_at": _iso(conversation.created_at),
        "updated_at": _iso(conversation.updated_at),
    }


def _follow_up(follow_up: FollowUp) -> dict:
    conversation = follow_up.conversation
    return {
        "due_on": _iso(follow_up.due_on),
        "status": follow_up.status.value,
        "action": follow_up.action,
        "result": follow_up.result,
        "owner": _staff(follow_up.owner),
        "employer": conversation.booking.organisation.name if conversation else None,
        "created_at": _iso(follow_up.created_at),
        "done_at": _iso(follow_up.done_at),
        "reminded_at": _iso(follow_up.reminded_at),
    }


def _outcome(outcome: Outcome) -> dict:
    return {
        "kind": outcome.kind.value,
        "happened_on": _iso(outcome.happened_on),
        "employer": outcome.organisation.name if outcome.organisation else None,
        "contract_hours": outcome.contract_hours,
        "contract_type": outcome.contract_type,
        "note": outcome.note,
        "recorded_by": _staff(outcome.recorded_by),
        "created_at": _iso(outcome.created_at),
    }


def _mails(candidate: Candidate) -> list[dict]:
    """Mails kept in the outbox (development and demo set-ups); a mail server keeps no copy."""
    if not candidate.email:
        return []
    return [{"subject": message.subject, "sent_at": _iso(message.created_at)}
            for message in outbox_messages_to(candidate.email)]


def candidate_data(candidate: Candidate, now: datetime | None = None) -> dict:
    """Everything stored about one candidate, in plain JSON types (codes, ISO dates)."""
    registrations = list(db.session.scalars(
        select(Registration).where(Registration.candidate_id == candidate.id)
        .order_by(Registration.created_at)))
    registration_ids = [r.id for r in registrations]
    scans: dict[int, list[CheckInAttempt]] = {r.id: [] for r in registrations}
    for scan in db.session.scalars(select(CheckInAttempt).where(
            CheckInAttempt.registration_id.in_(registration_ids))
            .order_by(CheckInAttempt.created_at)):
        scans[scan.registration_id].append(scan)
    conversations = db.session.scalars(
        select(Conversation).where(Conversation.registration_id.in_(registration_ids))
        .order_by(Conversation.created_at))
    follow_ups = list(db.session.scalars(select(FollowUp).where(
        FollowUp.candidate_id == candidate.id).order_by(FollowUp.due_on, FollowUp.id)))
    outcomes = db.session.scalars(select(Outcome).where(
        Outcome.candidate_id == candidate.id).order_by(Outcome.happened_on, Outcome.id))
    invitations = db.session.scalars(select(Invitation).where(
        Invitation.candidate_id == candidate.id).order_by(Invitation.id))
    staff_actions = db.session.scalars(select(AuditEntry).where(or_(
        (AuditEntry.subject_type == "candidate") & (AuditEntry.subject_id == candidate.id),
        (AuditEntry.subject_type == "registration")
        & AuditEntry.subject_id.in_(registration_ids),
        (AuditEntry.subject_type == "followup")
        & AuditEntry.subject_id.in_([f.id for f in follow_ups]),
    )).order_by(AuditEntry.at, AuditEntry.id))
    return {
        "format": FORMAT,
        "exported_at": _iso(now or utcnow()),
        "person": _person(candidate),
        "registrations": [_registration(r, scans[r.id]) for r in registrations],
        "conversations": [_conversation(c) for c in conversations],
        "follow_ups": [_follow_up(f) for f in follow_ups],
        "outcomes": [_outcome(o) for o in outcomes],
        "invitations": [{"event": i.batch.event.title,
                         "event_date": _iso(i.batch.event.starts_at),
                         "status": i.status.value, "created_at": _iso(i.batch.created_at),
                         "sent_at": _iso(i.sent_at)} for i in invitations],
        "mails": _mails(candidate),
        # Who at the WSP looked at or changed the record: the action and when, not the name.
        "staff_actions": [{"at": _iso(e.at), "action": e.action.value} for e in staff_actions],
    }


# --- the PDF -------------------------------------------------------------------------------

class _Pages(FlowingPages):
    """A person's data: headings, items and "label: value" facts."""

    def heading(self, text: str) -> None:
        self.space(8)
        self.text(text, 14, bold=True)
        self.space(2)

    def fact(self, label: str, value, indent: float = 0) -> None:
        value = str(value)
        if self.rtl and any(map(is_rtl, label)) and not any(map(is_rtl, value)):
            # An address, phone number or code reads left to right inside an Arabic line.
            value = f"\u202a{value}\u202c"
        self.text(f"{label}: {value}", indent=indent)

    def item(self, title: str) -> None:
        self.space(4)
        self.text(title, 11, bold=True)


def _when(value: str | None) -> str:
    if value is None:
        return "–"
    if len(value) == 10:
        return format_date(date.fromisoformat(value), "long")
    return format_datetime(datetime.fromisoformat(value), "medium")


def _yes_no(value: bool | None) -> str:
    return _("Don't know") if value is None else _("Yes") if value else _("No")


def _colleague(staff: dict | None) -> str:
    if staff is None:
        return "–"
    return f"{staff['first_name']} ({ROLE_LABELS[Role(staff['role'])]})"


def _person_section(out: _Pages, person: dict) -> None:
    levels = dict(LANGUAGE_LEVELS)
    out.heading(_("About you"))
    out.fact(_("Name"), f"{person['first_name']} {person['last_name']}")
    if person["latin_name"]:
        out.fact(_("Name in Latin letters"), person["latin_name"])
    out.fact(_("E-mail"), person["email"] or "–")
    out.fact(_("Phone"), person["phone"] or "–")
    out.fact(_("Municipality"), person["municipality"] or "–")
    out.fact(_("Language of our messages"), language_name(person["locale"]))
    out.fact(_("Dutch"), dutch_level_label(person["dutch_level"]))
    out.fact(_("Languages"), ", ".join(
        f"{language_name(lang['code'])} ({levels.get(lang['level'], lang['level'])})"
        for lang in person["languages"]) or "–")
    out.fact(_("Needs an interpreter"), _yes_no(person["needs_interpreter"]))
    out.fact(_("Sectors"), ", ".join(map(sector_label, person["sectors"])) or "–")
    out.fact(_("Education"), dict(EDUCATION_LEVELS).get(person["education_level"], "–"))
    out.fact(_("Foreign diplomas evaluated"), _yes_no(person["diplomas_evaluated"]))
    out.fact(_("Work experience"), person["experience"] or "–")
    out.fact(_("Your job coach"), _colleague(person["coach"]))
    out.fact(_("Known to us since"), _when(person["created_at"]))
    if person["possible_duplicate"]:
        out.text(_("Staff are checking whether an older record with the same name is also "
                   "yours."))


def _registrations_section(out: _Pages, registrations: list[dict]) -> None:
    out.heading(_("Your registrations"))
    if not registrations:
        out.text(_("None."))
    for item in registrations:
        event = item["event"]
        out.item(f"{event['title']} · {_when(event['starts_at'])}")
        out.fact(_("Place"), event["venue"], indent=4 * mm)
        out.fact(_("Status"), REGISTRATION_STATUS_LABELS[RegistrationStatus(item["status"])],
                 indent=4 * mm)
        out.fact(_("Ticket"), TICKET_LABELS[item["ticket"]], indent=4 * mm)
        out.fact(_("Ticket code"), item["ticket_code"], indent=4 * mm)
        out.fact(_("Reference"), item["reference"], indent=4 * mm)
        out.fact(_("Registered"), _when(item["created_at"]) + (
            f" ({_('at the door')})" if item["walk_in"] else ""), indent=4 * mm)
        out.fact(_("Language"), language_name(item["locale"]), indent=4 * mm)
        out.fact(_("Agreed to share your first name and languages with employers"),
                 _when(item["share_consent_at"]) if item["share_consent_at"] else _("No"),
                 indent=4 * mm)
        if item["cancelled_at"]:
            out.fact(_("Cancelled"), _when(item["cancelled_at"]), indent=4 * mm)
        out.fact(_("Checked in"), _when(item["checked_in_at"]), indent=4 * mm)
        for scan in item["check_ins"]:
            reason = f" ({scan['reason']})" if scan["reason"] else ""
            out.text(f"{_when(scan['at'])}: {SCAN_LABELS[ScanResult(scan['result'])]}{reason}",
                     indent=8 * mm)


def _conversations_section(out: _Pages, conversations: list[dict]) -> None:
    out.heading(_("Conversations at the stands"))
    if not conversations:
        out.text(_("None."))
    for item in conversations:
        out.item(f"{item['employer']} · {_when(item['event_date'])}")
        out.fact(_("Interest"), INTEREST_LABELS[item["interest"]], indent=4 * mm)
        out.fact(_("Next step"), NEXT_STEP_LABELS[item["next_step"]], indent=4 * mm)
        if item["note"]:
            out.fact(_("Note"), item["note"], indent=4 * mm)
        out.fact(_("Written down by"), RECORDED_BY_LABELS[item["recorded_by"]], indent=4 * mm)


def _follow_up_section(out: _Pages, follow_ups: list[dict], outcomes: list[dict]) -> None:
    out.heading(_("Follow-up"))
    if not follow_ups and not outcomes:
        out.text(_("None."))
    for item in follow_ups:
        out.item(f"{_when(item['due_on'])} · {FOLLOW_UP_STATUS_LABELS[item['status']]}")
        if item["action"]:
            out.fact(_("What"), item["action"], indent=4 * mm)
        if item["employer"]:
            out.fact(_("Employer"), item["employer"], indent=4 * mm)
        out.fact(_("Who"), _colleague(item["owner"]), indent=4 * mm)
        if item["result"]:
            out.fact(_("Result"), item["result"], indent=4 * mm)
        if item["done_at"]:
            out.fact(_("Done"), _when(item["done_at"]), indent=4 * mm)
    for item in outcomes:
        out.item(f"{_when(item['happened_on'])} · {OUTCOME_LABELS[item['kind']]}")
        if item["employer"]:
            out.fact(_("Employer"), item["employer"], indent=4 * mm)
        if item["contract_hours"]:
            out.fact(_("Hours per week"), item["contract_hours"], indent=4 * mm)
        if item["contract_type"]:
            out.fact(_("Contract"), dict(CONTRACT_TYPES).get(item["contract_type"],
                                                              item["contract_type"]),
                     indent=4 * mm)
        if item["note"]:
            out.fact(_("Note"), item["note"], indent=4 * mm)
        out.fact(_("Who"), _colleague(item["recorded_by"]), indent=4 * mm)


def _messages_section(out: _Pages, data: dict) -> None:
    out.heading(_("Invitations and e-mails"))
    if not data["invitations"] and not data["mails"]:
        out.text(_("None."))
    for item in data["invitations"]:
        sent = _when(item["sent_at"]) if item["sent_at"] else _("not sent")
        out.text(_("Invitation to %(event)s of %(date)s: %(sent)s", event=item["event"],
                   date=_when(item["event_date"]), sent=sent))
    for item in data["mails"]:
        out.text(f"{_when(item['sent_at'])}: {item['subject']}")
    out.heading(_("What staff did with your record"))
    if not data["staff_actions"]:
        out.text(_("None."))
    for item in data["staff_actions"]:
        out.text(f"{_when(item['at'])}: {ACTION_LABELS[AuditAction(item['action'])]}")


def candidate_pdf(data: dict) -> bytes:
    """The export as a readable PDF in the person's own language."""
    register_all()
    locale = data["person"]["locale"] if data["person"]["locale"] in LOCALES else "nl"
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    out = _Pages(canvas, rtl=locale in RTL_LOCALES)
    with force_locale(locale):
        title = _("Your data at Meet & Greet")
        canvas.setTitle(title)
        out.text(title, 20, bold=True)
        out.text(_("Everything we store about you, on %(date)s.",
                   date=_when(data["exported_at"])), 11)
        _person_section(out, data["person"])
        _registrations_section(out, data["registrations"])
        _conversations_section(out, data["conversations"])
        _follow_up_section(out, data["follow_ups"], data["outcomes"])
        _messages_section(out, data)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
