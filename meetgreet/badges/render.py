"""Badges as PDF: plain data in, PDF bytes out. No database and no request: the CLI and the
badge pages turn registrations into BadgeData and call `render_badges`.

One class, BadgeDrawer, draws a badge into a box of any size; a Layout only says how big the
page is and where the boxes go (a grid with cut marks, or one badge per page).
"""

import enum
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import zxingcpp
from flask_babel import lazy_gettext as _l
from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import fonts
from .text import Fitted, fit, in_latin_script


class Kind(enum.StrEnum):
    CANDIDATE = "candidate"
    EMPLOYER = "employer"
    INTERPRETER = "interpreter"
    STAFF = "staff"


@dataclass(frozen=True)
class BadgeData:
    """What one badge shows; every text already in the reader's language."""

    kind: Kind
    name: str
    latin_name: str = ""  # shown below the name when the name is in another script
    subtitle: str = ""  # organisation, "Tolk / Interpreter", or a staff role
    stand_number: str | None = None
    languages: tuple[str, ...] = ()  # translated language names
    sectors: tuple[str, ...] = ()  # translated sector names
    qr_payload: str | None = None  # the check-in code (26 upper-case letters and digits)


@dataclass(frozen=True)
class BadgeLabels:
    """The few words a badge prints itself; callers pass them translated."""

    stand: str = field(default_factory=lambda: str(_l("Stand")))


# Colour of the band by kind, so the door and the stands tell roles apart at a glance;
# all dark enough for white text and for a grey that still shows on a black-and-white printer.
KIND_COLOURS = {
    Kind.CANDIDATE: HexColor("#0b6e99"),
    Kind.EMPLOYER: HexColor("#b34700"),
    Kind.INTERPRETER: HexColor("#6b3fa0"),
    Kind.STAFF: HexColor("#2f3b45"),
}
INK = HexColor("#1a1a1a")

QR_QUIET_ZONE = 4  # modules of white around the symbol, as the QR standard asks
_DARK_RUN = re.compile("1+")
QR_EC_LEVEL = "Q"  # 25% recovery; a 26-character code still fits version 2 (25x25 modules)


# --- plan: where everything goes (computed, so tests can check it without pixels) ----------


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # bottom
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w

    def contains(self, other: "Box", slack: float = 1e-6) -> bool:
        return (
            other.x >= self.x - slack and other.y >= self.y - slack
            and other.right <= self.right + slack and other.top <= self.top + slack
        )

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x < other.right and other.x < self.right
            and self.y < other.top and other.y < self.top
        )


@dataclass(frozen=True)
class TextBlock:
    role: str  # name, latin_name, subtitle, languages, sectors
    box: Box  # the room it was given
    text: Fitted
    bold: bool = False
    icon: str | None = None  # "languages" or "sectors"

    @property
    def used(self) -> Box:
        """The rectangle the text covers, centred horizontally, at the top of its room."""
        x = self.box.x + (self.box.w - self.text.width) / 2
        return Box(x, self.box.top - self.text.height, self.text.width, self.text.height)


@dataclass(frozen=True)
class QrBlock:
    box: Box  # the whole square, quiet zone included
    matrix: tuple[str, ...]  # rows of "1" (dark) and "0" (light), without quiet zone

    @property
    def module(self) -> float:
        return self.box.w / (len(self.matrix) + 2 * QR_QUIET_ZONE)


@dataclass(frozen=True)
class StandBlock:
    box: Box
    caption: Fitted
    number: Fitted


@dataclass(frozen=True)
class BadgePlan:
    width: float
    height: float
    colour: Color
    band: Box
    texts: tuple[TextBlock, ...]
    qr: QrBlock | None
    stand: StandBlock | None

    def text(self, role: str) -> TextBlock | None:
        return next((block for block in self.texts if block.role == role), None)


_DARK_AS_ONE = bytes.maketrans(b"\x00\xff", b"10")


def qr_matrix(payload: str) -> tuple[str, ...]:
    """The QR modules for a payload, one string per row, "1" for dark. zxing-cpp's encoder
    picks alphanumeric mode for our codes and the mask with the lowest penalty, 15 times
    faster than the pure-Python encoders (which would take 4.6 s for 1,000 badges)."""
    barcode = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_EC_LEVEL)
    image = barcode.to_image(scale=1, add_quiet_zones=False)
    size = image.shape[1]
    modules = bytes(image).translate(_DARK_AS_ONE).decode("ascii")
    return tuple(modules[start:start + size] for start in range(0, len(modules), size))


