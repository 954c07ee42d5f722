"""A printable one-page ticket: the QR code big, the name in its own script, the event.

Drawn with the badges' text and QR code, so a name prints the same on ticket and badge:
the fonts come from packages (never the machine), Arabic is joined and right to left, and
the QR code is vector.
"""

import io

from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..badges.fonts import register_all
from ..badges.render import draw_centered, draw_qr_code
from .models import Registration


def ticket_pdf(registration: Registration) -> bytes:
    register_all()
    candidate, event = registration.candidate, registration.event
    buffer = io.BytesIO()
    page_width, page_height = A4
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Meet & Greet")
    middle, usable = page_width / 2, page_width - 40 * mm

    def line(text: str, y: float, size: float, bold: bool = False) -> None:
        draw_centered(canvas, text, middle, y, size=size, max_width=usable, bold=bold)

    with force_locale(registration.locale):
        y = page_height - 30 * mm
        line(_("Your ticket"), y, 16)
        y -= 16 * mm
        line(candidate.display_name, y, 28, bold=True)
        if candidate.latin_name and candidate.latin_name != candidate.display_name:
            y -= 10 * mm
            line(candidate.latin_name, y, 16)
        size = 110 * mm
        y -= size + 8 * mm
        draw_qr_code(canvas, registration.ticket_code, middle - size / 2, y, size)
        y -= 8 * mm
        code = registration.ticket_code
        line(" ".join(code[i:i + 5] for i in range(0, len(code), 5)), y, 12)
        y -= 14 * mm
        line(event.title, y, 18)
        y -= 9 * mm
        line(f"{format_date(event.starts_at, 'full')}, {format_time(event.starts_at, 'short')}"
             f"–{format_time(event.ends_at, 'short')}", y, 13)
        y -= 7 * mm
        venue = event.venue
        line(f"{venue.name}, {venue.address}, {venue.town}", y, 13)
        y -= 14 * mm
        line(_("Show this QR code at the door. Or tell your name."), y, 12)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
