"""Mails to the employer's contact, in the language they chose, each with the event's .ics."""

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..mail.services import Attachment, links_from_anywhere, send_mail_or_log
from ..scheduling.services import event_invitation
from .services import Outcome, last_booking, waiting_position


def _subject(kind: str, title: str) -> str:
    subjects = {
        "confirmed": _("Your stand at %(event)s is confirmed", event=title),
        "pending": _("We received your stand reservation for %(event)s", event=title),
        "approved": _("Your stand at %(event)s is confirmed", event=title),
        "waiting": _("You are on the waiting list for %(event)s", event=title),
        "offered": _("A stand has become free at %(event)s", event=title),
        "declined": _("Your stand reservation for %(event)s was declined", event=title),
        "cancelled": _("Your stand at %(event)s is cancelled", event=title),
        "offer_expired": _("The offered stand at %(event)s has gone to the next", event=title),
        "changed": _("Your stand reservation for %(event)s was changed", event=title),
        "link": _("Your link to manage your stand at %(event)s", event=title),
        "already": _("Your link to manage your stand at %(event)s", event=title),
        "reminder": _("Reminder: your stand at %(event)s", event=title),
    }
    return subjects[kind]


def send_outcome(outcome: Outcome, *, token: str | None = None) -> None:
    """The mail that tells the contact what just happened to their booking."""
    booking = outcome.booking
    event = booking.event
    token = token or outcome.token
    ended = outcome.kind in ("declined", "cancelled", "offer_expired")
    locale = booking.locale if booking.locale in ("nl", "en") else "nl"
    with links_from_anywhere(), force_locale(locale):
        manage_url = (url_for("employers.manage", token=token, _external=True)
                      if token else None)
        text = render_template(
            "employers/mail/booking.txt", kind=outcome.kind, booking=booking, event=event,
            manage_url=manage_url, position=waiting_position(booking),
            event_url=url_for("scheduling.public_event", event_id=event.id, _external=True),
        )
        subject = _subject(outcome.kind, event.title)
        method = "CANCEL" if ended else "REQUEST"
        ics = event_invitation(event, method, attendee_email=booking.contact_email)
    send_mail_or_log(
        booking.contact_email, subject, text, to_name=booking.contact_name,
        attachments=(Attachment("meet-and-greet.ics", ics, f"text/calendar; method={method}"),),
        about=f"stand mail {outcome.kind} for booking {booking.id}",
    )


def send_outcomes(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        send_outcome(outcome)


def send_prefill_link(organisation, event, token: str) -> None:
    """The returning employer's link that fills in the reservation form."""
    locale = last.locale if (last := last_booking(organisation)) else "nl"
    with links_from_anywhere(), force_locale(locale if locale in ("nl", "en") else "nl"):
        url = url_for("employers.reserve", event_id=event.id, prefill=token, _external=True)
        text = render_template("employers/mail/prefill.txt", organisation=organisation,
                               event=event, url=url)
        subject = _("Reserve a stand at %(event)s", event=event.title)
    send_mail_or_log(organisation.contact_email, subject, text,
                     to_name=organisation.contact_name,
                     about=f"prefill link for organisation {organisation.id}")
