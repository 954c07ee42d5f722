"""After the event: each employer gets the list of their conversations by mail."""

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..candidates.models import Registration
from ..employers.models import BookingStatus, StandBooking
from ..employers.services import renew_manage_link
from ..extensions import db
from ..followup.models import Conversation
from ..mail.services import Attachment, links_from_anywhere, send_mail_or_log
from ..scheduling.models import Event
from . import lists, pdf


def bookings_with_conversations(event: Event) -> list[StandBooking]:
    """Confirmed stands with at least one conversation the employer may see (shared)."""
    shared = (select(Conversation.stand_booking_id).join(Registration)
              .where(Conversation.event_id == event.id,
                     Registration.share_consent_at.is_not(None)))
    return list(db.session.scalars(select(StandBooking).where(
        StandBooking.event_id == event.id, StandBooking.status == BookingStatus.CONFIRMED,
        StandBooking.id.in_(shared)).order_by(StandBooking.id)))


def send_employer_lists(event: Event) -> int:
    """Mail each confirmed stand with conversations its list (PDF) and a fresh link to the
    conversations page. Returns the number of mails sent."""
    sent = 0
    for booking in bookings_with_conversations(event):
        token = renew_manage_link(booking)
        locale = booking.locale if booking.locale in ("nl", "en") else "nl"
        with links_from_anywhere(), force_locale(locale):
            table = lists.for_employer(booking)
            url = url_for("followup.stand_conversations", token=token, _external=True)
            text = render_template("reports/mail_employer_list.txt", booking=booking,
                                   event=event, url=url, count=len(table.rows))
            subject = _("Your conversations at %(event)s", event=event.title)
            document = pdf.render(table)
        sent += send_mail_or_log(
            booking.contact_email, subject, text, to_name=booking.contact_name,
            attachments=(Attachment("conversations.pdf", document, "application/pdf"),),
            about=f"conversation list for booking {booking.id}")
    return sent
