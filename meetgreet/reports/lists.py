"""The printable lists of one event, as plain tables: the PDF and the CSV are drawn from the
same rows, so they always agree."""

from dataclasses import dataclass, field

from flask_babel import format_time
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import StaffUser
from ..candidates.models import Candidate, Registration, RegistrationStatus
from ..core.reference import language_name
from ..employers.models import BookingStatus, StandBooking
from ..extensions import db
from ..followup.models import INTEREST_LABELS, NEXT_STEP_LABELS, Conversation
from ..followup.services import WITH_PEOPLE, shared_with_employer
from ..scheduling.models import Event

TICK_BOX = object()  # an empty box to tick by hand on paper


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # share of the line, the widths of a table add up to 1
    kind: str = "text"  # text, or tick (a checked-in time, or an empty box)


@dataclass
class ListTable:
    name: str  # for the file name
    title: str
    subtitle: str
    columns: list[Column]
    rows: list[tuple] = field(default_factory=list)
    empty_message: str = ""

    def csv_rows(self) -> list[tuple]:
        return [tuple("" if cell is TICK_BOX else cell for cell in row) for row in self.rows]


def _name_key(candidate: Candidate) -> tuple[str, str, str]:
    return (candidate.last_name.casefold(), candidate.first_name.casefold(),
            candidate.latin_name.casefold())


def _registered(event: Event) -> list[Registration]:
    registrations = db.session.scalars(select(Registration).join(Candidate).where(
        Registration.event_id == event.id,
        Registration.status == RegistrationStatus.REGISTERED, Candidate.anonymised_at.is_(None))
        # Every row shows name and languages: load them with the list, not once per person.
        .options(selectinload(Registration.candidate).selectinload(Candidate.languages)))
    return sorted(registrations, key=lambda r: _name_key(r.candidate))


def _languages(candidate: Candidate) -> str:
    return ", ".join(language_name(lang.code) for lang in candidate.languages)


def _subtitle(event: Event) -> str:
    from flask_babel import format_datetime

    return f"{event.title} · {format_datetime(event.starts_at, 'medium')}"


def _people_table(name: str, title: str, registrations: list[Registration], event: Event,
                  empty: str) -> ListTable:
    return ListTable(
        name=name, title=title, subtitle=_subtitle(event),
        columns=[Column(_("Name"), 0.34), Column(_("Latin letters"), 0.26),
                 Column(_("Reference"), 0.18), Column(_("Checked in"), 0.22, "tick")],
        rows=[(r.candidate.display_name, r.candidate.latin_name, r.ref,
               format_time(r.checked_in_at, "short") if r.checked_in_at else TICK_BOX)
              for r in registrations],
        empty_message=empty)


def attendance(event: Event) -> ListTable:
    """Everyone registered (walk-ins included), by name: the door's paper fallback."""
    return _people_table("attendance", _("Attendance list"), _registered(event), event,
                         _("Nobody is registered for this event."))


def no_shows(event: Event) -> ListTable:
    people = [r for r in _registered(event) if r.checked_in_at is None]
    return _people_table("no-shows", _("Registered but did not come"), people, event,
                         _("Everyone who registered came."))


def walk_ins(event: Event) -> ListTable:
    people = [r for r in _registered(event) if r.walk_in]
    return _people_table("walk-ins", _("Walk-ins"), people, event,
                         _("No walk-ins at this event."))


def _confirmed_stands(event: Event) -> list[StandBooking]:
    stands = db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED))
    return sorted(stands, key=lambda b: (b.stand_number is None, b.stand_number or 0,
                                         b.organisation.name.casefold()))


def stands(event: Event) -> ListTable:
    talks = dict(db.session.execute(
        select(Conversation.stand_booking_id, func.count())
        .where(Conversation.event_id == event.id)
        .group_by(Conversation.stand_booking_id)).all())
    return ListTable(
        name="stands", title=_("Employers at the stands"), subtitle=_subtitle(event),
        columns=[Column(_("Stand"), 0.1), Column(_("Employer"), 0.4),
                 Column(_("Representatives"), 0.2), Column(_("Conversations"), 0.15),
                 Column(_("Present"), 0.15, "tick")],
        rows=[(b.stand_number or "", b.organisation.name, b.representatives,
               talks.get(b.id, 0), TICK_BOX) for b in _confirmed_stands(event)],
        empty_message=_("No confirmed stands at this event."))


def _pairs(event: Event, *, booking: StandBooking | None = None,
           owner: StaffUser | None = None) -> list[tuple[Conversation, object]]:
    """Each conversation with each of its follow-ups (or None when none is planned yet)."""
    query = select(Conversation).where(Conversation.event_id == event.id).options(*WITH_PEOPLE)
    if booking is not None:
        query = query.where(Conversation.stand_booking_id == booking.id)
    pairs = []
    for conversation in db.session.scalars(query):
        if conversation.registration.candidate.anonymised_at is not None:
            continue  # counted on the stands list, never named
        follow_ups = conversation.follow_ups or [None]
        for follow_up in follow_ups:
            if owner is not None and (follow_up is None or follow_up.owner_id != owner.id):
                continue
            pairs.append((conversation, follow_up))
    return sorted(pairs, key=lambda pair: (pair[0].booking.organisation.name.casefold(),
                                           _name_key(pair[0].registration.candidate)))


