"""A printable one-page ticket: the QR code big, the name in its own script, the event.

Fonts come from packages the project installs (Noto Sans for Latin and Cyrillic, Noto Sans
Arabic), never from the system. Arabic is shaped (arabic-reshaper) and put in visual order
(python-bidi) because reportlab draws glyphs left to right as given."""

import io
from functools import cache
from pathlib import Path

import arabic_reshaper
import fontpkg_noto_sans
import fontpkg_noto_sans_arabic
from anyascii import anyascii
from bidi import get_display
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .models import Registration

LATIN_FONT = "MeetGreetSans"
ARABIC_FONT = "MeetGreetSansArabic"


def _font_file(package) -> str:
    files = sorted((Path(package.__file__).parent / "files").glob("*.ttf"))
    return str(next(path for path in files if "Italic" not in path.name))


@cache
def _fonts() -> dict[str, TTFont]:
    fonts = {
        LATIN_FONT: TTFont(LATIN_FONT, _font_file(fontpkg_noto_sans)),
        ARABIC_FONT: TTFont(ARABIC_FONT, _font_file(fontpkg_noto_sans_arabic)),
    }
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    return fonts


def _is_arabic(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\ufb50" <= char <= "\ufeff"


def printable(text: str, fallback: str = "") -> str:
    """The text if our fonts have every glyph; else the fallback (e.g. the Latin name)."""
    fonts = _fonts()
    glyphs = set(fonts[LATIN_FONT].face.charToGlyph) | set(fonts[ARABIC_FONT].face.charToGlyph)
    if all(ord(char) in glyphs or char.isspace() for char in text):
        return text
    return fallback or anyascii(text)


def _runs(text: str) -> list[tuple[str, str]]:
    """Visual-order runs of (font, text): Arabic letters in the Arabic font, the rest in Noto."""
    visual = get_display(arabic_reshaper.reshape(text)) if any(map(_is_arabic, text)) else text
    runs: list[tuple[str, str]] = []
    for char in visual:
        font = ARABIC_FONT if _is_arabic(char) else LATIN_FONT
        if runs and (runs[-1][0] == font or char == " "):
            runs[-1] = (runs[-1][0], runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs


def _width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(part, font, size) for font, part in _runs(text))


def draw_line(canvas: Canvas, text: str, x: float, y: float, size: float, *,
              align: str = "center", max_width: float | None = None) -> None:
    """One line in any script; shrinks to fit `max_width` rather than run off the page."""
    while max_width and size > 7 and _width(text, size) > max_width:
        size -= 0.5
    width = _width(text, size)
    start = {"center": x - width / 2, "right": x - width, "left": x}[align]
    for font, part in _runs(text):
        canvas.setFont(font, size)
        canvas.drawString(start, y, part)
        start += pdfmetrics.stringWidth(part, font, size)


def ticket_pdf(registration: Registration, qr_png: bytes) -> bytes:
    _fonts()
    candidate, event = registration.candidate, registration.event
    buffer = io.BytesIO()
    page_width, page_height = A4
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle("Meet & Greet")
    middle, usable = page_width / 2, page_width - 40 * mm
    with force_locale(registration.locale):
        y = page_height - 30 * mm
        draw_line(canvas, _("Your ticket"), middle, y, 16)
        y -= 16 * mm
        draw_line(canvas, printable(candidate.display_name, candidate.latin_name), middle, y,
                  28, max_width=usable)
        if candidate.latin_name and candidate.latin_name != candidate.display_name:
            y -= 10 * mm
            draw_line(canvas, candidate.latin_name, middle, y, 16, max_width=usable)
        size = 110 * mm
        y -= size + 8 * mm
        canvas.drawImage(ImageReader(io.BytesIO(qr_png)), middle - size / 2, y, size, size)
        y -= 8 * mm
        code = registration.ticket_code
        draw_line(canvas, " ".join(code[i:i + 5] for i in range(0, len(code), 5)), middle, y, 12)
        y -= 14 * mm
        draw_line(canvas, event.title, middle, y, 18, max_width=usable)
        y -= 9 * mm
        when = (f"{format_date(event.starts_at, 'full')}, {format_time(event.starts_at, 'short')}"
                f"–{format_time(event.ends_at, 'short')}")
        draw_line(canvas, when, middle, y, 13, max_width=usable)
        y -= 7 * mm
        venue = event.venue
        draw_line(canvas, f"{venue.name}, {venue.address}, {venue.town}", middle, y, 13,
                  max_width=usable)
        y -= 14 * mm
        draw_line(canvas, _("Show this QR code at the door. Or tell your name."), middle, y, 12,
                  max_width=usable)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
