from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from meetgreet.scheduling.calendar import PRODID, CalendarEntry, build_feed, build_invitation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


DEFAULT_START = utc(2027, 5, 11, 8, 0)


def entry(starts_at: datetime = DEFAULT_START, **changes) -> CalendarEntry:
    base = CalendarEntry(
        uid="0b6f7c1e-5d0a-4c52-9a57-3e3f8d1f2a10@meetgreet",
        sequence=0,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        summary="Meet & Greet Amsterdam-Noord",
        location="Buikslotermeerplein 2000, Amsterdam",
        description="Werkgevers ontmoeten werkzoekenden. Tolken aanwezig.",
        url="https://meetgreet.example.nl/events/42",
        cancelled=False,
        dtstamp=utc(2027, 4, 1, 12, 0),
    )
    return replace(base, **changes)


def parse(data: bytes) -> Calendar:
    assert isinstance(data, bytes)
    return Calendar.from_ical(data)


def only_event(cal: Calendar):
    [event] = cal.walk("VEVENT")
    return event


# --- the feed ---------------------------------------------------------------


def test_feed_header():
    cal = parse(build_feed([entry()], name="Meet & Greets WSP Groot-Amsterdam"))
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["X-WR-CALNAME"]) == "Meet & Greets WSP Groot-Amsterdam"


def test_feed_has_one_vtimezone_for_amsterdam():
    cal = parse(build_feed([entry(), entry(utc(2028, 1, 11, 9, 0), uid="b@meetgreet")], name="x"))
    [vtimezone] = cal.walk("VTIMEZONE")
    assert str(vtimezone["TZID"]) == "Europe/Amsterdam"
    assert {c.name for c in vtimezone.subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_feed_event_properties():
    cal = parse(build_feed([entry(sequence=3)], name="x"))
    event = only_event(cal)
    assert str(event["UID"]) == "0b6f7c1e-5d0a-4c52-9a57-3e3f8d1f2a10@meetgreet"
    assert event["SEQUENCE"] == 3
    assert event.decoded("DTSTAMP") == utc(2027, 4, 1, 12, 0)
    assert str(event["SUMMARY"]) == "Meet & Greet Amsterdam-Noord"
    assert str(event["LOCATION"]) == "Buikslotermeerplein 2000, Amsterdam"
    assert str(event["URL"]) == "https://meetgreet.example.nl/events/42"
    assert str(event["DESCRIPTION"]) == "Werkgevers ontmoeten werkzoekenden. Tolken aanwezig."
    assert str(event["STATUS"]) == "CONFIRMED"


def test_feed_keeps_cancelled_events_marked_cancelled():
    entries = [entry(), entry(utc(2027, 6, 15, 8, 0), uid="c@meetgreet", cancelled=True)]
    events = parse(build_feed(entries, name="x")).walk("VEVENT")
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]


def test_empty_optional_texts_are_left_out():
    event = only_event(parse(build_feed([entry(location="", url="", description="")], name="x")))
    assert "LOCATION" not in event
    assert "URL" not in event
    assert "DESCRIPTION" not in event


def test_empty_feed_is_a_valid_calendar():
    cal = parse(build_feed([], name="Leeg"))
    assert cal.walk("VEVENT") == []
    assert str(cal["X-WR-CALNAME"]) == "Leeg"


def test_raw_lines_are_crlf_folded_and_stamped_in_utc():
    data = build_feed([entry(description="Опис " * 40)], name="x")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"DTSTAMP:20270401T120000Z" in lines
    assert b"DTSTART;TZID=Europe/Amsterdam:20270511T100000" in lines


# --- daylight saving time ---------------------------------------------------

# (UTC instant, the local wall-clock time written in the feed)
DST_CASES = [
    # Summer time starts on the last Sunday of March 2027, 01:00 UTC.
    (utc(2027, 3, 27, 9, 0), "20270327T100000"),
    (utc(2027, 3, 28, 0, 30), "20270328T013000"),
    (utc(2027, 3, 28, 1, 30), "20270328T033000"),
    (utc(2027, 3, 29, 8, 0), "20270329T100000"),
    # Summer time ends on the last Sunday of October 2027, 01:00 UTC.
    (utc(2027, 10, 30, 8, 0), "20271030T100000"),
    (utc(2027, 10, 31, 0, 30), "20271031T023000"),
    (utc(2027, 10, 31, 2, 30), "20271031T033000"),
    (utc(2027, 11, 1, 9, 0), "20271101T100000"),
]


