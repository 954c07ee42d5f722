"""Text flowing down A4 pages in any script, a new page when one is full: for printouts that
are mostly lines of text (a person's data, the interpreter plan)."""

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .render import draw_line
from .text import is_rtl, line

MARGIN = 18 * mm


def wrap(text: str, width: float, size: float, bold: bool) -> list[str]:
    """Rows of at most `width` at `size`, broken between words (inside a word only when the
    word alone is too wide)."""

    def fits(row: str) -> bool:
        return line(row, bold).width * size <= width

    rows: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            while not fits(word) and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and not fits(word[:cut]):
                    cut -= 1
                if current:
                    rows.append(current)
                    current = ""
                rows.append(word[:cut])
                word = word[cut:]
            joined = f"{current} {word}" if current else word
            if current and not fits(joined):
                rows.append(current)
                joined = word
            current = joined
        rows.append(current)
    return rows


class FlowingPages:
    """Text flowing down A4 pages, aligned to the reader's side (right for Arabic)."""

    def __init__(self, canvas: Canvas, rtl: bool = False) -> None:
        self.canvas, self.rtl = canvas, rtl
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def text(self, text: str, size: float = 10, *, bold: bool = False, indent: float = 0,
             gap: float = 1.45) -> None:
        usable = self.width - 2 * MARGIN - indent
        for row in wrap(text, usable, size, bold):
            if self.y - size * gap < MARGIN:
                self.canvas.showPage()
                self.y = self.height - MARGIN
            self.y -= size * gap
            # Arabic reading order for a whole row, even one that starts with a Latin name:
            # an embedding, which the bidi algorithm drops after use.
            embedded = self.rtl and any(map(is_rtl, row))
            shown = line(f"\u202b{row}\u202c" if embedded else row, bold)
            x = (self.width - MARGIN - indent - shown.width * size if self.rtl
                 else MARGIN + indent)
            draw_line(self.canvas, shown, x, self.y, size)

    def space(self, points: float = 6) -> None:
        self.y -= points