def _due(follow_up) -> str:
    from flask_babel import format_date

    return format_date(follow_up.due_on, "short") if follow_up else ""


def follow_up(event: Event, *, owner: StaffUser | None = None) -> ListTable:
    """For staff: every candidate–employer pair with interest, next step, owner, due date."""
    title = (_("Follow-up list of %(owner)s", owner=owner.name) if owner
             else _("Follow-up list"))
    return ListTable(
        name="follow-up" if owner is None else "follow-up-owner", title=title,
        subtitle=_subtitle(event),
        columns=[Column(_("Candidate"), 0.24), Column(_("Employer"), 0.22),
                 Column(_("Interest"), 0.12), Column(_("Next step"), 0.16),
                 Column(_("Owner"), 0.16), Column(_("Due"), 0.1)],
        rows=[(c.registration.candidate.display_name, c.booking.organisation.name,
               str(INTEREST_LABELS[c.interest]), str(NEXT_STEP_LABELS[c.next_step]),
               f.owner.name if f else _("not assigned"), _due(f))
              for c, f in _pairs(event, owner=owner)],
        empty_message=_("No conversations recorded at this event."))


def for_employer(booking: StandBooking) -> ListTable:
    """What the employer receives: first name and languages only (what the candidate agreed
    to share), what was agreed, and who at the WSP takes it further. No contact details."""
    return ListTable(
        name="conversations", title=_("Your conversations: %(organisation)s",
                                      organisation=booking.organisation.name),
        subtitle=_subtitle(booking.event),
        columns=[Column(_("First name"), 0.16), Column(_("Languages"), 0.18),
                 Column(_("Interest"), 0.12), Column(_("Next step"), 0.16),
                 Column(_("Note"), 0.2), Column(_("WSP contact"), 0.18)],
        rows=[(c.registration.candidate.first_name, _languages(c.registration.candidate),
               str(INTEREST_LABELS[c.interest]), str(NEXT_STEP_LABELS[c.next_step]),
               c.note, f.owner.name if f else "")
              for c, f in _pairs(booking.event, booking=booking)
              if shared_with_employer(c)],
        empty_message=_("No conversations were recorded at your stand."))


def _availability(invitation) -> str:
    """What the interpreter answered: yes (the whole event, or from–until), no, nothing yet."""
    from ..interpreters.models import ANSWER_LABELS, Answer

    if invitation is None:
        return _("Not invited")
    if invitation.answer is not Answer.YES:
        return str(ANSWER_LABELS[invitation.answer])
    if invitation.whole_event:
        return _("Whole event")
    event = invitation.event
    return "{}–{}".format(format_time(invitation.available_from or event.starts_at, "short"),
                          format_time(invitation.available_until or event.ends_at, "short"))


def interpreters(event: Event) -> ListTable:
    """Interpreters asked for the event who did not say no, and any who checked in with their
    badge (invited or not), by name: who to expect at the door, and who came."""
    from ..checkin.models import BadgeCode
    from ..interpreters.models import Answer, Interpreter, InterpreterInvitation

    invited = {i.interpreter_id: i for i in db.session.scalars(
        select(InterpreterInvitation).where(InterpreterInvitation.event_id == event.id)
        .options(selectinload(InterpreterInvitation.interpreter)
                 .selectinload(Interpreter.languages)))}
    badges = list(db.session.scalars(
        select(BadgeCode).where(BadgeCode.event_id == event.id,
                                BadgeCode.interpreter_id.is_not(None),
                                BadgeCode.checked_in_at.is_not(None))
        .options(selectinload(BadgeCode.interpreter).selectinload(Interpreter.languages))))
    came = {badge.interpreter_id: badge.checked_in_at for badge in badges}
    people = {i.interpreter_id: i.interpreter for i in invited.values()
              if i.answer is not Answer.NO}
    people.update({badge.interpreter_id: badge.interpreter for badge in badges})
    ordered = sorted(people.values(), key=lambda p: (p.name.casefold(), p.id))
    return ListTable(
        name="interpreters", title=_("Interpreters"), subtitle=_subtitle(event),
        columns=[Column(_("Name"), 0.3), Column(_("Languages"), 0.3),
                 Column(_("Available"), 0.2), Column(_("Checked in"), 0.2, "tick")],
        rows=[(p.name, ", ".join(language_name(code) for code in p.language_codes),
               _availability(invited.get(p.id)),
               format_time(came[p.id], "short") if p.id in came else TICK_BOX)
              for p in ordered],
        empty_message=_("No interpreters are expected at this event."))


EVENT_LISTS = {
    "attendance": attendance,
    "no-shows": no_shows,
    "walk-ins": walk_ins,
    "stands": stands,
    "interpreters": interpreters,
    "follow-up": follow_up,
}
