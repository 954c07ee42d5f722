from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetgreet.scheduling.planning import (
    Blocker,
    FollowingEvent,
    Proposal,
    Replan,
    SeriesRule,
    blocked_reason,
    blockers_of,
    holiday_language,
    plan,
    preferred_after,
    replan_after,
)

TUESDAY, THURSDAY, FRIDAY = 1, 3, 4
EVERY_5_WEEKS_ON_TUESDAY = SeriesRule(weekday=TUESDAY, interval_weeks=5)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- holidays ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2027-04-27", "Koningsdag"),
        ("2027-05-06", "Hemelvaartsdag"),
        ("2027-03-29", "Tweede paasdag"),
        ("2027-05-17", "Tweede pinksterdag"),
        ("2026-12-25", "Eerste kerstdag"),
        ("2028-12-26", "Tweede kerstdag"),
    ],
)
def test_public_holidays_block_with_their_dutch_name(day, name):
    assert blocked_reason(d(day)) == Blocker("holiday", name)


@pytest.mark.parametrize("year", [2025, 2030, 2035])
def test_bevrijdingsdag_blocks_in_lustrum_years(year):
    assert blocked_reason(date(year, 5, 5)) == Blocker("holiday", "Bevrijdingsdag")


@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_bevrijdingsdag_is_a_working_day_in_other_years(year):
    assert blocked_reason(date(year, 5, 5)) is None


@pytest.mark.parametrize(
    ("language", "name"),
    [("nl", "Koningsdag"), ("en", "King's Day"), ("en-GB", "King's Day"), ("uk", "День короля")],
)
def test_holiday_names_in_the_languages_the_package_offers(language, name):
    assert blocked_reason(d("2027-04-27"), language=language) == Blocker("holiday", name)


@pytest.mark.parametrize("language", ["ar", "ru", "ti", ""])
def test_holiday_names_fall_back_to_dutch(language):
    assert holiday_language(language) == "nl"
    assert blocked_reason(d("2027-04-27"), language=language).label == "Koningsdag"


def test_blackout_and_taken_days_block():
    blackouts = [(d("2026-10-05"), d("2026-10-09"), "verbouwing")]
    assert blocked_reason(d("2026-10-05"), blackouts=blackouts) == Blocker("blackout", "verbouwing")
    assert blocked_reason(d("2026-10-09"), blackouts=blackouts) == Blocker("blackout", "verbouwing")
    assert blocked_reason(d("2026-10-10"), blackouts=blackouts) is None
    assert blocked_reason(d("2026-10-13"), taken={d("2026-10-13")}) == Blocker("taken", "")
    assert blocked_reason(d("2026-10-14")) is None


def test_every_reason_is_listed_holiday_first():
    day = d("2027-04-27")
    found = blockers_of(day, blackouts=[(day, day, "markt")], taken={day})
    assert found == (
        Blocker("holiday", "Koningsdag"),
        Blocker("blackout", "markt"),
        Blocker("taken", ""),
    )
    assert blocked_reason(day, blackouts=[(day, day, "markt")], taken={day}) == found[0]


# --- plan: known cases ------------------------------------------------------


def test_free_dates_follow_the_interval():
    proposals = plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), count=3)
    assert [p.date for p in proposals] == [d("2026-09-01"), d("2026-10-06"), d("2026-11-10")]
    assert all(p.date == p.preferred and p.blockers == () for p in proposals)
    assert not any(p.conflict for p in proposals)


def test_koningsdag_2027_moves_to_the_earlier_tuesday_on_a_tie():
    [proposal] = plan(EVERY_5_WEEKS_ON_TUESDAY, d("2027-03-23"), d("2027-04-27"), count=1)
    # 20 April and 4 May are both a week away: the earlier one wins.
    assert proposal == Proposal(
        preferred=d("2027-04-27"),
        date=d("2027-04-20"),
        blockers=(Blocker("holiday", "Koningsdag"),),
    )


