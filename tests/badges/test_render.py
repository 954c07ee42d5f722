"""Badge PDFs: names in every script as extractable text, text that fits its box, layouts,
and QR codes that are vector and scan."""

import io
import itertools
import unicodedata

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from reportlab.lib.units import mm

from meetgreet.badges import BadgeData, Kind, layout_by_name, render_badges
from meetgreet.badges.fonts import FontsMissing, Script, font, load_font
from meetgreet.badges.render import LAYOUTS, QR_QUIET_ZONE, BadgeDrawer, qr_matrix
from meetgreet.badges.text import fit, line
from meetgreet.core.tokens import new_code

NAMES = {
    "latin": ("Zoë Ünal-Çelik", ""),
    "cyrillic": ("Олександра Шевченко-Ковальчук", "Oleksandra Shevchenko-Kovalchuk"),
    "arabic": ("محمد الحلبي", "Mohammed al-Halabi"),
    "tigrinya": ("ሰላም ተስፋማርያም", "Selam Tesfamariam"),
}
LONG_NAME = "Maria Guadalupe Fernández de la Concepción Rodríguez-Villanueva y Zoë Ünal-Çelik"


def candidate(name: str, latin_name: str = "", **extra) -> BadgeData:
    values = {
        "languages": ("Arabisch", "Nederlands"),
        "sectors": ("Zorg en welzijn", "Logistiek en opslag"),
        "qr_payload": new_code(),
        **extra,
    }
    return BadgeData(Kind.CANDIDATE, name, latin_name, **values)


def every_kind() -> list[BadgeData]:
    return [
        *(candidate(name, latin) for name, latin in NAMES.values()),
        candidate(LONG_NAME),
        BadgeData(Kind.EMPLOYER, "Jan de Vries", subtitle="Bouwbedrijf Van der Heijden B.V.",
                  stand_number="12", languages=("Nederlands", "Engels")),
        BadgeData(Kind.EMPLOYER, "Fatima Zahra", subtitle="Zorggroep Amstelland",
                  stand_number="7", languages=("Arabisch",), qr_payload=new_code()),
        BadgeData(Kind.INTERPRETER, "أحمد يوسف", "Ahmad Yousef", "Tolk / Interpreter",
                  languages=("Arabisch", "Nederlands"), qr_payload=new_code()),
        BadgeData(Kind.STAFF, "Sanne Bakker", subtitle="Jobcoach"),
    ]


def extracted_text(pdf: bytes) -> str:
    """The PDF's text as a reader's copy-and-paste gives it, with Arabic letters folded from
    their joined forms (presentation forms, which is what we draw) to the plain letters."""
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # A name wrapped onto two lines reads as one with a space.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_names_in_every_script_are_extractable_text():
    pdf = render_badges([candidate(name, latin) for name, latin in NAMES.values()], "a4-10")
    text = extracted_text(pdf)
    for name, latin in NAMES.values():
        assert name in text
        assert latin in text


def test_arabic_is_drawn_joined_and_right_to_left():
    drawn = line("محمد الحلبي", bold=True)
    assert [run.font for run in drawn.runs] == [font(Script.ARABIC, bold=True).name]
    # Every letter in its joined (contextual) form, none left as an isolated base letter.
    assert not any("\u0621" <= char <= "\u064a" for char in drawn.text)
    # Drawn left to right, so the last letter of the last word (a final yeh) comes first and
    # the first letter of the first word (an initial meem) comes last.
    assert drawn.text[0] == "\ufef2"
    assert drawn.text[-1] == "\ufee3"
    assert unicodedata.normalize("NFKC", drawn.text[::-1]) == "محمد الحلبي"


def test_brackets_in_arabic_text_face_the_right_way():
    # Drawn left to right, the closing bracket of "(حداد)" comes first, mirrored to "(".
    drawn = line("أحمد (حداد)").text
    assert drawn[0] == "(" and drawn.index(")") > 0
    # An embedded left-to-right value keeps its order and the marks themselves vanish.
    assert line("الهاتف: \u202a+31612345678\u202c").text.startswith("+31612345678 :")


