"""Text on badges: any script in visual order with the right font, shrunk to fit its box.

Arabic is joined with arabic-reshaper (contextual letter forms from Unicode's presentation
forms) and put right to left with python-bidi; reportlab then draws the characters as given.
A line is split into runs of one font each, so a name mixing scripts gets each part in a font
that has its letters. Ethiopic needs no shaping: its syllables are separate characters.
"""

import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from arabic_reshaper import ArabicReshaper

# The reference algorithm, not python-bidi's Rust binding: only this one mirrors brackets
# (rule L4), so "(أساسي)" does not print as ")أساسي(", and drops embedding marks (rule X9).
from bidi.algorithm import get_display
from reportlab.pdfbase.pdfmetrics import stringWidth

from .fonts import Script, font, script_of

# Harakat (short-vowel marks) are dropped: without OpenType mark positioning they would sit
# beside their letter instead of above it. Names are written without them as a rule.
_reshaper = ArabicReshaper(configuration={"delete_harakat": True, "support_ligatures": True})

# Room a line takes above and below its baseline, in font sizes: enough for capitals with
# diacritics (Ü) above, and for descenders below, which are deeper in Arabic (the tail of ي).
ABOVE = 1.0
BELOW = 0.3
BELOW_ARABIC = 0.55
WRAP_GAIN = 1.25  # two lines are worth it when the text can be this much larger


@dataclass(frozen=True)
class Run:
    text: str  # in visual order, as drawn left to right
    font: str  # registered reportlab font name
    width: float  # at font size 1


@dataclass(frozen=True)
class Line:
    runs: tuple[Run, ...]
    below: float = BELOW  # room under the baseline, in font sizes

    @property
    def height(self) -> float:
        """At font size 1."""
        return ABOVE + self.below

    @property
    def width(self) -> float:
        """Width at font size 1."""
        return sum(run.width for run in self.runs)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Fitted:
    lines: tuple[Line, ...]
    size: float
    below_minimum: bool = False  # shrunk past the minimum rather than cut: worth a warning
    indent: float = 0.0  # room before each line, in font sizes

    @property
    def width(self) -> float:
        """The widest line at the chosen size, indent included."""
        widest = max((line.width for line in self.lines), default=0.0)
        return (widest + self.indent) * self.size if self.lines else 0.0

    @property
    def height(self) -> float:
        return sum(line.height for line in self.lines) * self.size

    def placed(self, top: float) -> list[tuple["Line", float]]:
        """Each line with the baseline it sits on when the text starts at `top`."""
        result = []
        for line in self.lines:
            result.append((line, top - ABOVE * self.size))
            top -= line.height * self.size
        return result


def is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in {"R", "AL"}


def in_latin_script(text: str) -> bool:
    """True when every letter is a Latin one (with or without diacritics)."""
    return all(
        unicodedata.name(char, "").startswith("LATIN") for char in text if char.isalpha()
    )


def visual(text: str) -> str:
    """The characters in the order they are drawn, Arabic letters in their joined forms."""
    if not any(is_rtl(char) for char in text):
        return text
    return get_display(_reshaper.reshape(text))


@lru_cache(maxsize=4096)
def line(text: str, bold: bool = False) -> Line:
    """One line of logical text, made visual and split into runs of one font each."""
    shown = visual(text)
    strong = next((s for s in map(script_of, shown) if s is not None), Script.LATIN)
    runs: list[tuple[Script, list[str]]] = []
    for char in shown:
        script = script_of(char)
        if script is None:
            # Spaces, digits, punctuation: keep the current font when it has the glyph.
            current = runs[-1][0] if runs else strong
            script = current if font(current, bold).covers(char) else Script.LATIN
        if runs and runs[-1][0] is script:
            runs[-1][1].append(char)
        else:
            runs.append((script, [char]))
    result = []
    for script, chars in runs:
        name = font(script, bold).name
        text_run = "".join(chars)
        result.append(Run(text_run, name, stringWidth(text_run, name, 1)))
    arabic = any(script is Script.ARABIC for script, _ in runs)
    return Line(tuple(result), BELOW_ARABIC if arabic else BELOW)


def fit(
    text: str,
    width: float,
    height: float,
    *,
    max_size: float,
    min_size: float,
    max_lines: int = 2,
    bold: bool = False,
    indent: float = 0.0,
) -> Fitted:
    """The largest size (up to max_size) at which text fits the box. It wraps onto a second
    line at a space when one line would fall below min_size, or when two lines let it be at
    least WRAP_GAIN times larger. When even two lines do not fit at min_size, it shrinks
    further rather than be cut, and says so (below_minimum). `indent` is room kept free
    before every line, in font sizes (for an icon)."""
    text = " ".join(text.split())
    if not text:
        return Fitted((), max_size, indent=indent)
    one = line(text, bold)
    size_one = _size_for((one,), width, height, max_size, indent)
    words = text.split(" ")
    if size_one >= max_size or max_lines < 2 or len(words) < 2:
        return Fitted((one,), size_one, below_minimum=size_one < min_size, indent=indent)
    # The split that allows the largest size; among equals the most even one.
    best_key, best_lines = None, None
    for cut in range(1, len(words)):
        two = (line(" ".join(words[:cut]), bold), line(" ".join(words[cut:]), bold))
        key = (_size_for(two, width, height, max_size, indent), -max(x.width for x in two))
        if best_key is None or key > best_key:
            best_key, best_lines = key, two
    size_two = best_key[0]
    if size_two >= size_one * WRAP_GAIN or (size_one < min_size and size_two > size_one):
        return Fitted(best_lines, size_two, below_minimum=size_two < min_size, indent=indent)
    return Fitted((one,), size_one, below_minimum=size_one < min_size, indent=indent)


def _size_for(
    lines: tuple[Line, ...], width: float, height: float, max_size: float, indent: float
) -> float:
    # Width and height grow linearly with the size, so the fitting size is a division.
    widest = max(item.width for item in lines) + indent
    by_width = width / widest if widest else max_size
    by_height = height / sum(item.height for item in lines)
    # Rounded down to 1/100 pt, so the drawn text is never a rounding error wider than its box.
    return math.floor(min(max_size, by_width, by_height) * 100) / 100