def test_hemelvaart_2027_moves_to_the_later_thursday_when_the_earlier_is_taken():
    rule = SeriesRule(weekday=THURSDAY, interval_weeks=5)
    [proposal] = plan(rule, d("2027-04-01"), d("2027-05-06"), count=1, taken={d("2027-04-29")})
    assert proposal.date == d("2027-05-13")
    assert proposal.blockers == (Blocker("holiday", "Hemelvaartsdag"),)


def test_tweede_kerstdag_2028():
    [proposal] = plan(EVERY_5_WEEKS_ON_TUESDAY, d("2028-11-21"), d("2028-12-26"), count=1)
    assert proposal.date == d("2028-12-19")
    assert proposal.blockers == (Blocker("holiday", "Tweede kerstdag"),)


def test_eerste_kerstdag_2026_does_not_move_onto_nieuwjaarsdag():
    rule = SeriesRule(weekday=FRIDAY, interval_weeks=5)
    [proposal] = plan(rule, d("2026-11-20"), d("2026-12-25"), count=1, taken={d("2026-12-18")})
    # 18 Dec is taken and 1 Jan is Nieuwjaarsdag: no Friday is left, so the
    # nearest other working day wins (Thursday 24 Dec before Monday 28 Dec).
    assert proposal.date == d("2026-12-24")


def test_a_blackout_week_moves_the_event_a_week():
    blackouts = [(d("2026-10-05"), d("2026-10-09"), "verbouwing")]
    proposals = plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), count=3, blackouts=blackouts)
    assert proposals[1] == Proposal(
        preferred=d("2026-10-06"),
        date=d("2026-09-29"),
        blockers=(Blocker("blackout", "verbouwing"),),
    )
    # The next event counts from the planned date, not from the preferred one.
    assert proposals[2].preferred == d("2026-11-03")


def test_another_weekday_only_when_no_tuesday_is_free():
    tuesdays = [d("2026-09-29"), d("2026-10-06"), d("2026-10-13")]
    blackouts = [(day, day, "sporthal bezet") for day in tuesdays]
    proposals = plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), count=3, blackouts=blackouts)
    # Monday and Wednesday are both one day away: the earlier one wins.
    assert proposals[1].date == d("2026-10-05")
    # After the detour the series returns to its Tuesday.
    assert proposals[2].preferred == d("2026-11-10")
    assert proposals[2].date == d("2026-11-10")


def test_never_moves_to_a_weekend():
    rule = SeriesRule(weekday=FRIDAY, interval_weeks=5)
    workdays = [
        (d("2026-10-02"), d("2026-10-02"), "x"),
        (d("2026-10-05"), d("2026-10-09"), "x"),
        (d("2026-10-12"), d("2026-10-16"), "x"),
    ]
    [proposal] = plan(rule, d("2026-09-04"), d("2026-10-09"), count=1, blackouts=workdays)
    assert proposal.conflict
    assert proposal.date is None


def test_conflict_when_a_blackout_covers_the_whole_window():
    blackouts = [(d("2026-09-28"), d("2026-10-16"), "verbouwing")]
    proposals = plan(
        EVERY_5_WEEKS_ON_TUESDAY, d("2026-09-01"), d("2026-10-06"), count=2, blackouts=blackouts
    )
    assert proposals[0] == Proposal(
        preferred=d("2026-10-06"), date=None, blockers=(Blocker("blackout", "verbouwing"),)
    )
    assert proposals[0].conflict
    # The series keeps its rhythm: the next slot counts from the missed date.
    assert proposals[1].preferred == d("2026-11-10")
    assert proposals[1].date == d("2026-11-10")


def test_a_new_series_never_starts_before_the_date_asked():
    [proposal] = plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2027-04-27"), count=1)
    assert proposal.date == d("2027-05-04")


