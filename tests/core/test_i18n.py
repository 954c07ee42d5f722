import re
from pathlib import Path

import polib
import pytest

from meetgreet.core.i18n import LOCALES

CATALOGS = Path(__file__).resolve().parents[2] / "meetgreet" / "translations"
# Where the strings of candidate-facing pages come from: these must be complete in every locale.
CANDIDATE_FACING = (
    "templates/base.html", "templates/errors.html", "templates/_", "templates/public/",
    "templates/candidates/", "meetgreet/core/", "meetgreet/candidates/",
    "meetgreet/scheduling/services.py",  # the cancellation mail reaches candidates
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(locale: str) -> polib.POFile:
    return polib.pofile(str(CATALOGS / locale / "LC_MESSAGES" / "messages.po"))


def translated(locale: str, msgid: str) -> str:
    return next(entry.msgstr for entry in catalog(locale) if entry.msgid == msgid)


def candidate_facing(entry: polib.POEntry) -> bool:
    return any(path.startswith(CANDIDATE_FACING) for path, _line in entry.occurrences)


def test_every_locale_but_english_has_a_catalog():
    # English is the source language, so it needs no catalog.
    assert {p.name for p in CATALOGS.iterdir() if p.is_dir()} == set(LOCALES) - {"en"}


def test_catalogs_are_in_step_with_the_template():
    template = polib.pofile(str(CATALOGS / "messages.pot"))
    source = {entry.msgid for entry in template}
    for locale in set(LOCALES) - {"en"}:
        assert {entry.msgid for entry in catalog(locale) if not entry.obsolete} == source, locale


@pytest.mark.parametrize("locale", sorted(set(LOCALES) - {"en"}))
def test_candidate_facing_strings_are_translated(locale):
    problems = [
        entry.msgid for entry in catalog(locale)
        if not entry.obsolete and candidate_facing(entry)
        and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert problems == []


def test_the_dutch_default_ui_is_translated_completely():
    entries = [entry for entry in catalog("nl") if not entry.obsolete]
    assert [entry.msgid for entry in entries if not entry.translated() or entry.fuzzy] == []


@pytest.mark.parametrize("locale", sorted(set(LOCALES) - {"en"}))
def test_translations_keep_their_placeholders(locale):
    for entry in catalog(locale):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in filter(None, translations):
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(entry.msgid)), (
                entry.msgid, text)


def test_dutch_is_the_default(client):
    page = client.get("/", headers={"Accept-Language": ""}).get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in page
    assert f"<h1>{translated('nl', 'Upcoming Meet & Greets')}</h1>" in page


@pytest.mark.parametrize(("header", "locale"), [
    ("uk-UA,uk;q=0.9,en;q=0.5", "uk"), ("ru", "ru"), ("ar-SY", "ar"), ("en-GB", "en"),
    ("de-DE", "nl"),
])
def test_the_browser_preference_picks_the_language(client, header, locale):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{locale}"' in page


def test_arabic_pages_are_right_to_left(client):
    page = client.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page


def test_the_language_switch_is_remembered(client):
    token = client.csrf_token("/")
    response = client.post("/language", data={"csrf_token": token, "locale": "uk"},
                           headers={"Referer": "http://localhost/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    page = client.get("/login", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="uk" dir="ltr">' in page
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert re.search("[а-яіїєґ]", heading.lower()), heading


def test_the_language_switch_rejects_unknown_locales(client):
    token = client.csrf_token("/")
    assert client.post("/language", data={"csrf_token": token, "locale": "xx"}).status_code == 400


@pytest.mark.parametrize("referrer", [
    "https://evil.example/phish",
    # Same host, but a path a browser reads as another site.
    "http://localhost//evil.example/phish",
    "http://localhost/\\evil.example/phish",
])
def test_the_language_switch_never_redirects_off_site(client, referrer):
    token = client.csrf_token("/")
    response = client.post("/language", data={"csrf_token": token, "locale": "en"},
                           headers={"Referer": referrer})
    assert response.headers["Location"] == "/"


def test_outside_a_request_the_default_language_is_used(app):
    # CLI commands and cron jobs have no browser to ask; they must not crash on a translation.
    from flask_babel import get_locale

    with app.app_context():
        assert str(get_locale()) == "nl"
