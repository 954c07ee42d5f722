"""The rules after the event, called directly."""

from datetime import UTC, date, datetime, timedelta

import pytest

from meetgreet.accounts.models import Role
from meetgreet.candidates.models import RegistrationStatus
from meetgreet.employers.models import BookingStatus
from meetgreet.followup import services
from meetgreet.followup.models import (
    FollowUpStatus,
    Interest,
    NextStep,
    OutcomeKind,
    RecordedBy,
)
from meetgreet.followup.services import ConversationRefused, FollowUpError

from ..support.people import conversations_at, held_event, live_event, person, stand


def record(booking, registration, **fields):
    return services.record_conversation(booking, registration, **{
        "interest": Interest.INTERESTED, "next_step": NextStep.INTERVIEW, "note": "",
        "recorded_by": RecordedBy.EMPLOYER, **fields})


def test_a_badge_code_finds_its_registration_as_typed_or_scanned(app):
    event = live_event()
    olena = person(event)
    code = olena.ticket_code
    grouped = " ".join(code[i:i + 5] for i in range(0, len(code), 5)).lower()
    for typed in (code, grouped, f"  {code}\n"):
        assert services.registration_for_code(event, typed, for_employer=True) == olena


@pytest.mark.parametrize("case, reason", [
    ("unknown", "unknown"), ("other_event", "other_event"), ("cancelled", "cancelled"),
    ("no_consent", "no_consent"), ("empty", "unknown"),
])
def test_a_wrong_badge_says_why(app, case, reason):
    event = live_event()
    other = live_event()
    registrations = {
        "other_event": person(other),
        "cancelled": person(event, "Ahmad", "Haddad", status=RegistrationStatus.CANCELLED),
        "no_consent": person(event, "Yonas", "Tesfaye", consent=False),
    }
    code = {"unknown": "ABCDEFGHJKMNPQRSTUVWXYZ234", "empty": "  "}.get(case) or \
        registrations[case].ticket_code
    with pytest.raises(ConversationRefused) as refused:
        services.registration_for_code(event, code, for_employer=True)
    assert refused.value.reason == reason


def test_staff_may_pick_someone_who_did_not_agree_to_share(app):
    event = live_event()
    yonas = person(event, "Yonas", "Tesfaye", consent=False)
    assert services.registration_for_code(event, yonas.ticket_code, for_employer=False) == yonas
    booking, _ = stand(event)
    with pytest.raises(ConversationRefused):
        record(booking, yonas)
    conversation = record(booking, yonas, recorded_by=RecordedBy.STAFF)
    assert conversation.recorded_by is RecordedBy.STAFF


def test_the_pick_list_holds_only_checked_in_people_who_share(app):
    event = live_event()
    came = person(event, "Olena")
    person(event, "Ahmad", checked_in=False)
    person(event, "Yonas", consent=False)
    person(event, "Mariam", status=RegistrationStatus.CANCELLED)
    person(live_event(), "Other")
    assert services.shareable_candidates(event) == [came]


def test_recording_twice_updates_the_one_conversation(app):
    event = live_event()
    booking, _ = stand(event)
    olena = person(event)
    first = record(booking, olena, interest=Interest.MAYBE)
    second = record(booking, olena, interest=Interest.INTERESTED, note="Komt <b>dinsdag</b>")
    assert first.id == second.id
    assert conversations_at(booking) == [second]
    assert second.interest is Interest.INTERESTED and second.note == "Komt <b>dinsdag</b>"


def test_a_send_that_races_another_for_the_same_pair_updates_the_stored_one(app):
    """The other copy of a twice-sent scan stores the pair (on its own connection, committed)
    after our lookup and before our insert: the insert hits the unique pair and the send
    updates that record instead of failing."""
    from sqlalchemy import event as sa_event
    from sqlalchemy import func, insert, select

    from meetgreet.extensions import db
    from meetgreet.followup.models import Conversation

    live = live_event()
    booking, _ = stand(live)
    olena = person(live)
    raced = []

    def other_copy_stores_first(session, flush_context, instances):
        if raced or not any(isinstance(obj, Conversation) for obj in session.new):
            return
        with db.engine.begin() as other:
            other.execute(insert(Conversation.__table__).values(
                event_id=live.id, stand_booking_id=booking.id, registration_id=olena.id,
                interest=Interest.MAYBE, recorded_by=RecordedBy.EMPLOYER))
        raced.append(True)

    session = db.session()
    sa_event.listen(session, "before_flush", other_copy_stores_first)
    try:
        stored = record(booking, olena, interest=Interest.INTERESTED, note="Komt dinsdag")
    finally:
        sa_event.remove(session, "before_flush", other_copy_stores_first)
    assert raced, "the other copy did not get in between"
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 1
    assert conversations_at(booking) == [stored]
    assert stored.interest is Interest.INTERESTED and stored.note == "Komt dinsdag"