def test_until_stops_at_the_last_preferred_date_on_or_before_it():
    proposals = plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), until=d("2026-11-10"))
    assert [p.preferred for p in proposals] == [d("2026-09-01"), d("2026-10-06"), d("2026-11-10")]
    assert plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), until=d("2026-08-31")) == []


def test_count_and_until_together_stop_at_the_first_reached():
    assert len(plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), 2, d("2027-12-31"))) == 2
    assert len(plan(EVERY_5_WEEKS_ON_TUESDAY, None, d("2026-09-01"), 9, d("2026-10-06"))) == 2


def test_preferred_after_brings_a_moved_series_back_to_its_weekday():
    assert preferred_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-05")) == d("2026-11-10")
    assert preferred_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-09")) == d("2026-11-10")
    assert preferred_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-06")) == d("2026-11-10")


# --- validation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weekday": 1, "interval_weeks": 3}, "interval_weeks must be 4, 5 or 6"),
        ({"weekday": 1, "interval_weeks": 7}, "interval_weeks must be 4, 5 or 6"),
        ({"weekday": 1, "interval_weeks": 5, "min_days": 43}, "must not be greater than"),
        ({"weekday": 7, "interval_weeks": 5}, "weekday must be"),
        ({"weekday": 1, "interval_weeks": 5, "min_days": 0}, "min_days must be at least 1"),
        ({"weekday": 1, "interval_weeks": 5, "min_days": 35, "max_days": 38}, "at least 7 days"),
        ({"weekday": 1, "interval_weeks": 6, "max_days": 40}, "must lie between"),
    ],
)
def test_rule_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SeriesRule(**kwargs)


def test_plan_validation():
    rule, start = EVERY_5_WEEKS_ON_TUESDAY, d("2026-09-01")
    with pytest.raises(ValueError, match="count or until"):
        plan(rule, None, start)
    with pytest.raises(ValueError, match="count must be at least 1"):
        plan(rule, None, start, count=0)
    with pytest.raises(ValueError, match="not on the series' weekday"):
        plan(rule, None, d("2026-09-02"), count=1)
    with pytest.raises(ValueError, match="28 to 42 days after the previous event"):
        plan(rule, d("2026-08-25"), start, count=1)


# --- plan: properties -------------------------------------------------------

NL_HOLIDAYS = holidays.country_holidays("NL", years=range(2023, 2040))


def allowed(day, blackouts, taken):
    """An independent statement of the rule, to check the planner against."""
    in_blackout = any(first <= day <= last for first, last, _ in blackouts)
    return day not in NL_HOLIDAYS and day not in taken and not in_blackout


def days_between(first, last):
    return [first + timedelta(n) for n in range((last - first).days + 1)]


def eligible_days(first, last, blackouts, taken):
    """Brute force: every working day of the window that the rule accepts."""
    return [
        day
        for day in days_between(first, last)
        if day.weekday() < 5 and allowed(day, blackouts, taken)
    ]


def expected_choice(rule, preferred, eligible):
    """The series' weekday if any is free, else any working day; nearest, then earliest."""
    same_weekday = [day for day in eligible if day.weekday() == rule.weekday]
    group = same_weekday or eligible
    return min(group, key=lambda day: (abs((day - preferred).days), day))


@st.composite
def rules(draw):
    interval = draw(st.sampled_from([4, 5, 6]))
    weekday = draw(st.integers(0, 4))
    if draw(st.booleans()):
        return SeriesRule(weekday, interval)
    days = interval * 7
    min_days = draw(st.integers(days - 10, days))
    max_days = draw(st.integers(max(days, min_days + 6), days + 10))
    return SeriesRule(weekday, interval, min_days, max_days)