@pytest.mark.parametrize(("name", "script"), [
    (NAMES["latin"][0], Script.LATIN), (NAMES["cyrillic"][0], Script.LATIN),
    (NAMES["arabic"][0], Script.ARABIC), (NAMES["tigrinya"][0], Script.ETHIOPIC),
    ("گلالی پژواک", Script.ARABIC),  # Dari: letters beyond the Arabic alphabet
])
def test_each_name_gets_a_font_with_all_its_letters(name, script):
    drawn = line(name)
    letters = [run for run in drawn.runs if any(char.isalpha() for char in run.text)]
    assert {run.font for run in letters} == {font(script).name}
    for run in drawn.runs:
        run_font = next(font(s) for s in Script if font(s).name == run.font)
        assert all(run_font.covers(char) for char in run.text), run


def test_a_name_mixing_scripts_is_split_into_runs_with_fitting_fonts():
    drawn = line("Ahmad أحمد")
    assert [run.font for run in drawn.runs] == [font(Script.LATIN).name, font(Script.ARABIC).name]
    assert "Ahmad" in drawn.text


def test_latin_name_is_shown_only_under_a_name_in_another_script():
    drawer = BadgeDrawer()
    for (name, latin), shown in [
        (NAMES["cyrillic"], True), (NAMES["arabic"], True), (NAMES["tigrinya"], True),
        (("Zoë Ünal-Çelik", "Zoe Unal-Celik"), False),
    ]:
        plan = drawer.plan(candidate(name, latin), 95 * mm, 54 * mm)
        assert (plan.text("latin_name") is not None) is shown, name


def _assert_everything_inside(plan):
    badge = plan.texts[0].box.__class__(0, 0, plan.width, plan.height)
    placed = [(block.role, block.used) for block in plan.texts]
    for block in plan.texts:
        assert block.text.width <= block.box.w + 1e-6, block.role
        assert block.text.height <= block.box.h + 1e-6, block.role
    if plan.qr:
        placed.append(("qr", plan.qr.box))  # quiet zone included
    if plan.stand:
        placed.append(("stand", plan.stand.box))
    for role, box in placed:
        assert badge.contains(box), role
        assert not plan.band.overlaps(box), role
    for (role_a, a), (role_b, b) in itertools.combinations(placed, 2):
        assert not a.overlaps(b), (role_a, role_b)


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_badge_fits_its_box_on_every_layout(layout):
    width, height = LAYOUTS[layout].badge_size
    for badge in every_kind():
        _assert_everything_inside(BadgeDrawer().plan(badge, width, height))


def test_a_long_name_shrinks_then_wraps_and_keeps_every_word():
    drawer = BadgeDrawer()
    short = drawer.plan(candidate("Zoë Ünal"), 95 * mm, 54 * mm).text("name")
    long = drawer.plan(candidate(LONG_NAME), 95 * mm, 54 * mm).text("name")
    assert long.text.size < short.text.size
    assert len(long.text.lines) == 2
    assert " ".join(each.text for each in long.text.lines) == LONG_NAME
    assert long.text.width <= long.box.w


def test_a_name_too_long_even_for_two_lines_shrinks_further_and_says_so():
    name = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessen"
    fitted = fit(name, 150, 40, max_size=24, min_size=9, bold=True)
    assert fitted.below_minimum
    assert fitted.lines[0].text == name  # nothing cut off
    assert fitted.width <= 150


def test_text_that_fits_keeps_its_full_size_on_one_line():
    fitted = fit("Sanne Bakker", 300, 60, max_size=24, min_size=9)
    assert (fitted.size, len(fitted.lines), fitted.below_minimum) == (24, 1, False)


def test_employers_stand_number_is_bigger_than_their_name():
    plan = BadgeDrawer().plan(every_kind()[5], 95 * mm, 54 * mm)
    assert plan.stand.number.lines[0].text == "12"
    assert plan.stand.number.size > plan.text("name").text.size
    assert "12" in extracted_text(render_badges([every_kind()[5]], "a4-10"))


