"""Importing candidates from a coach's client system (CSV or XLSX): every row checked and
shown before anything is written; a person already known is updated, never doubled."""

import csv
import io
from dataclasses import dataclass, field

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..core.contact import normalise_email, normalise_phone
from ..core.i18n import DEFAULT_LOCALE, LOCALES
from ..core.reference import DUTCH_LEVEL_CODES, LANGUAGES, SECTOR_CODES
from ..core.text import one_line
from ..core.types import utcnow
from ..extensions import db
from ..mail.services import send_mail_or_log
from ..scheduling.models import Event
from .forms import latin_name_problem, name_problem
from .models import (
    LANGUAGE_LEVEL_CODES,
    Candidate,
    Invitation,
    InvitationBatch,
    InvitationStatus,
    Registration,
)
from .services import CandidateDetails, apply_details, find_candidate, possible_duplicate
from .transliteration import to_latin

MAX_ROWS = 2000
# Column names as client systems write them, Dutch or English; compared case-insensitively.
COLUMNS = {
    "first_name": ("first_name", "first name", "voornaam", "roepnaam"),
    "last_name": ("last_name", "last name", "achternaam", "surname", "family name"),
    "latin_name": ("latin_name", "latin name", "naam in latijns schrift"),
    "email": ("email", "e-mail", "e-mailadres", "emailadres", "mail"),
    "phone": ("phone", "mobile", "telefoon", "mobiel", "telefoonnummer", "mobile number"),
    "languages": ("languages", "talen", "language", "taal gesproken"),
    "dutch_level": ("dutch_level", "dutch level", "niveau nederlands", "nederlands"),
    "sectors": ("sectors", "sectoren", "sector", "interesses"),
    "municipality": ("municipality", "gemeente", "woonplaats"),
    "locale": ("locale", "mail language", "taal voor mail", "voorkeurstaal"),
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class ImportRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    details: CandidateDetails | None
    locale: str
    problems: list[str] = field(default_factory=list)
    known: Candidate | None = None

    @property
    def valid(self) -> bool:
        return not self.problems


def _text_rows(data: bytes) -> list[list[str]]:
    text = ""
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):  # latin-1 decodes anything
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
    except Exception as error:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise ImportFileError(_("This file cannot be read as an Excel workbook.")) from error
    return [["" if value is None else str(value) for value in row]
            for row in sheet.iter_rows(values_only=True)]


def read_table(filename: str, data: bytes) -> list[dict[str, str]]:
    """The rows as {our column: text}; raises ImportFileError when the file cannot be used."""
    rows = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _text_rows(data)
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    positions = {}
    for ours, names in COLUMNS.items():
        for index, name in enumerate(header):
            if name in names:
                positions[ours] = index
                break
    if "first_name" not in positions or "last_name" not in positions:
        raise ImportFileError(_("The first row must name the columns; first name and last "
                                "name are needed."))
    if len(rows) - 1 > MAX_ROWS:
        raise ImportFileError(_("At most %(num)d rows at a time.", num=MAX_ROWS))
    return [{ours: (row[index].strip() if index < len(row) else "")
             for ours, index in positions.items()} for row in rows[1:]]


def _languages(text: str, problems: list) -> dict[str, str]:
    """"uk:native, en:good" or "uk ru": a level is optional (native when left out)."""
    languages = {}
    for item in text.replace(",", " ").replace(";", " ").split():
        code, _sep, level = item.lower().partition(":")
        level = level or "native"
        if code not in LANGUAGES or level not in LANGUAGE_LEVEL_CODES:
            problems.append(_l("Unknown language or level: %(value)s", value=item))
        else:
            languages[code] = level
    return languages