@st.composite
def scenarios(draw):
    rule = draw(rules())
    start = draw(st.dates(date(2024, 1, 1), date(2035, 12, 31)))
    start += timedelta((rule.weekday - start.weekday()) % 7)
    previous = None
    if draw(st.booleans()):
        previous = start - timedelta(draw(st.integers(rule.min_days, rule.max_days)))
    count = draw(st.integers(1, 10))
    horizon = count * rule.max_days + 14
    spans = draw(st.lists(st.tuples(st.integers(-20, horizon), st.integers(0, 30)), max_size=10))
    blackouts = [
        (start + timedelta(offset), start + timedelta(offset + length), f"blackout {n}")
        for n, (offset, length) in enumerate(spans)
    ]
    taken = frozenset(
        start + timedelta(offset)
        for offset in draw(st.sets(st.integers(-20, horizon), max_size=40))
    )
    return rule, previous, start, count, blackouts, taken


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_planned_dates_keep_the_rule(scenario):
    rule, previous, start, count, blackouts, taken = scenario
    proposals = plan(rule, previous, start, count=count, blackouts=blackouts, taken=taken)
    assert len(proposals) == count

    anchor = previous
    for proposal in proposals:
        if anchor is None:
            first, last = start, start + timedelta(rule.max_days - rule.min_days)
        else:
            first, last = anchor + timedelta(rule.min_days), anchor + timedelta(rule.max_days)
        assert proposal.preferred.weekday() == rule.weekday
        assert first <= proposal.preferred <= last
        eligible = eligible_days(first, last, blackouts, taken)
        if proposal.conflict:
            assert eligible == []
            assert proposal.blockers != ()
            anchor = proposal.preferred
            continue

        planned = proposal.date
        assert planned in eligible  # in the window, no holiday, blackout or taken day
        assert planned.weekday() < 5
        if anchor is not None:
            assert rule.min_days <= (planned - anchor).days <= rule.max_days
        assert planned == expected_choice(rule, proposal.preferred, eligible)
        assert (planned == proposal.preferred) == (proposal.blockers == ())
        anchor = planned


# --- replan_after -----------------------------------------------------------


def ev(id_, day, published=False):
    return FollowingEvent(id=id_, date=d(day), published=published)


def test_a_cancellation_keeps_the_following_events():
    following = [ev(2, "2026-11-10"), ev(3, "2026-12-15", published=True)]
    results = replan_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-06"), following)
    assert results == [
        Replan(2, d("2026-11-10"), d("2026-11-10"), (), None),
        Replan(3, d("2026-12-15"), d("2026-12-15"), (), None),
    ]


def test_an_unpublished_event_that_still_fits_keeps_its_date():
    # The moved event went a week earlier: 6 weeks is still within the rule.
    [result] = replan_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-09-29"), [ev(2, "2026-11-10")])
    assert result.new_date == d("2026-11-10")
    assert result.flagged is None


def test_an_unpublished_event_too_close_is_planned_again_and_the_next_follows():
    following = [ev(2, "2026-11-10"), ev(3, "2026-12-15")]
    results = replan_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-20"), following)
    assert [r.new_date for r in results] == [d("2026-11-24"), d("2026-12-29")]
    assert all(r.flagged is None for r in results)


def test_an_unpublished_event_on_a_new_blackout_moves():
    blackouts = [(d("2026-11-09"), d("2026-11-13"), "verkiezingen")]
    [result] = replan_after(
        EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-06"), [ev(2, "2026-11-10")], blackouts=blackouts
    )
    assert result == Replan(
        2, d("2026-11-10"), d("2026-11-03"), (Blocker("blackout", "verkiezingen"),), None
    )


def test_published_events_are_flagged_never_moved():
    following = [
        ev(2, "2026-11-10", published=True),  # 3 weeks after the anchor
        ev(3, "2026-12-15"),
        ev(4, "2027-03-02", published=True),  # 11 weeks after event 3
    ]
    results = replan_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-20"), following)
    assert results[0] == Replan(2, d("2026-11-10"), d("2026-11-10"), (), "too_close")
    # The next one is measured against the published date as it stands.
    assert results[1].new_date == d("2026-12-15")
    assert results[2] == Replan(4, d("2027-03-02"), d("2027-03-02"), (), "too_far")


