"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

from aiosmtpd.controller import Controller


class _Handler:
    def __init__(self, messages: list):
        self.messages = messages

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted"


class SmtpRecorder:
    def __init__(self, port: int):
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self.port = port
        self._controller = Controller(_Handler(self.messages), hostname="127.0.0.1", port=port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    def only(self) -> EmailMessage:
        assert len(self.messages) == 1, f"expected one mail, got {len(self.messages)}"
        return self.messages[0][1]
