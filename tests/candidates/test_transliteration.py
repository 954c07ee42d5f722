import pytest

from meetgreet.candidates.transliteration import guess_cyrillic_language, to_latin


@pytest.mark.parametrize(("name", "latin"), [
    ("Олена Коваленко", "Olena Kovalenko"),
    ("Юрій Щербак", "Yurii Shcherbak"),
    ("Згорани", "Zghorany"),
    ("Розгон", "Rozghon"),
    ("Євген Гаврилюк", "Yevhen Havryliuk"),
    ("Яна Їжакевич", "Yana Yizhakevych"),
    ("Знам'янка", "Znamianka"),
    ("Андрій Ґудзь", "Andrii Gudz"),
    ("Тетяна ЯРЕМЧУК", "Tetiana YAREMCHUK"),
    ("Стрий", "Stryi"),
])
def test_ukrainian_names_follow_the_national_standard(name, latin):
    assert to_latin(name, hint="uk") == latin


@pytest.mark.parametrize(("name", "latin"), [
    ("Наталья Зыкова", "Natalia Zykova"),
    ("Юлия Ёжикова", "Iuliia Ezhikova"),
    ("Александр Щербаков", "Aleksandr Shcherbakov"),
])
def test_russian_names_follow_the_passport_standard(name, latin):
    assert to_latin(name) == latin


def test_the_alphabet_decides_before_the_readers_language():
    assert guess_cyrillic_language("Наталя", hint="ru") == "ru"  # both alphabets have these
    assert guess_cyrillic_language("Юрій", hint="ru") == "uk"  # і only exists in Ukrainian
    assert guess_cyrillic_language("Зыкова", hint="uk") == "ru"  # ы only exists in Russian
    assert to_latin("Дмитро Галина", hint="ru") == "Dmitro Galina"
    assert to_latin("Дмитро Галина", hint="uk") == "Dmytro Halyna"


def test_latin_and_arabic_names_are_left_to_the_candidate():
    assert to_latin("Ahmad Haddad") == ""
    assert to_latin("   ") == ""
    assert to_latin("أحمد حداد") == ""  # no vowels in the script: a guess would mislead


def test_other_scripts_get_a_readable_spelling():
    assert to_latin("ተስፋይ") == "Tesfay"


def test_a_long_name_stays_within_what_a_name_may_be():
    # "Щ" becomes "Shch": two 100-letter names would be 801 characters.
    latin = to_latin(f"{'Щ' * 100} {'Щ' * 100}", hint="uk")
    assert latin.startswith("SHCHSHCH") and len(latin) <= 100