@pytest.mark.parametrize(("layout", "pages", "size_mm"), [
    ("a4-10", 3, (210, 297)), ("a4-8", 3, (210, 297)), ("a6", 21, (105, 148)),
    ("label-90x54", 21, (90, 54)), ("label-100x50", 21, (100, 50)),
])
def test_layouts_fill_pages_in_order(layout, pages, size_mm):
    badges = [candidate(f"Kandidaat {number:02d}") for number in range(1, 22)]
    reader = PdfReader(io.BytesIO(render_badges(badges, layout)))
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / mm), round(float(box.height) / mm)) == size_mm
    per_page = LAYOUTS[layout].per_page
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Kandidaat 21" in last
    assert f"Kandidaat {21 - (21 - 1) % per_page - 1:02d}" not in last  # earlier page's badge


def test_layout_names_are_checked():
    assert layout_by_name("a4-10").per_page == 10
    with pytest.raises(ValueError, match="a4-8, a4-10, a6, label-90x54, label-100x50"):
        layout_by_name("a3-20")
    with pytest.raises(ValueError, match="no badges"):
        render_badges([], "a6")


def test_cut_marks_are_printed_in_the_margins_in_line_with_the_badge_edges():
    layout = layout_by_name("a4-10")
    page = pypdfium2.PdfDocument(render_badges(every_kind(), layout))[0]
    image = page.render(scale=2).to_pil().convert("L")  # 144 dpi
    scale = 2
    slots = layout.slots()
    middle_x = slots[1].x  # the edge between the two columns
    top_of_grid = slots[0].top
    page_h = layout.page_size[1]

    def dark(x_pt, y_pt):
        """Ink on the spot, or on a pixel beside it (a hairline may fall between two)."""
        x, y = round(x_pt * scale), round((page_h - y_pt) * scale)
        return min(image.getpixel((x + dx, y + dy)) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) < 160

    above = top_of_grid + 5 * mm  # in the mark, 2 to 8 mm above the grid
    assert dark(middle_x, above)
    assert not dark(middle_x + 3 * mm, above)  # a thin line, not a bar
    row_edge = slots[2].top  # between the first and second row
    assert dark(slots[0].x - 4 * mm, row_edge)
    assert dark(slots[1].right + 4 * mm, row_edge)


def test_qr_codes_are_vector_and_scan_to_their_payload():
    badges = every_kind()
    pdf = render_badges(badges, "a4-10")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "/XObject" not in page["/Resources"]  # no image: paths only
    assert b"\nBI" not in page.get_contents().get_data()  # no inline image either

    image = pypdfium2.PdfDocument(pdf)[0].render(scale=150 / 72).to_pil()
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    expected = {badge.qr_payload for badge in badges if badge.qr_payload}
    assert {barcode.text for barcode in found} == expected
    assert {barcode.ec_level for barcode in found} <= {"M", "Q", "H"}


def test_qr_is_small_and_keeps_a_quiet_zone_of_four_modules():
    code = new_code()
    matrix = qr_matrix(code)
    assert len(matrix) == 25  # version 2: the 26-character code goes in alphanumeric mode
    plan = BadgeDrawer().plan(candidate("Zoë Ünal"), 90 * mm, 54 * mm)
    assert plan.qr.box.w == pytest.approx(plan.qr.module * (25 + 2 * QR_QUIET_ZONE))
    assert plan.qr.module >= 0.5 * mm  # large enough for a phone camera at arm's length


def test_the_same_badges_give_the_same_pdf():
    badges = every_kind()
    assert render_badges(badges, "a6") == render_badges(badges, "a6")


def test_a_missing_font_names_the_fix(tmp_path):
    with pytest.raises(FontsMissing, match="make install"):
        load_font(tmp_path / "NotoSans_400Regular.ttf")
