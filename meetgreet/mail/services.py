"""One way to send mail: over SMTP in production and tests, into the outbox table in development."""

import smtplib
from contextlib import contextmanager
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, has_request_context
from sqlalchemy import func, select

from ..core.text import one_line
from ..extensions import db
from .models import OutboxMessage


@contextmanager
def links_from_anywhere():
    """Mail sent from a cron job has no request to build its links from: they then start
    with PUBLIC_BASE_URL. Within a request this changes nothing."""
    if has_request_context():
        yield
        return
    base_url = current_app.config.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    with current_app.test_request_context("/", base_url=base_url):
        yield


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str  # e.g. "text/calendar; method=REQUEST"


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows with <img src="cid:{cid}"> (e.g. a ticket's QR code)."""

    cid: str
    content: bytes
    mimetype: str  # e.g. "image/png"


def build_message(
    to_email: str,
    subject: str,
    text: str,
    *,
    to_name: str = "",
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    inline_images: tuple[InlineImage, ...] = (),
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    # Address() encodes names in any script (Cyrillic, Arabic ...) correctly in the header.
    local, _, domain = to_email.rpartition("@")
    message["To"] = Address(display_name=one_line(to_name), username=local, domain=domain)
    # Headers are one line: a line break would make the email package refuse the whole mail.
    message["Subject"] = one_line(subject)
    message["Message-ID"] = make_msgid(domain="meetgreet")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_body(("html",))
        for image in inline_images:
            # multipart/related: the image travels with the HTML, no external fetch needed.
            maintype, _, subtype = image.mimetype.partition("/")
            html_part.add_related(image.content, maintype=maintype, subtype=subtype,
                                  cid=f"<{image.cid}>", disposition="inline")
    for attachment in attachments:
        maintype, _, rest = attachment.mimetype.partition("/")
        subtype, *params = (part.strip() for part in rest.split(";"))
        message.add_attachment(
            attachment.content,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=dict(param.split("=", 1) for param in params),
        )
    return message


def send(message: EmailMessage) -> None:
    config = current_app.config
    if config["MAIL_BACKEND"] == "outbox":
        db.session.add(
            # The bare address: short enough for the column and what privacy requests look up.
            # The name stays in the raw mail.
            OutboxMessage(recipient=message["To"].addresses[0].addr_spec,
                          subject=str(message["Subject"]), raw=message.as_bytes())
        )
        db.session.commit()
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"],
                    timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def outbox_messages_to(email: str) -> list[OutboxMessage]:
    """Mails kept in the outbox for one address, oldest first (for access and erasure)."""
    return list(db.session.scalars(
        select(OutboxMessage).where(func.lower(OutboxMessage.recipient) == email.lower())
        .order_by(OutboxMessage.created_at, OutboxMessage.id)))


def send_mail(to_email: str, subject: str, text: str, **kwargs) -> EmailMessage:
    message = build_message(to_email, subject, text, **kwargs)
    send(message)
    return message


def send_mail_or_log(to_email: str, subject: str, text: str, *, about: str, **kwargs) -> bool:
    """Send, or log that it failed and go on: mail comes after committed work, which a mail
    server hiccup must not undo or turn into an error page. `about` names the mail in the log
    without personal data (e.g. "ticket for registration 12"); only the error's type is logged,
    since its text can carry the address. True when the mail went out."""
    try:
        send_mail(to_email, subject, text, **kwargs)
    except (OSError, ValueError) as error:  # smtplib.SMTPException is an OSError
        current_app.logger.warning("mail not sent (%s): %s", about, type(error).__name__)
        return False
    return True
