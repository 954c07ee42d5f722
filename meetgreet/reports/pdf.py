"""A list as an A4 PDF: names in every script drawn with the badges' fonts and text fitting."""

import io

from flask_babel import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..badges.render import draw_line
from ..badges.text import fit
from .lists import TICK_BOX, ListTable

MARGIN = 14 * mm
ROW = 7.5 * mm
PADDING = 1.5 * mm
LINE = HexColor("#9aa5b1")
SHADE = HexColor("#eef2f6")


def _cell(canvas: Canvas, text, x: float, baseline: float, width: float, *, size: float = 9,
          bold: bool = False) -> None:
    fitted = fit(str(text), width - 2 * PADDING, ROW, max_size=size, min_size=5, max_lines=1,
                 bold=bold)
    for shown in fitted.lines:
        draw_line(canvas, shown, x + PADDING, baseline, fitted.size)


def render(table: ListTable, *, wide: bool | None = None) -> bytes:
    """One PDF; tables of six columns or more lie on their side to give names room."""
    wide = len(table.columns) >= 6 if wide is None else wide
    page_w, page_h = landscape(A4) if wide else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_w, page_h), invariant=True)
    canvas.setTitle(table.title)
    canvas.setAuthor("Meet & Greet")
    usable = page_w - 2 * MARGIN
    widths = [column.width * usable for column in table.columns]
    page = 1

    def start_page() -> float:
        top = page_h - MARGIN
        _cell(canvas, table.title, MARGIN - PADDING, top - 6 * mm, usable, size=15, bold=True)
        _cell(canvas, table.subtitle, MARGIN - PADDING, top - 12 * mm, usable, size=10)
        _cell(canvas, _("Page %(page)d", page=page), MARGIN - PADDING, MARGIN - 6 * mm,
              usable, size=8)
        y = top - 16 * mm
        canvas.setFillColor(SHADE)
        canvas.rect(MARGIN, y - ROW, usable, ROW, stroke=0, fill=1)
        canvas.setFillColor(HexColor("#000000"))
        x = MARGIN
        for column, width in zip(table.columns, widths, strict=True):
            _cell(canvas, column.label, x, y - ROW + 2.3 * mm, width, bold=True)
            x += width
        return y - ROW

    y = start_page()
    if not table.rows:
        _cell(canvas, table.empty_message, MARGIN, y - ROW + 2.3 * mm, usable, size=11)
    for row in table.rows:
        if y - ROW < MARGIN:
            canvas.showPage()
            page += 1
            y = start_page()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.4)
        canvas.line(MARGIN, y - ROW, MARGIN + usable, y - ROW)
        x = MARGIN
        for cell, width in zip(row, widths, strict=True):
            if cell is TICK_BOX:
                side = ROW - 3 * mm
                canvas.rect(x + PADDING, y - ROW + 1.5 * mm, side, side, stroke=1, fill=0)
            else:
                _cell(canvas, cell, x, y - ROW + 2.3 * mm, width)
            x += width
        y -= ROW
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
