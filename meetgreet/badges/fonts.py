"""Fonts for badges: Noto Sans for Latin and Cyrillic, Noto Sans Arabic, Noto Sans Ethiopic.

The TTF files come from npm packages in package.json (`make install` runs `npm ci`), so no
machine font is assumed and none is copied into the repository. They are registered with
reportlab once per process.
"""

import enum
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

# Where `npm ci` puts the packages; MEETGREET_NODE_MODULES points elsewhere when the app is
# installed away from its source tree.
NODE_MODULES = Path(
    os.environ.get("MEETGREET_NODE_MODULES")
    or Path(__file__).resolve().parent.parent.parent / "node_modules"
)


class Script(enum.Enum):
    LATIN = "latin"  # also Cyrillic, Greek, digits and punctuation: Noto Sans covers them
    ARABIC = "arabic"
    ETHIOPIC = "ethiopic"


# (npm package, file stem) per script; weights are the folder names the packages use.
_FILES = {
    Script.LATIN: ("noto-sans", "NotoSans"),
    Script.ARABIC: ("noto-sans-arabic", "NotoSansArabic"),
    Script.ETHIOPIC: ("noto-sans-ethiopic", "NotoSansEthiopic"),
}
_WEIGHTS = {False: "400Regular", True: "700Bold"}


class FontsMissing(RuntimeError):
    """The font packages are not installed."""


@dataclass(frozen=True)
class Font:
    name: str  # the name registered with reportlab
    glyphs: frozenset[int]  # code points the font has a glyph for

    def covers(self, char: str) -> bool:
        return ord(char) in self.glyphs


def font_path(script: Script, bold: bool = False) -> Path:
    package, stem = _FILES[script]
    weight = _WEIGHTS[bold]
    return NODE_MODULES / "@expo-google-fonts" / package / weight / f"{stem}_{weight}.ttf"


@cache
def font(script: Script, bold: bool = False) -> Font:
    """The registered font for a script; raises FontsMissing with the fix when not installed."""
    return load_font(font_path(script, bold))


def load_font(path: Path) -> Font:
    if not path.is_file():
        raise FontsMissing(
            f"Badge font not found: {path}. Run `make install` (it runs `npm ci`, which installs "
            "the Noto font packages listed in package.json)."
        )
    ttf = TTFont(path.stem, str(path))
    pdfmetrics.registerFont(ttf)
    return Font(name=path.stem, glyphs=frozenset(ttf.face.charToGlyph))


def register_all() -> None:
    """Register every badge font now (fails early, with the fix, when one is missing)."""
    for script in Script:
        for bold in (False, True):
            font(script, bold)


def script_of(char: str) -> Script | None:
    """The script a character needs a font for; None for characters any of our fonts has
    (spaces, digits, punctuation), which then follow their neighbours."""
    code = ord(char)
    if (
        0x0600 <= code <= 0x06FF  # Arabic (also Persian/Dari, Pashto, Kurdish letters)
        or 0x0750 <= code <= 0x077F  # Arabic Supplement
        or 0x08A0 <= code <= 0x08FF  # Arabic Extended-A
        or 0xFB50 <= code <= 0xFDFF  # Arabic Presentation Forms-A
        or 0xFE70 <= code <= 0xFEFF  # Arabic Presentation Forms-B (what the reshaper emits)
    ):
        return Script.ARABIC
    if (
        0x1200 <= code <= 0x139F  # Ethiopic and Ethiopic Supplement
        or 0x2D80 <= code <= 0x2DDF  # Ethiopic Extended
        or 0xAB00 <= code <= 0xAB2F  # Ethiopic Extended-A
    ):
        return Script.ETHIOPIC
    if char.isalpha():
        return Script.LATIN
    return None
