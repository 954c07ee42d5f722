"""The interpreter rules on the database: pool, answers, windows, demand, solving and pins."""

from datetime import timedelta

import pytest
import sqlalchemy
from sqlalchemy import insert

from meetgreet.core.tokens import hash_token
from meetgreet.extensions import db
from meetgreet.interpreters.assignment import WHOLE_EVENT
from meetgreet.interpreters.models import Answer, InterpreterInvitation, RuleKind
from meetgreet.interpreters.services import (
    AvailabilityError,
    InterpreterData,
    add_rule,
    coverage,
    event_demand,
    event_problem,
    floor_rows,
    grid_position,
    invitation_for_token,
    invitations,
    invite,
    save_interpreter,
    saved_posts,
    set_answer,
    solve_event,
    windows,
)

from ..support.factories import make_event
from .builders import available, candidates, interpreter, small_event, stands


def test_an_interpreter_needs_a_language_and_a_table(app):
    with pytest.raises(ValueError, match="language"):
        save_interpreter(InterpreterData(name="Nobody", languages=[]))
    with pytest.raises(ValueError, match="table count"):
        save_interpreter(InterpreterData(name="Nobody", languages=["uk"], table_count=0))


def test_saving_keeps_languages_in_sync_and_gives_a_reference(app):
    person = interpreter(languages=("uk", "ru"))
    assert person.ref and len(person.ref) == 10
    save_interpreter(InterpreterData(name=person.name, languages=["ru", "ar"]), person)
    assert person.language_codes == ["ar", "ru"]


def test_the_link_token_is_stored_only_as_a_hash_and_a_new_invitation_replaces_it(app):
    event = make_event()
    person = interpreter()
    (invitation, token), = invite(event, [person])
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert invitation_for_token(token) is invitation
    assert invitation_for_token(token + "x") is None
    set_answer(invitation, Answer.YES)
    (again, new_token), = invite(event, [person])
    assert again.id == invitation.id and again.answer is Answer.YES  # the answer stays
    assert invitation_for_token(token) is None and invitation_for_token(new_token) is again


def test_inviting_someone_already_invited_again_does_not_fail(app):
    event = make_event()
    person = interpreter()
    invite(event, [person])
    (again, token), = invite(event, [person])
    assert invitation_for_token(token) is again
    assert len(invitations(event)) == 1


def test_the_invite_form_sent_twice_at_once_invites_each_interpreter_once(app):
    event = make_event()
    new, earlier = interpreter(), interpreter("Iryna Boyko")
    (_invitation, earlier_token), = invite(event, [earlier])
    event_id, new_id = event.id, new.id

    def the_other_request(session, flush_context, instances):
        # The second submit of the same form invites the new interpreter between this
        # request's read and its write, on its own connection.
        with db.engine.begin() as connection:
            connection.execute(insert(InterpreterInvitation).values(
                event_id=event_id, interpreter_id=new_id, token_hash=hash_token("other link")))

    sqlalchemy.event.listen(db.session(), "before_flush", the_other_request, once=True)
    result = invite(event, [new, earlier])
    # The new interpreter is left to the other request (which mails them); the earlier one
    # is invited again as asked.
    assert [invitation.interpreter_id for invitation, _token in result] == [earlier.id]
    assert invitation_for_token("other link").interpreter_id == new.id
    assert invitation_for_token(earlier_token) is None
    assert invitation_for_token(result[0][1]).interpreter_id == earlier.id
    assert len(invitations(event)) == 2


def test_availability_must_lie_within_the_event(app):
    event = make_event()
    (invitation, _), = invite(event, [interpreter()])
    with pytest.raises(AvailabilityError) as error:
        set_answer(invitation, Answer.YES, available_from=event.starts_at - timedelta(hours=1))
    assert error.value.reason == "outside_event"
    with pytest.raises(AvailabilityError) as error:
        set_answer(invitation, Answer.YES, available_until=event.ends_at + timedelta(minutes=1))
    assert error.value.reason == "outside_event"
    with pytest.raises(AvailabilityError) as error:
        set_answer(invitation, Answer.YES, available_from=event.starts_at + timedelta(hours=2),
                   available_until=event.starts_at + timedelta(hours=1))
    assert error.value.reason == "order"
    assert invitation.answer is Answer.NONE and invitation.answered_at is None


def test_a_window_equal_to_the_event_is_the_whole_event_and_no_keeps_no_window(app):
    event = make_event()
    (invitation, _), = invite(event, [interpreter()])
    set_answer(invitation, Answer.YES, available_from=event.starts_at,
               available_until=event.ends_at)
    assert invitation.whole_event and invitation.answered_at is not None
    set_answer(invitation, Answer.NO, available_from=event.starts_at + timedelta(hours=1))
    assert invitation.answer is Answer.NO and invitation.whole_event


