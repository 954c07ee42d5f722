"""Mails to interpreters: the invitation with its yes/no link, and their own part of the plan.

Interpreters interpret into Dutch, so their mails are in Dutch."""

from collections import defaultdict

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from ..core.types import utcnow
from ..extensions import db
from ..mail.services import send_mail_or_log
from ..scheduling.models import Event
from .models import InterpreterInvitation
from .services import available, event_window_by_name, saved_posts

MAIL_LOCALE = "nl"


def send_invitation(invitation: InterpreterInvitation, token: str) -> bool:
    """True when the mail went out; an interpreter without e-mail gets none (staff phone)."""
    interpreter, event = invitation.interpreter, invitation.event
    if not interpreter.email:
        return False
    with force_locale(MAIL_LOCALE):
        link = url_for("interpreters.answer", token=token, _external=True)
        text = render_template("interpreters/mail_invitation.txt", interpreter=interpreter,
                               event=event, link=link)
        subject = _("Can you interpret at %(event)s?", event=event.title)
    return send_mail_or_log(interpreter.email, subject, text, to_name=interpreter.name,
                            about=f"invitation {invitation.id} to an interpreter")


def send_plans(event: Event) -> tuple[int, int]:
    """Each interpreter who said yes and has a post gets their own part of the plan.
    Returns (sent, without e-mail)."""
    sent = missing = 0
    windows = event_window_by_name(event)
    by_interpreter = defaultdict(list)
    for post in saved_posts(event):
        by_interpreter[post.interpreter_id].append(post)
    for invitation in available(event):
        posts = by_interpreter[invitation.interpreter_id]
        if not posts:
            continue
        interpreter = invitation.interpreter
        if not interpreter.email:
            missing += 1
            continue
        with force_locale(MAIL_LOCALE):
            text = render_template("interpreters/mail_plan.txt", interpreter=interpreter,
                                   event=event, posts=posts, windows=windows)
            subject = _("Your place at %(event)s", event=event.title)
        if send_mail_or_log(interpreter.email, subject, text, to_name=interpreter.name,
                            about=f"plan of event {event.id} to an interpreter"):
            invitation.plan_sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent, missing
