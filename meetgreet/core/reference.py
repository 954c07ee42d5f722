"""Fixed vocabularies: languages, sectors and Dutch levels, labelled in the reader's language."""

from babel import Locale
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

# Languages the WSP meets most, in the order staff expect to see them.
LANGUAGES = (
    "nl", "en", "uk", "ru", "ar", "ti", "prs", "fa", "ps", "so", "am", "tr", "ku", "fr",
)

# CLDR has no name for Dari, so we carry our own translated label.
_OWN_LANGUAGE_NAMES = {"prs": _l("Dari")}

DUTCH_LEVELS = (
    ("none", _l("None yet")),
    ("A1", _l("A1 (beginner)")),
    ("A2", _l("A2 (basic)")),
    ("B1", _l("B1 (independent)")),
    ("B2", _l("B2 or higher")),
)

SECTORS = (
    ("care", _l("Care and welfare")),
    ("technology", _l("Technology and installation")),
    ("logistics", _l("Logistics and warehousing")),
    ("construction", _l("Construction")),
    ("hospitality", _l("Hospitality")),
    ("cleaning", _l("Cleaning")),
    ("ict", _l("ICT")),
    ("education", _l("Education and childcare")),
    ("retail", _l("Retail")),
    ("manufacturing", _l("Manufacturing and food production")),
    ("transport", _l("Transport and mobility")),
    ("agriculture", _l("Agriculture and green spaces")),
    ("government", _l("Government and public services")),
    ("business", _l("Business services and administration")),
)

SECTOR_CODES = tuple(code for code, _ in SECTORS)
DUTCH_LEVEL_CODES = tuple(code for code, _ in DUTCH_LEVELS)


def language_name(code: str, locale: str | None = None) -> str:
    """The name of a language in the reader's language (or in `locale`)."""
    if code in _OWN_LANGUAGE_NAMES:
        return str(_OWN_LANGUAGE_NAMES[code])
    reader = Locale.parse(locale) if locale else get_locale()
    name = reader.languages.get(code, code) if reader else code
    return name[:1].upper() + name[1:]


def native_language_name(code: str) -> str:
    """The name of a language in itself, as a language switcher shows it."""
    return language_name(code, locale=code) if code != "prs" else "دری"


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGES]


def sector_label(code: str) -> str:
    return str(dict(SECTORS).get(code, code))


def dutch_level_label(code: str) -> str:
    return str(dict(DUTCH_LEVELS).get(code, code))
