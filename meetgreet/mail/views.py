from email import policy
from email.parser import BytesParser

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from ..accounts.access import Permission, requires
from ..extensions import db
from .models import OutboxMessage

bp = Blueprint("mail", __name__)


@bp.route("/staff/outbox")
@requires(Permission.OUTBOX)
def outbox():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.created_at.desc()).limit(200)
    ).all()
    return render_template("mail/outbox.html", messages=messages)


@bp.route("/staff/outbox/<int:message_id>")
@requires(Permission.OUTBOX)
def outbox_message(message_id: int):
    stored = db.session.get(OutboxMessage, message_id) or abort(404)
    message = BytesParser(policy=policy.default).parsebytes(stored.raw)
    body = message.get_body(preferencelist=("plain",))
    attachments = [part.get_filename() for part in message.iter_attachments()]
    return render_template(
        "mail/message.html",
        stored=stored,
        message=message,
        text=body.get_content() if body else "",
        attachments=attachments,
    )
