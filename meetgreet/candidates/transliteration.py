"""Names in Latin letters, so staff and employers can read a Cyrillic name.

Ukrainian follows the national standard (Cabinet of Ministers resolution 55 of 2010, used in
Ukrainian passports); Russian follows ICAO Doc 9303 (used in Russian passports since 2013).
Arabic script is left to the candidate: written without its vowels, a machine spelling
("hmd" for Ahmad) would mislead more than help. Other scripts (Ge'ez ...) fall back to anyascii,
readable but not a standard; the candidate can always correct the pre-filled field.
"""

import iuliia
from anyascii import anyascii

from .forms import MAX_NAME

# Letters whose Latin form differs at the start of a word (first value) and elsewhere.
_UK_POSITIONAL = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"),
                  "я": ("ya", "ia")}
_UK_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": "",
}
_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_RUSSIAN_ONLY = set("ыэъёЫЭЪЁ")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def _uk_letter(text: str, index: int) -> str:
    char = text[index]
    lower = char.lower()
    word_start = index == 0 or not (text[index - 1].isalpha() or text[index - 1] in "'’ʼ")
    if lower in _UK_POSITIONAL:
        latin = _UK_POSITIONAL[lower][0 if word_start else 1]
    elif lower == "г" and index > 0 and text[index - 1].lower() == "з":
        latin = "gh"  # "зг" is written "zgh", so it is not read as "zh" (Згорани → Zghorany)
    else:
        latin = _UK_LETTERS.get(lower, char)
    if char != lower and latin:
        following = text[index + 1 : index + 2]
        # A word in capitals stays in capitals; otherwise only the first letter is one.
        return latin.upper() if following.isupper() else latin[0].upper() + latin[1:]
    return latin


def ukrainian_to_latin(text: str) -> str:
    return "".join(_uk_letter(text, index) for index in range(len(text)))


def russian_to_latin(text: str) -> str:
    return iuliia.ICAO_DOC_9303.translate(text)


def guess_cyrillic_language(text: str, hint: str | None = None) -> str:
    """"uk" or "ru": letters only one alphabet has decide; else the reader's language; else uk."""
    letters = set(text)
    if letters & _UKRAINIAN_ONLY:
        return "uk"
    if letters & _RUSSIAN_ONLY:
        return "ru"
    return "ru" if hint == "ru" else "uk"


def to_latin(text: str, hint: str | None = None) -> str:
    """The name in Latin letters; "" when it already is one (nothing to help with).
    Cut to the longest name the forms take: one Cyrillic letter can become four ("щ")."""
    return _to_latin(text, hint)[:MAX_NAME].rstrip()


def _to_latin(text: str, hint: str | None) -> str:
    text = " ".join(text.split())
    if not text or text.isascii():
        return ""
    if any(_is_cyrillic(char) for char in text):
        if guess_cyrillic_language(text, hint) == "ru":
            return russian_to_latin(text)
        return ukrainian_to_latin(text)
    if any("\u0600" <= char <= "\u06ff" for char in text):
        return ""
    return " ".join(word[:1].upper() + word[1:] for word in anyascii(text).split())
