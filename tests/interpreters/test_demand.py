import pytest

from meetgreet.interpreters.demand import (
    OTHER_SECTOR_WEIGHT,
    SECTOR_MATCH_WEIGHT,
    CandidateNeed,
    StandInfo,
    demand,
    english_level,
    language_shares,
    needs_interpreter,
)

CARE, LOGISTICS = "care", "logistics"


def candidate(**fields) -> CandidateNeed:
    fields.setdefault("languages", {"ar": "native"})
    return CandidateNeed(**fields)


# --- who needs an interpreter -------------------------------------------------


@pytest.mark.parametrize(
    ("dutch", "languages", "english", "needs"),
    [
        ("none", {"ar": "native"}, None, True),
        ("A1", {"ar": "native"}, None, True),
        ("A2", {"ar": "native"}, None, False),  # A2 Dutch is enough
        ("B1", {"ar": "native"}, None, False),
        ("A1", {"ar": "native", "en": "good"}, None, False),  # good English counts as B1
        ("A1", {"ar": "native", "en": "native"}, None, False),
        ("A1", {"ar": "native", "en": "basic"}, None, True),  # basic English does not
        ("none", {"ar": "native"}, "B1", False),  # a stated level wins
        ("none", {"ar": "native", "en": "good"}, "A2", True),
    ],
)
def test_a_candidate_needs_an_interpreter_below_a2_dutch_and_b1_english(
        dutch, languages, english, needs):
    assert needs_interpreter(candidate(dutch_level=dutch, languages=languages,
                                       english_level=english)) is needs


def test_saying_so_is_enough_whatever_the_levels():
    assert needs_interpreter(candidate(dutch_level="B2", english_level="B2",
                                       needs_interpreter=True))


def test_english_level_is_derived_from_spoken_english():
    assert english_level(candidate(languages={"en": "good"})) == "B1"
    assert english_level(candidate(languages={"en": "basic"})) == "none"
    assert english_level(candidate(languages={"ar": "native"})) == "none"


def test_unknown_levels_are_refused():
    with pytest.raises(ValueError, match="Dutch"):
        candidate(dutch_level="C3")
    with pytest.raises(ValueError, match="level"):
        candidate(languages={"ar": "fluent"})


# --- which languages count --------------------------------------------------------


def test_the_native_language_takes_the_whole_weight():
    assert language_shares(candidate(languages={"ar": "native", "fa": "good"})) == {"ar": 1.0}


def test_languages_at_the_same_best_level_share_the_weight():
    shares = language_shares(candidate(languages={"uk": "native", "ru": "native"}))
    assert shares == {"ru": 0.5, "uk": 0.5}


def test_basic_dutch_and_english_do_not_count():
    assert language_shares(candidate(languages={"ti": "basic", "nl": "native",
                                                "en": "native"})) == {}
    assert language_shares(candidate(languages={"ti": "good", "so": "basic"})) == {"ti": 1.0}


# --- demand per stand ---------------------------------------------------------------


def test_interest_in_the_stands_sector_weighs_more():
    stands = [StandInfo(1, CARE), StandInfo(2, LOGISTICS)]
    need = demand(stands, [candidate(sectors=frozenset({CARE}))])
    assert need.get(1, "ar") == SECTOR_MATCH_WEIGHT == 1.0
    assert need.get(2, "ar") == OTHER_SECTOR_WEIGHT == 0.25
    assert need.by_language == {"ar": 1.25}
    assert need.candidates_by_language == {"ar": 1.0}


def test_nothing_for_a_language_a_representative_speaks():
    stands = [StandInfo(1, CARE, frozenset({"ar"})), StandInfo(2, CARE)]
    need = demand(stands, [candidate(sectors=frozenset({CARE}))])
    assert need.get(1, "ar") == 0.0
    assert 1 not in need.by_stand
    assert need.get(2, "ar") == 1.0


def test_only_candidates_who_need_an_interpreter_count():
    stands = [StandInfo(1, CARE)]
    need = demand(stands, [
        candidate(dutch_level="B1"),
        candidate(languages={"nl": "good", "en": "basic"}),  # nobody to interpret for
        candidate(languages={"uk": "native", "ru": "native"}, sectors=frozenset({CARE})),
        candidate(languages={"uk": "native"}),
    ])
    assert need.by_stand == {1: {"uk": 0.5 + 0.25, "ru": 0.5}}
    assert need.candidates_by_language == {"uk": 1.5, "ru": 0.5}
    assert list(need.items()) == [(1, "ru", 0.5), (1, "uk", 0.75)]
    assert need.languages == ("ru", "uk")
    assert need.total == pytest.approx(1.25)


def test_a_stand_without_sector_gets_the_other_weight():
    need = demand([StandInfo(7, None)], [candidate(sectors=frozenset({CARE}))])
    assert need.get(7, "ar") == OTHER_SECTOR_WEIGHT


def test_no_candidates_no_demand():
    need = demand([StandInfo(1, CARE)], [])
    assert need.by_stand == {} and need.by_language == {} and need.total == 0