class BadgeDrawer:
    """Draws one badge into a box; sizes follow the box, so every layout uses this class."""

    def __init__(self, labels: BadgeLabels | None = None):
        self.labels = labels or BadgeLabels()

    def plan(self, badge: BadgeData, width: float, height: float) -> BadgePlan:
        pad = max(3 * mm, min(width, height) * 0.07)
        band = Box(0, height - min(height * 0.08, 6 * mm), width, min(height * 0.08, 6 * mm))
        inner = Box(pad, pad, width - 2 * pad, band.y - 0.8 * pad - pad)
        gap = pad * 0.6

        has_side = badge.qr_payload is not None or badge.stand_number is not None
        portrait = height > width * 1.15
        if not has_side:
            text_area, side = inner, None
        elif portrait:
            side_h = min(inner.w * 0.62, inner.h * 0.45)
            side = Box(inner.x, inner.y, inner.w, side_h)
            text_area = Box(inner.x, inner.y + side_h + gap, inner.w, inner.h - side_h - gap)
        else:
            side_w = min(inner.h, inner.w * 0.4)
            side = Box(inner.right - side_w, inner.y, side_w, inner.h)
            text_area = Box(inner.x, inner.y, inner.w - side_w - gap, inner.h)

        qr, stand = self._plan_side(badge, side, gap) if side else (None, None)
        return BadgePlan(
            width=width, height=height, colour=KIND_COLOURS[Kind(badge.kind)], band=band,
            texts=self._plan_texts(badge, text_area, min(width, height)), qr=qr, stand=stand,
        )

    def _plan_side(self, badge: BadgeData, side: Box, gap: float):
        qr_box = stand_box = None
        if badge.qr_payload is not None and badge.stand_number is not None:
            if side.h >= side.w:  # a column: stand number above, QR below
                qr_side = min(side.w, side.h * 0.55)
                qr_box = Box(side.x + (side.w - qr_side) / 2, side.y, qr_side, qr_side)
                stand_box = Box(side.x, qr_box.top + gap, side.w, side.top - qr_box.top - gap)
            else:  # a row: stand number left, QR right
                qr_side = min(side.h, side.w * 0.62)
                qr_box = Box(side.right - qr_side, side.y, qr_side, qr_side)
                stand_box = Box(side.x, side.y, qr_box.x - gap - side.x, side.h)
        elif badge.qr_payload is not None:
            qr_side = min(side.w, side.h)
            qr_box = Box(side.x + (side.w - qr_side) / 2, side.y, qr_side, qr_side)
        else:
            stand_h = min(side.h, side.w)
            stand_box = Box(side.x, side.top - stand_h, side.w, stand_h)

        qr = QrBlock(qr_box, qr_matrix(badge.qr_payload)) if qr_box else None
        stand = None
        if stand_box:
            inset = stand_box.h * 0.08
            caption = fit(
                self.labels.stand, stand_box.w - 2 * inset, stand_box.h * 0.25,
                max_size=stand_box.h * 0.18, min_size=4, max_lines=1, bold=True,
            )
            number = fit(
                badge.stand_number, stand_box.w - 2 * inset,
                stand_box.h - 2 * inset - caption.height,
                max_size=stand_box.h * 0.6, min_size=8, max_lines=1, bold=True,
            )
            stand = StandBlock(stand_box, caption, number)
        return qr, stand

    def _plan_texts(self, badge: BadgeData, area: Box, scale: float) -> tuple[TextBlock, ...]:
        name_max = min(scale * 0.16, 40)
        latin = badge.latin_name.strip()
        show_latin = bool(latin) and latin != badge.name.strip() and not in_latin_script(
            badge.name
        )
        # Shares of the text area's height: the name gets the latin name's share when absent.
        top = [("name", 0.38 + (0 if show_latin else 0.11), badge.name, True, name_max, 9)]
        if show_latin:
            top.append(("latin_name", 0.11, latin, False, name_max * 0.55, 7))
        if badge.subtitle.strip():
            top.append(("subtitle", 0.15, badge.subtitle, True, name_max * 0.6, 7))
        bottom: list[tuple[str, str, float]] = []
        if badge.languages:
            bottom.append(("languages", ", ".join(badge.languages), name_max * 0.45))
        if badge.sectors:
            bottom.append(("sectors", ", ".join(badge.sectors), name_max * 0.45))

        blocks = []
        cursor = area.top
        for role, share, text, bold, max_size, min_size in top:
            room = Box(area.x, cursor - area.h * share, area.w, area.h * share)
            fitted = fit(text, room.w, room.h, max_size=max_size, min_size=min_size, bold=bold)
            blocks.append(TextBlock(role, room, fitted, bold))
            cursor -= fitted.height + area.h * 0.02
        # Languages and sectors stand at the bottom and share what the top left free.
        gap = area.h * 0.02
        free = cursor - area.y
        cursor = area.y
        for role, text, max_size in reversed(bottom):
            height = min(free / len(bottom) - gap, area.h * 0.2)
            fitted = fit(
                text, area.w, height, max_size=max_size, min_size=7, indent=ICON_WIDTH
            )
            # Its room is only as tall as the text, so the next one sits right above it.
            room = Box(area.x, cursor, area.w, fitted.height)
            blocks.append(TextBlock(role, room, fitted, icon=role))
            cursor += fitted.height + gap
        return tuple(blocks)

    # --- drawing ------------------------------------------------------------------------

    def draw(self, canvas: Canvas, badge: BadgeData, x: float, y: float, w: float, h: float):
        plan = self.plan(badge, w, h)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.setFillColor(plan.colour)
        canvas.rect(plan.band.x, plan.band.y, plan.band.w, plan.band.h, stroke=0, fill=1)
        for block in plan.texts:
            self._draw_text(canvas, block, plan.colour)
        if plan.stand:
            self._draw_stand(canvas, plan.stand, plan.colour)
        if plan.qr:
            draw_qr(canvas, plan.qr)
        canvas.restoreState()

    def _draw_text(self, canvas: Canvas, block: TextBlock, colour: Color):
        fitted, used = block.text, block.used
        size = fitted.size
        for index, (line, baseline) in enumerate(fitted.placed(used.top)):
            line_w = (line.width + fitted.indent) * size
            left = block.box.x + (block.box.w - line_w) / 2
            if block.icon and index == 0:
                ICONS[block.icon](canvas, left, baseline, size, colour)
            canvas.setFillColor(INK)
            draw_line(canvas, line, left + fitted.indent * size, baseline, size)

    def _draw_stand(self, canvas: Canvas, stand: StandBlock, colour: Color):
        box = stand.box
        canvas.setFillColor(colour)
        canvas.roundRect(box.x, box.y, box.w, box.h, box.h * 0.08, stroke=0, fill=1)
        canvas.setFillColor(white)
        inset = box.h * 0.08
        top = box.top - inset
        for fitted in (stand.caption, stand.number):
            for line, baseline in fitted.placed(top):
                left = box.x + (box.w - line.width * fitted.size) / 2
                draw_line(canvas, line, left, baseline, fitted.size)
            top -= fitted.height