def test_windows_are_the_whole_event_until_someone_comes_for_part_of_it(app):
    event = make_event()  # three hours
    available(event, interpreter("A"))
    assert [w.name for w in windows(event)] == [WHOLE_EVENT]
    available(event, interpreter("B"), available_until=event.starts_at + timedelta(hours=1))
    halves = windows(event)
    assert [w.name for w in halves] == ["first", "second"]
    assert halves[0].ends_at == halves[1].starts_at == event.starts_at + timedelta(minutes=90)
    people = {info.id: info.windows for info in event_problem(event).interpreters}
    # One hour of a 90-minute half is more than half of it: placed in the first half only.
    assert sorted(people.values(), key=str) == [None, frozenset({"first"})]


def test_a_short_visit_places_the_interpreter_nowhere(app):
    event = make_event()
    available(event, interpreter("Brief"), available_from=event.starts_at + timedelta(minutes=80),
              available_until=event.starts_at + timedelta(minutes=110))
    (info,) = event_problem(event).interpreters
    assert info.windows == frozenset()


def test_demand_comes_from_confirmed_stands_and_registered_candidates(app):
    event = small_event()
    need = event_demand(event)
    # Stand 3's representatives speak Ukrainian: no need there.
    assert set(need.by_stand) == {1, 2, 4}
    assert need.get(1, "uk") == pytest.approx(4.0)  # four care candidates at a care stand
    assert need.candidates_by_language == {"uk": pytest.approx(4.0)}


def test_cancelled_registrations_and_unplaced_stands_bring_no_need(app):
    from meetgreet.candidates.models import Registration
    from meetgreet.candidates.services import cancel as cancel_registration

    event = make_event()
    stands(event, (1, "care", ["nl"]))
    candidates(event, 1)
    registration = db.session.query(Registration).one()
    cancel_registration(registration)
    assert event_demand(event).total == 0


def test_stands_lie_on_the_venue_grid(app):
    event = small_event()
    event.venue.layout_columns = 2
    positions = {stand.number: (stand.row, stand.col) for stand in event_problem(event).stands}
    assert positions == {1: (0, 0), 2: (0, 1), 3: (1, 0), 4: (1, 1)}


def test_the_floor_plans_lay_stands_out_as_the_solver_places_them(app):
    event = make_event(stand_count=10)
    assert floor_rows(event) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10]]
    for row_index, row in enumerate(floor_rows(event)):
        assert [grid_position(event, number) for number in row] == [
            (row_index, column) for column in range(len(row))]
    event.venue.layout_columns = 0  # a venue without a grid: one stand per row
    assert floor_rows(event) == [[number] for number in range(1, 11)]


def test_solving_keeps_the_plan_and_covers_the_need(app):
    event = small_event()
    available(event, interpreter(table_count=3))
    plan = solve_event(event)
    assert plan.optimal
    (post,) = saved_posts(event)
    # Stands 1, 2 and 4 need Ukrainian; 1, 2 are neighbours, 4 is three columns away.
    assert post.language == "uk" and set(post.stands) <= {1, 2, 3, 4}
    measured = coverage(event, saved_posts(event), event_demand(event), [WHOLE_EVENT])
    assert measured.covered == pytest.approx(plan.coverage) == pytest.approx(8.0)
    assert [(stand, language) for _w, stand, language, _n in measured.gaps] == [(4, "uk")]


def test_re_solving_keeps_a_pin(app):
    event = small_event()
    person = interpreter(table_count=1)
    available(event, person)
    solve_event(event)
    assert saved_posts(event)[0].home_stand in (1, 2, 4)
    add_rule(event, person, RuleKind.PIN, stand_number=4)
    solve_event(event)
    (post,) = saved_posts(event)
    assert post.home_stand == 4 and post.stands == [4]
    # A second pin for the same window replaces the first: one place at a time.
    add_rule(event, person, RuleKind.PIN, stand_number=1)
    solve_event(event)
    assert saved_posts(event)[0].stands == [1]


def test_an_excluded_interpreter_gets_no_post(app):
    event = small_event()
    person = interpreter()
    available(event, person)
    add_rule(event, person, RuleKind.EXCLUDE)
    plan = solve_event(event)
    assert saved_posts(event) == [] and plan.coverage == 0


def test_no_interpreters_or_no_demand_give_an_empty_plan_not_an_error(app):
    event = make_event()
    plan = solve_event(event)
    assert plan.posts == () and {i.code for i in plan.issues} >= {"no_interpreters", "no_demand"}


def test_interpreters_in_halves_get_posts_only_when_they_are_there(app):
    event = small_event()
    early = interpreter("Early")
    available(event, early, available_until=event.starts_at + timedelta(minutes=90))
    solve_event(event)
    assert {post.window for post in saved_posts(event)} == {"first"}


def test_in_halves_each_half_holds_half_the_need(app):
    event = small_event()
    person = interpreter(table_count=3)
    available(event, person)
    available(event, interpreter("Early"), available_until=event.starts_at + timedelta(hours=1))
    plan = solve_event(event)
    assert [w.name for w in windows(event)] == ["first", "second"]
    assert plan.total_demand == pytest.approx(event_demand(event).total)  # 12, not 24
    measured = coverage(event, saved_posts(event), event_demand(event), ["first", "second"])
    assert measured.total == pytest.approx(12.0)
    assert measured.covered == pytest.approx(plan.coverage)
