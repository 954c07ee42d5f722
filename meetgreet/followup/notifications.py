"""The weekly mail to owners of overdue follow-ups."""

from flask import render_template, url_for
from flask_babel import force_locale, ngettext

from ..mail.services import links_from_anywhere, send_mail_or_log
from . import services


def send_reminders() -> int:
    """One mail per owner listing their overdue follow-ups; returns how many mails went out."""
    sent = 0
    for owner, follow_ups in services.reminders_due().items():
        # Staff work in Dutch; the mail links to their list.
        with links_from_anywhere(), force_locale("nl"):
            text = render_template("followup/mail_reminder.txt", owner=owner,
                                   follow_ups=follow_ups,
                                   url=url_for("followup.my_follow_ups", _external=True))
            subject = ngettext("%(num)d overdue follow-up", "%(num)d overdue follow-ups",
                               len(follow_ups))
        if not send_mail_or_log(owner.email, subject, text, to_name=owner.name,
                                about=f"follow-up reminder for staff {owner.id}"):
            continue
        services.mark_reminded(follow_ups)
        sent += 1
    return sent
