from email import policy
from email.parser import BytesParser

from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.extensions import db
from meetgreet.mail.models import OutboxMessage
from meetgreet.mail.services import Attachment, outbox_messages_to, send_mail, send_mail_or_log


def test_mail_goes_out_over_smtp_with_names_in_any_script(app, mailbox):
    with app.test_request_context():
        send_mail(
            "olena@example.org", "Ваш квиток · تذكرتك", "Привіт, Олено!\nمرحبا",
            to_name="Олена Коваленко",
            attachments=(Attachment("event.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                    "text/calendar; method=REQUEST"),),
        )
    message = mailbox.only()
    assert mailbox.messages[0][0] == ["olena@example.org"]
    assert message["To"].addresses[0].display_name == "Олена Коваленко"
    assert message["Subject"] == "Ваш квиток · تذكرتك"
    assert "Привіт, Олено!" in message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "event.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"


def test_a_failed_mail_is_logged_without_the_address_and_reported(app, mail_server_down,
                                                                  caplog):
    with app.test_request_context():
        assert send_mail_or_log("olena@example.org", "Ticket", "Hallo",
                                to_name="Olena", about="ticket for registration 7") is False
        assert send_mail_or_log("no-at-sign", "Ticket", "Hallo", about="bad address") is False
    assert "ticket for registration 7" in caplog.text
    assert "olena" not in caplog.text.lower()


def test_the_outbox_backend_keeps_mail_for_staff_to_read(app, client, login):
    app.config["MAIL_BACKEND"] = "outbox"
    try:
        with app.test_request_context():
            send_mail("ahmad@example.org", "Welkom", "مرحبا أحمد", to_name="أحمد")
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    stored = db.session.scalar(select(OutboxMessage))
    message = BytesParser(policy=policy.default).parsebytes(stored.raw)
    assert message["To"].addresses[0].display_name == "أحمد"
    login(Role.PLANNER)
    listing = client.get("/staff/outbox").get_data(as_text=True)
    assert "Welkom" in listing
    detail = client.get(f"/staff/outbox/{stored.id}").get_data(as_text=True)
    assert "مرحبا أحمد" in detail
    assert client.get("/staff/outbox/99999").status_code == 404


def test_the_outbox_keeps_the_bare_address_however_long_the_name(app, client, login):
    # The recipient column holds 254 characters: "Name <address>" could be longer.
    name = "Olena Kovalenko-Shevchenko " * 12
    app.config["MAIL_BACKEND"] = "outbox"
    try:
        with app.test_request_context():
            send_mail("olena@example.org", "Ticket", "Hoi", to_name=name)
            send_mail("xolena@example.org", "Iemand anders", "Hoi", to_name="Olena")
    finally:
        app.config["MAIL_BACKEND"] = "smtp"
    (stored,) = outbox_messages_to("Olena@example.org")
    assert stored.recipient == "olena@example.org"
    login(Role.PLANNER)
    detail = client.get(f"/staff/outbox/{stored.id}").get_data(as_text=True)
    assert "Olena Kovalenko-Shevchenko Olena" in detail and "olena@example.org" in detail


def test_a_line_break_in_a_name_or_subject_neither_refuses_the_mail_nor_adds_a_header(
        app, mailbox):
    # Not every staff form squashes line breaks (a staff name, a series name in the subject).
    send_mail("sam@example.org", "Meet & Greet\r\nBcc: evil@example.org", "Hoi",
              to_name="Sam\r\nBcc: evil@example.org")

    message = mailbox.only()
    assert message["Bcc"] is None
    assert str(message["Subject"]) == "Meet & Greet Bcc: evil@example.org"
    assert mailbox.messages[0][0] == ["sam@example.org"]
    assert [a.addr_spec for a in message["To"].addresses] == ["sam@example.org"]
    assert message["To"].addresses[0].display_name == "Sam Bcc: evil@example.org"