def test_a_note_is_cut_to_500_characters_without_control_characters(app):
    event = live_event()
    booking, _ = stand(event)
    conversation = record(booking, person(event), note="a\x07b" + "x" * 600)
    assert conversation.note.startswith("abx") and len(conversation.note) == 500


def test_employers_record_only_around_the_event_and_only_at_a_confirmed_stand(app):
    event = live_event()
    booking, _ = stand(event)
    olena = person(event)
    with pytest.raises(ConversationRefused) as refused:
        record(booking, olena, now=event.starts_at - timedelta(hours=3))
    assert refused.value.reason == "closed"
    with pytest.raises(ConversationRefused):
        record(booking, olena, now=event.ends_at + timedelta(hours=25))
    record(booking, olena, now=event.ends_at + timedelta(hours=23))
    waiting, _ = stand(event, 2, status=BookingStatus.WAITING)
    with pytest.raises(ConversationRefused) as refused:
        record(waiting, olena)
    assert refused.value.reason == "no_stand"


def test_a_badge_of_another_event_cannot_be_recorded_at_this_stand(app):
    booking, _ = stand(live_event())
    with pytest.raises(ConversationRefused) as refused:
        record(booking, person(live_event()))
    assert refused.value.reason == "other_event"


def test_the_employer_view_carries_no_contact_details(app):
    event = live_event()
    booking, _ = stand(event)
    olena = person(event, email="olena@example.org", phone="+31612345678",
                   languages=("uk", "ru"))
    shared = services.shared_view(record(booking, olena))
    assert shared.first_name == "Olena" and shared.languages == ("ru", "uk")
    assert not hasattr(shared, "email") and not hasattr(shared, "last_name")
    assert "example.org" not in repr(shared) and "Kovalenko" not in repr(shared)


# --- follow-up -------------------------------------------------------------------------------


def test_a_follow_up_cannot_be_due_in_the_past(app, make_staff):
    event = held_event()
    coach = make_staff(Role.COACH)
    candidate = person(event).candidate
    today = services.local_today()
    with pytest.raises(FollowUpError) as error:
        services.create_follow_up(candidate, coach, today - timedelta(days=1))
    assert error.value.field == "due_on"
    assert services.create_follow_up(candidate, coach, today).status is FollowUpStatus.OPEN


def test_a_door_volunteer_cannot_own_a_follow_up(app, make_staff):
    candidate = person(held_event()).candidate
    with pytest.raises(FollowUpError) as error:
        services.create_follow_up(candidate, make_staff(Role.DOOR), services.local_today())
    assert error.value.field == "owner"


def test_follow_up_closes_18_months_after_the_first_event_attended(app, make_staff):
    first = held_event(days_ago=600)
    registration = person(first)
    person(held_event(days_ago=30), candidate=registration.candidate)
    candidate = registration.candidate
    first_day = services.event_day(first)
    closes = services.follow_up_closes_on(candidate)
    assert (closes.year - first_day.year) * 12 + closes.month - first_day.month == 18
    assert not services.follow_up_open(candidate)
    assert services.follow_up_open(candidate, closes - timedelta(days=1))
    with pytest.raises(FollowUpError) as error:
        services.create_follow_up(candidate, make_staff(Role.COACH), services.local_today())
    assert error.value.reason == "closed"
    # Closed is not deleted: the timeline still shows everything.
    assert [e.kind for e in services.timeline(candidate)] == ["attended", "attended"]


def test_a_registration_without_coming_starts_the_18_months_only_when_nothing_was_attended(app):
    never = person(held_event(days_ago=100), checked_in=False)
    assert services.first_event_day(never.candidate) == services.event_day(never.event)
    later = person(held_event(days_ago=10), candidate=never.candidate)
    assert services.first_event_day(never.candidate) == services.event_day(later.event)


def test_a_coach_sees_open_follow_ups_of_own_candidates_overdue_first(app, make_staff):
    event = held_event()
    coach, other = make_staff(Role.COACH), make_staff(Role.COACH)
    today = services.local_today()
    own = person(event, "Olena", coach=coach).candidate
    someone = person(event, "Ahmad").candidate
    later = services.create_follow_up(own, other, today + timedelta(days=5))
    overdue = services.create_follow_up(own, other, today)
    overdue.due_on = today - timedelta(days=3)  # it was planned earlier
    mine = services.create_follow_up(someone, coach, today + timedelta(days=1))
    done = services.create_follow_up(someone, coach, today)
    services.set_follow_up_status(done, FollowUpStatus.DONE, result="Gesprek gevoerd")
    services.create_follow_up(someone, other, today)  # not mine, not my candidate
    assert services.open_follow_ups_for(coach) == [overdue, mine, later]
    assert done.done_at is not None and done.result == "Gesprek gevoerd"
    services.set_follow_up_status(done, FollowUpStatus.OPEN)
    assert done.done_at is None