@pytest.mark.parametrize(("instant", "wall_clock"), DST_CASES)
def test_dtstart_is_amsterdam_time_of_the_same_instant(instant, wall_clock):
    data = build_feed([entry(instant)], name="x")
    assert f"DTSTART;TZID=Europe/Amsterdam:{wall_clock}".encode() in data.split(b"\r\n")

    cal = parse(data)
    event = only_event(cal)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    # Compared in UTC: Python never equates a time in the repeated autumn hour
    # with one in another zone (PEP 495).
    assert start.astimezone(UTC) == instant
    assert end.astimezone(UTC) == instant + timedelta(hours=3)
    assert start.utcoffset() == instant.astimezone(AMSTERDAM).utcoffset()

    # The VTIMEZONE alone (not the reader's tz database) must give the same instant.
    [vtimezone] = cal.walk("VTIMEZONE")
    own_tz = vtimezone.to_tz(lookup_tzid=False)
    written = datetime.strptime(wall_clock, "%Y%m%dT%H%M%S").replace(tzinfo=own_tz)
    assert written.astimezone(UTC) == instant


def test_the_repeated_autumn_hour_is_written_in_utc():
    # 01:30 UTC on 31 October 2027 is 02:30 CET, which also existed as 02:30
    # CEST an hour earlier; a TZID time would be read as the earlier one.
    instant = utc(2027, 10, 31, 1, 30)
    data = build_feed([entry(instant)], name="x")
    assert b"DTSTART:20271031T013000Z" in data.split(b"\r\n")
    assert only_event(parse(data)).decoded("DTSTART").astimezone(UTC) == instant


def test_vtimezone_has_both_offsets():
    [vtimezone] = parse(build_feed([entry()], name="x")).walk("VTIMEZONE")
    offsets = {(c.name, c["TZOFFSETTO"].td) for c in vtimezone.subcomponents if "TZOFFSETTO" in c}
    assert ("STANDARD", timedelta(hours=1)) in offsets
    assert ("DAYLIGHT", timedelta(hours=2)) in offsets


# --- scripts ----------------------------------------------------------------


def test_cyrillic_and_arabic_survive():
    summary = "Зустріч з роботодавцями / لقاء مع أصحاب العمل"
    description = (
        "Перекладачі: українська, русский.\n"
        "المترجمون متوفرون: العربية، التغرينية؛ الدارية, الفارسية.\n"
        "Вхід вільний; реєстрація не обов'язкова. " * 3
    )
    cal = parse(build_feed([entry(summary=summary, description=description)], name="Зустрічі"))
    event = only_event(cal)
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == description
    assert str(cal["X-WR-CALNAME"]) == "Зустрічі"


# --- invitations ------------------------------------------------------------


def test_request_invitation_names_organizer_and_attendee():
    data = build_invitation(
        entry(sequence=1),
        method="REQUEST",
        organizer_email="planning@wsp.example.nl",
        attendee_email="hr@bakkerij.example.nl",
    )
    cal = parse(data)
    assert str(cal["METHOD"]) == "REQUEST"
    assert len(cal.walk("VTIMEZONE")) == 1
    event = only_event(cal)
    assert str(event["ORGANIZER"]) == "mailto:planning@wsp.example.nl"
    assert str(event["ATTENDEE"]) == "mailto:hr@bakkerij.example.nl"
    assert event["ATTENDEE"].params["ROLE"] == "REQ-PARTICIPANT"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == utc(2027, 5, 11, 8, 0)


def test_cancel_invitation_is_cancelled():
    data = build_invitation(
        entry(sequence=2),
        method="CANCEL",
        organizer_email="planning@wsp.example.nl",
        attendee_email="hr@bakkerij.example.nl",
    )
    cal = parse(data)
    assert str(cal["METHOD"]) == "CANCEL"
    event = only_event(cal)
    assert str(event["STATUS"]) == "CANCELLED"
    assert event["SEQUENCE"] == 2
    assert str(event["UID"]) == entry().uid


def test_invitation_without_addresses():
    event = only_event(
        parse(
            build_invitation(entry(), method="REQUEST", organizer_email=None, attendee_email=None)
        )
    )
    assert "ORGANIZER" not in event
    assert "ATTENDEE" not in event


def test_publish_invitation_has_no_attendee():
    cal = parse(
        build_invitation(
            entry(),
            method="PUBLISH",
            organizer_email="planning@wsp.example.nl",
            attendee_email="hr@bakkerij.example.nl",
        )
    )
    assert str(cal["METHOD"]) == "PUBLISH"
    event = only_event(cal)
    assert str(event["ORGANIZER"]) == "mailto:planning@wsp.example.nl"
    assert "ATTENDEE" not in event


# --- refused input ----------------------------------------------------------


def test_unknown_method_is_refused():
    with pytest.raises(ValueError, match="method must be"):
        build_invitation(entry(), method="REPLY", organizer_email=None, attendee_email=None)


@pytest.mark.parametrize("email", ["no-at-sign", "two words@example.nl"])
def test_bad_email_is_refused(email):
    with pytest.raises(ValueError, match="not an e-mail address"):
        build_invitation(entry(), method="REQUEST", organizer_email=email, attendee_email=None)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        entry(datetime(2027, 5, 11, 10, 0))


def test_end_before_start_is_refused():
    with pytest.raises(ValueError, match="is before starts_at"):
        entry(ends_at=utc(2027, 5, 11, 7, 0))