def test_a_published_event_on_a_holiday_is_flagged_blocked():
    [result] = replan_after(
        EVERY_5_WEEKS_ON_TUESDAY, d("2027-03-23"), [ev(2, "2027-04-27", published=True)]
    )
    assert result.flagged == "blocked"
    assert result.blockers == (Blocker("holiday", "Koningsdag"),)
    assert result.new_date == d("2027-04-27")


def test_an_unpublished_event_without_a_free_day_is_a_conflict():
    blackouts = [(d("2026-11-01"), d("2026-11-30"), "verbouwing")]
    following = [ev(2, "2026-11-10"), ev(3, "2026-12-15")]
    results = replan_after(
        EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-06"), following, blackouts=blackouts
    )
    assert results[0].new_date is None
    assert results[0].flagged == "conflict"
    # Measured from the missed preferred date (10 Nov), 15 Dec still fits.
    assert results[1].new_date == d("2026-12-15")


def test_following_events_are_handled_in_date_order():
    following = [ev(3, "2026-12-15"), ev(2, "2026-11-10")]
    results = replan_after(EVERY_5_WEEKS_ON_TUESDAY, d("2026-10-06"), following)
    assert [r.id for r in results] == [2, 3]


@st.composite
def replan_scenarios(draw):
    rule = draw(rules())
    anchor = draw(st.dates(date(2024, 1, 1), date(2035, 12, 31)))
    gaps = draw(st.lists(st.integers(14, 70), min_size=1, max_size=6))
    following, day = [], anchor
    for n, gap in enumerate(gaps):
        day += timedelta(gap)
        following.append(FollowingEvent(n, day, draw(st.booleans())))
    horizon = sum(gaps) + 60
    spans = draw(st.lists(st.tuples(st.integers(0, horizon), st.integers(0, 20)), max_size=6))
    blackouts = [
        (anchor + timedelta(offset), anchor + timedelta(offset + length), "x")
        for offset, length in spans
    ]
    taken = frozenset(
        anchor + timedelta(offset) for offset in draw(st.sets(st.integers(0, horizon), max_size=20))
    )
    return rule, anchor, following, blackouts, taken


@settings(max_examples=200, deadline=None)
@given(replan_scenarios())
def test_replan_keeps_the_rule_and_never_moves_published_events(scenario):
    rule, anchor, following, blackouts, taken = scenario
    results = replan_after(rule, anchor, following, blackouts=blackouts, taken=taken)
    assert [r.id for r in results] == [e.id for e in following]

    previous = anchor
    for event, result in zip(following, results, strict=True):
        assert result.old_date == event.date
        gap = (event.date - previous).days
        fits = rule.min_days <= gap <= rule.max_days
        free = allowed(event.date, blackouts, taken)
        assert (result.blockers == ()) == free
        if event.published:
            assert result.new_date == event.date
            expected = (
                "too_close" if gap < rule.min_days else "too_far" if gap > rule.max_days else None
            ) or (None if free else "blocked")
            assert result.flagged == expected
            previous = event.date
        elif fits and free:
            assert result.new_date == event.date  # least disruption
            assert result.flagged is None
            previous = event.date
        else:
            first, last = previous + timedelta(rule.min_days), previous + timedelta(rule.max_days)
            eligible = eligible_days(first, last, blackouts, taken)
            if result.new_date is None:
                assert result.flagged == "conflict"
                assert eligible == []
                previous = preferred_after(rule, previous)
            else:
                assert result.flagged is None
                assert result.new_date in eligible  # spacing kept, free, a working day
                preferred = preferred_after(rule, previous)
                assert result.new_date == expected_choice(rule, preferred, eligible)
                previous = result.new_date