def test_reminders_go_weekly_for_overdue_follow_ups(app, make_staff):
    event = held_event()
    coach = make_staff(Role.COACH)
    candidate = person(event).candidate
    item = services.create_follow_up(candidate, coach, services.local_today())
    assert services.reminders_due() == {}
    item.due_on = services.local_today() - timedelta(days=1)
    assert services.reminders_due() == {coach: [item]}
    now = datetime.now(UTC)
    services.mark_reminded([item], now)
    assert services.reminders_due(now + timedelta(days=2)) == {}
    assert services.reminders_due(now + timedelta(days=7)) == {coach: [item]}


def test_a_contract_needs_hours_and_a_kind(app, make_staff):
    candidate = person(held_event()).candidate
    coach = make_staff(Role.COACH)
    today = services.local_today()
    with pytest.raises(FollowUpError) as error:
        services.record_outcome(candidate, OutcomeKind.CONTRACT, today, user=coach,
                                contract_type="permanent")
    assert error.value.field == "contract_hours"
    with pytest.raises(FollowUpError) as error:
        services.record_outcome(candidate, OutcomeKind.CONTRACT, today, user=coach,
                                contract_hours=24, contract_type="forever")
    assert error.value.field == "contract_type"
    outcome = services.record_outcome(candidate, OutcomeKind.CONTRACT, today, user=coach,
                                      contract_hours=24, contract_type="permanent")
    assert outcome.contract_hours == 24
    internship = services.record_outcome(candidate, OutcomeKind.INTERNSHIP_STARTED, today,
                                         user=coach, contract_hours=30, contract_type="agency")
    assert internship.contract_hours is None and internship.contract_type == ""


def test_the_timeline_runs_across_events_in_order(app, make_staff):
    coach = make_staff(Role.COACH)
    first, second = held_event(days_ago=60), held_event(days_ago=10)
    registration = person(first)
    candidate = registration.candidate
    person(second, candidate=candidate, checked_in=False)
    booking, _ = stand(first)
    conversation = record(booking, registration, recorded_by=RecordedBy.STAFF)
    services.create_follow_up(candidate, coach, services.local_today(),
                              conversation=conversation)
    services.record_outcome(candidate, OutcomeKind.INTERNSHIP_STARTED,
                            services.local_today() - timedelta(days=5), user=coach)
    kinds = [entry.kind for entry in services.timeline(candidate)]
    assert kinds == ["attended", "conversation", "registered", "outcome", "follow_up"]


def test_due_date_of_a_past_follow_up_may_stay_when_the_owner_changes(app, make_staff):
    candidate = person(held_event()).candidate
    coach, other = make_staff(Role.COACH), make_staff(Role.PLANNER)
    item = services.create_follow_up(candidate, coach, services.local_today())
    item.due_on = date.today() - timedelta(days=10)
    services.reassign_follow_up(item, other, item.due_on)
    assert item.owner == other
    with pytest.raises(FollowUpError):
        services.reassign_follow_up(item, other, services.local_today() - timedelta(days=2))


def test_several_follow_ups_get_one_owner_all_or_none(app, make_staff):
    planner = make_staff(Role.PLANNER)
    carla = make_staff(Role.COACH, email="carla@example.org")
    gone = make_staff(Role.COACH, email="gone@example.org")
    gone.active = False
    event = held_event()
    today = services.local_today()
    open_one, done_one = (services.create_follow_up(person(event, name).candidate, planner, today)
                          for name in ("Olena", "Ahmad"))
    services.set_follow_up_status(done_one, FollowUpStatus.DONE)
    for refs, owner, field, reason in (
            ([], carla, "follow_ups", "none_chosen"),
            ([open_one.ref], None, "owner", "not_owner"),
            ([open_one.ref], gone, "owner", "not_owner"),
            ([open_one.ref, done_one.ref], carla, "follow_ups", "gone")):
        with pytest.raises(FollowUpError) as error:
            services.assign_follow_ups(refs, owner)
        assert (error.value.field, error.value.reason) == (field, reason)
        assert open_one.owner == planner and done_one.owner == planner
    assert services.assign_follow_ups([open_one.ref, open_one.ref], carla) == [open_one]
    assert open_one.owner == carla
    assert [f.id for f in services.open_follow_ups()] == [open_one.id]
