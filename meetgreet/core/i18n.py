"""Which language a visitor reads, and the switch to change it."""

from flask import has_request_context, request, session
from flask_babel import get_locale

# Candidate-facing pages exist in all of these; staff pages at least in nl and en.
LOCALES = ("nl", "en", "uk", "ru", "ar")
RTL_LOCALES = frozenset({"ar"})
DEFAULT_LOCALE = "nl"


def select_locale() -> str:
    if not has_request_context():  # a CLI command or cron job: the default, unless forced
        return DEFAULT_LOCALE
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or DEFAULT_LOCALE


def current_locale() -> str:
    locale = get_locale()
    return locale.language if locale else DEFAULT_LOCALE


def text_direction(locale: str | None = None) -> str:
    return "rtl" if (locale or current_locale()) in RTL_LOCALES else "ltr"