def draw_line(canvas: Canvas, line, x: float, baseline: float, size: float):
    text = canvas.beginText(x, baseline)
    for run in line.runs:
        text.setFont(run.font, size)
        text.textOut(run.text)
    canvas.drawText(text)


def draw_centered(canvas: Canvas, text: str, middle: float, baseline: float, *, size: float,
                  max_width: float, bold: bool = False) -> None:
    """One line of any script centred on `middle`, shrunk (never cut) to fit `max_width`."""
    fitted = fit(text, max_width, size * 2, max_size=size, min_size=6, max_lines=1, bold=bold)
    for shown in fitted.lines:
        draw_line(canvas, shown, middle - shown.width * fitted.size / 2, baseline, fitted.size)


def draw_qr_code(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A vector QR code with its quiet zone in the square (x, y, size): crisp on any printer."""
    draw_qr(canvas, QrBlock(Box(x, y, size, size), qr_matrix(payload)))


def draw_qr(canvas: Canvas, qr: QrBlock):
    """The modules as rectangles of one vector path (a run of dark modules in a row is one
    rectangle), filled at once so no seams show between them."""
    canvas.saveState()
    # Count in modules from the symbol's top-left corner, so the path is small whole numbers;
    # written as PDF operators directly: a rect() call each would double the time per badge.
    canvas.translate(qr.box.x + QR_QUIET_ZONE * qr.module, qr.box.top - QR_QUIET_ZONE * qr.module)
    canvas.scale(qr.module, -qr.module)
    canvas.setFillColor(INK)
    rects = [
        f"{run.start()} {row_index} {run.end() - run.start()} 1 re"
        for row_index, row in enumerate(qr.matrix)
        for run in _DARK_RUN.finditer(row)
    ]
    canvas.addLiteral("\n".join(rects) + "\nf")
    canvas.restoreState()


ICON_WIDTH = 1.4  # icon plus space before the text, in font sizes


def _icon_languages(canvas: Canvas, x: float, baseline: float, size: float, colour: Color):
    """A speech bubble."""
    canvas.setFillColor(colour)
    canvas.roundRect(x, baseline, size, size * 0.7, size * 0.18, stroke=0, fill=1)
    tail = canvas.beginPath()
    tail.moveTo(x + size * 0.2, baseline + size * 0.05)
    tail.lineTo(x + size * 0.15, baseline - size * 0.2)
    tail.lineTo(x + size * 0.45, baseline + size * 0.05)
    tail.close()
    canvas.drawPath(tail, stroke=0, fill=1)


def _icon_sectors(canvas: Canvas, x: float, baseline: float, size: float, colour: Color):
    """A briefcase."""
    canvas.setFillColor(colour)
    canvas.roundRect(x, baseline - size * 0.05, size, size * 0.62, size * 0.08, stroke=0, fill=1)
    canvas.setLineWidth(size * 0.09)
    canvas.setStrokeColor(colour)
    canvas.roundRect(
        x + size * 0.3, baseline + size * 0.5, size * 0.4, size * 0.22, size * 0.06,
        stroke=1, fill=0,
    )


ICONS = {"languages": _icon_languages, "sectors": _icon_sectors}


# --- layouts: where the badges go on a page ------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A page size and a grid of equal badge boxes, centred on the page."""

    name: str
    page_size: tuple[float, float]
    badge_size: tuple[float, float]
    columns: int = 1
    rows: int = 1
    cut_marks: bool = False

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def slots(self) -> list[Box]:
        """The badge boxes on a page: left to right, then top to bottom."""
        page_w, page_h = self.page_size
        badge_w, badge_h = self.badge_size
        left = (page_w - self.columns * badge_w) / 2
        bottom = (page_h - self.rows * badge_h) / 2
        return [
            Box(left + column * badge_w, bottom + (self.rows - 1 - row) * badge_h, badge_w, badge_h)
            for row in range(self.rows)
            for column in range(self.columns)
        ]

    def draw_cut_marks(self, canvas: Canvas):
        """Short lines in the margin, in line with every edge between badges: one straight cut
        along each separates the badges (they touch, so there is no strip to cut away)."""
        slots = self.slots()
        left, bottom = slots[-self.columns].x, slots[-1].y
        right, top = slots[-1].right, slots[0].top
        offset = 2 * mm
        length_x = max(2 * mm, min(6 * mm, left - offset - 2 * mm))
        length_y = max(2 * mm, min(6 * mm, bottom - offset - 2 * mm))
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(INK)
        for column in range(self.columns + 1):
            x = left + column * self.badge_size[0]
            canvas.line(x, top + offset, x, top + offset + length_y)
            canvas.line(x, bottom - offset, x, bottom - offset - length_y)
        for row in range(self.rows + 1):
            y = bottom + row * self.badge_size[1]
            canvas.line(left - offset, y, left - offset - length_x, y)
            canvas.line(right + offset, y, right + offset + length_x, y)
        canvas.restoreState()


def _single(name: str, width_mm: float, height_mm: float) -> Layout:
    size = (width_mm * mm, height_mm * mm)
    return Layout(name, size, size)


LAYOUTS = {
    layout.name: layout
    for layout in (
        # Two columns of 95 mm leave 10 mm margins on A4 for the cut marks.
        Layout("a4-8", A4, (95 * mm, 68 * mm), columns=2, rows=4, cut_marks=True),
        Layout("a4-10", A4, (95 * mm, 54 * mm), columns=2, rows=5, cut_marks=True),
        Layout("a6", A6, A6),
        # Label printers (Brother, Dymo, Zebra) take one page per label of the label's size.
        _single("label-90x54", 90, 54),
        _single("label-100x50", 100, 50),
    )
}


def layout_by_name(name: str) -> Layout:
    try:
        return LAYOUTS[name]
    except KeyError:
        raise ValueError(
            f"unknown badge layout {name!r}; choose one of: {', '.join(LAYOUTS)}"
        ) from None


def render_badges(
    badges: Iterable[BadgeData],
    layout: Layout | str,
    *,
    labels: BadgeLabels | None = None,
    title: str = "",
) -> bytes:
    """A PDF with the badges in the given order, filling each page before the next."""
    if isinstance(layout, str):
        layout = layout_by_name(layout)
    fonts.register_all()
    drawer = BadgeDrawer(labels)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=layout.page_size, invariant=True)
    canvas.setTitle(title)
    canvas.setCreator("meetgreet")
    slots = layout.slots()
    count = 0
    for badge in badges:
        slot = count % layout.per_page
        if slot == 0:
            if count:
                canvas.showPage()
            if layout.cut_marks:
                layout.draw_cut_marks(canvas)
        box = slots[slot]
        drawer.draw(canvas, badge, box.x, box.y, box.w, box.h)
        count += 1
    if not count:
        raise ValueError("no badges to render")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