def check_row(number: int, cells: dict[str, str], seen: dict[str, int]) -> ImportRow:
    problems: list = []
    first, last = " ".join(cells.get("first_name", "").split()), " ".join(
        cells.get("last_name", "").split())
    latin = one_line(cells.get("latin_name", ""))
    for problem in (name_problem(first), name_problem(last), latin_name_problem(latin)):
        if problem:
            problems.append(problem)
    email = phone = None
    if cells.get("email"):
        try:
            email = normalise_email(cells["email"])
        except ValueError:
            problems.append(_l("Enter a valid e-mail address, like name@example.nl."))
    if cells.get("phone"):
        try:
            phone = normalise_phone(cells["phone"])
        except ValueError:
            problems.append(_l("Enter a valid phone number, like 06 12345678 or "
                               "+380 50 123 4567."))
    if not cells.get("email") and not cells.get("phone"):
        problems.append(_l("Enter a mobile number or an e-mail address."))
    for contact in filter(None, (email, phone)):
        if contact in seen:
            problems.append(_l("Same person as row %(row)d.", row=seen[contact]))
        seen.setdefault(contact, number)
    languages = _languages(cells.get("languages", ""), problems)
    dutch = cells.get("dutch_level", "").upper().replace("NONE", "none") or "none"
    if dutch not in DUTCH_LEVEL_CODES:
        problems.append(_l("Unknown Dutch level: %(value)s", value=cells["dutch_level"]))
    sectors = [code.lower() for code in cells.get("sectors", "").replace(",", " ").split()]
    for code in sectors:
        if code not in SECTOR_CODES:
            problems.append(_l("Unknown sector: %(value)s", value=code))
    locale = cells.get("locale", "").lower() or DEFAULT_LOCALE
    if locale not in LOCALES:
        problems.append(_l("Unknown mail language: %(value)s", value=locale))
    if len(cells.get("municipality", "")) > 80:
        problems.append(_l("The municipality is too long."))
    if problems:
        return ImportRow(number, None, DEFAULT_LOCALE, problems)
    details = CandidateDetails(
        first_name=first, last_name=last,
        latin_name=latin or to_latin(f"{first} {last}", hint=locale),
        email=email, phone=phone, languages=languages, dutch_level=dutch, sectors=sectors,
        municipality=cells.get("municipality", ""),
    )
    return ImportRow(number, details, locale, known=find_candidate(email, phone))


def check_table(table: list[dict[str, str]]) -> list[ImportRow]:
    seen: dict[str, int] = {}
    return [check_row(number, cells, seen) for number, cells in enumerate(table, start=2)]


def import_rows(rows: list[ImportRow]) -> list[Candidate]:
    """Write the valid rows in one transaction: new people added, known people updated."""
    candidates = []
    for row in rows:
        if not row.valid:
            continue
        candidate = find_candidate(row.details.email, row.details.phone)
        if candidate is None:
            candidate = Candidate(first_name=row.details.first_name,
                                  last_name=row.details.last_name, locale=row.locale)
            candidate.possible_duplicate_of = possible_duplicate(
                row.details.first_name, row.details.last_name, row.details.latin_name)
            apply_details(candidate, row.details, names=True)
            db.session.add(candidate)
            db.session.flush()  # the next row may be the same person: it must be found
        else:
            # A known person keeps what they told us themselves; the file only fills gaps.
            candidate.email = candidate.email or row.details.email
            candidate.phone = candidate.phone or row.details.phone
            candidate.latin_name = candidate.latin_name or row.details.latin_name
            candidate.municipality = candidate.municipality or row.details.municipality
        candidates.append(candidate)
    db.session.commit()
    return candidates


INVITATION_CHUNK = 20  # mails per step: a step stays well within a request's time


def start_invitations(candidates: list[Candidate], event: Event) -> InvitationBatch:
    """Queue an invitation for each imported candidate; `send_next` sends them."""
    batch = InvitationBatch(event=event, invitations=[
        Invitation(candidate=candidate) for candidate in dict.fromkeys(candidates)])
    db.session.add(batch)
    db.session.commit()
    return batch


def send_next(batch: InvitationBatch, chunk: int = INVITATION_CHUNK) -> None:
    """Send the next invitations of the batch, each in the candidate's language.

    Skipped: no e-mail address, already registered for the event, or refused by the mail
    server. Rows are claimed before sending, so two browsers on one batch never double-send."""
    pending = db.session.scalars(
        select(Invitation).where(Invitation.batch_id == batch.id,
                                 Invitation.status == InvitationStatus.PENDING)
        .order_by(Invitation.id).limit(chunk).with_for_update(skip_locked=True)).all()
    registered = set(db.session.scalars(select(Registration.candidate_id).where(
        Registration.event_id == batch.event_id)))
    link = url_for("candidates.register", event_id=batch.event_id, _external=True)
    for invitation in pending:
        candidate = invitation.candidate
        invitation.status = InvitationStatus.SKIPPED
        if candidate.email and candidate.id not in registered:
            with force_locale(candidate.locale):
                subject = _("Invitation: Meet & Greet with employers")
                text = render_template("candidates/mail_invitation.txt", candidate=candidate,
                                       event=batch.event, link=link)
            if not send_mail_or_log(candidate.email, subject, text,
                                    to_name=candidate.display_name,
                                    about=f"invitation {invitation.id}"):
                continue
            invitation.status, invitation.sent_at = InvitationStatus.SENT, utcnow()
    db.session.commit()


def batch_progress(batch: InvitationBatch) -> dict[str, int]:
    counts = dict(db.session.execute(
        select(Invitation.status, func.count()).where(Invitation.batch_id == batch.id)
        .group_by(Invitation.status)).all())
    progress = {status.value: counts.get(status, 0) for status in InvitationStatus}
    progress["total"] = sum(progress.values())
    return progress
