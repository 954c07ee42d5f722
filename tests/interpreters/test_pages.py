"""The interpreter pages through the client: pool, invitations and answers, need, plan."""

import io
import re
from datetime import timedelta

import pypdf
from sqlalchemy import select

from meetgreet.extensions import db
from meetgreet.interpreters.models import (
    Answer,
    Interpreter,
    InterpreterInvitation,
    InterpreterRule,
)
from meetgreet.interpreters.services import invite, saved_posts, solve_event
from meetgreet.scheduling.services import AMSTERDAM

from ..support.factories import make_event
from ..support.queries import counting_queries, page_queries
from .builders import available, interpreter, small_event, stands

POOL_FORM = {"name": "Oksana Petrenko", "languages": ["uk", "ru"], "email": "Oksana@Example.org",
             "phone": "06-1234 5678", "agency": "", "table_count": "2", "notes": "",
             "active": "y"}


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def local(moment) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%H:%M")


# --- the pool -----------------------------------------------------------------------------


def test_staff_add_an_interpreter_and_see_them_in_the_pool(client, login):
    login("planner")
    response = client.submit("/staff/interpreters/new", POOL_FORM)
    assert response.status_code == 302
    person = db.session.scalar(select(Interpreter))
    assert person.email == "oksana@example.org" and person.phone == "+31612345678"
    assert person.language_codes == ["ru", "uk"] and person.table_count == 2
    page = client.get("/staff/interpreters").get_data(as_text=True)
    assert "Oksana Petrenko" in page and "Volunteer" in page
    # Staff URLs name the interpreter by a reference, not a database id.
    assert f"/staff/interpreters/{person.ref}" in page


def test_no_languages_or_zero_tables_are_field_errors_and_nothing_is_stored(client, login):
    login("planner")
    response = client.submit("/staff/interpreters/new",
                             {**POOL_FORM, "languages": [], "table_count": "0",
                              "email": "not-an-address"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Choose at least one language." in page
    assert "Enter a number from 1 to 9." in page
    assert "Enter a valid e-mail address" in page
    assert db.session.scalar(select(Interpreter)) is None


def test_staff_edit_an_interpreter(client, login):
    login("planner")
    person = interpreter(languages=("uk",))
    url = f"/staff/interpreters/{person.ref}"
    assert "Oksana Petrenko" in client.get(url).get_data(as_text=True)
    response = client.submit(url, {**POOL_FORM, "languages": ["ar"], "agency": "Taalbrug",
                                   "table_count": "3", "certified": "y"})
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.language_codes == ["ar"] and person.agency == "Taalbrug"
    assert person.certified and person.table_count == 3
    assert client.get("/staff/interpreters/NOSUCHREF00").status_code == 404


def test_coaches_and_door_volunteers_do_not_manage_interpreters(client, login):
    login("coach")
    assert client.get("/staff/interpreters").status_code == 403


# --- invitations and answers --------------------------------------------------------------


def test_staff_invite_and_the_mail_carries_a_working_yes_no_link(client, login, mailbox):
    login("planner")
    event = make_event()
    person = interpreter()
    without_mail = interpreter("Pavlo Marchenko", email="")
    response = client.submit(f"/staff/events/{event.id}/interpreters",
                             {"interpreters": [person.ref, without_mail.ref]})
    assert response.status_code == 302
    assert "Invited: 2, of whom 1 by e-mail" in client.get(
        f"/staff/events/{event.id}/interpreters").get_data(as_text=True)
    message = mailbox.only()
    assert message["To"].addresses[0].addr_spec == "oksana.petrenko@example.org"
    link = re.search(r"http\S+/interpreter/(\S+)", message.get_body(("plain",)).get_content())
    token = link.group(1)
    invitation = db.session.scalar(select(InterpreterInvitation).where(
        InterpreterInvitation.interpreter_id == person.id))
    assert token not in invitation.token_hash  # only the hash is kept

    client.post("/logout")
    page = client.get(f"/interpreter/{token}")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Oksana Petrenko" in page.get_data(as_text=True)
    response = client.submit(f"/interpreter/{token}", {"answer": "yes"})
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.answer is Answer.YES and invitation.whole_event


def test_an_interpreter_answers_with_a_time_window(client, app):
    event = make_event()
    (invitation, token), = invite(event, [interpreter()])
    start = event.starts_at + timedelta(hours=1)
    response = client.submit(f"/interpreter/{token}",
                             {"answer": "yes", "available_from": local(start)})
    assert response.status_code == 302
    db.session.refresh(invitation)
    assert invitation.available_from == start and invitation.available_until is None
    assert local(start) in client.get(f"/interpreter/{token}").get_data(as_text=True)


def test_availability_outside_the_event_is_a_field_error(client, app):
    event = make_event()
    (invitation, token), = invite(event, [interpreter()])
    early = event.starts_at - timedelta(hours=2)
    response = client.submit(f"/interpreter/{token}",
                             {"answer": "yes", "available_from": local(early)})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose times within the event" in page
    response = client.submit(f"/interpreter/{token}", {
        "answer": "yes", "available_from": local(event.starts_at + timedelta(hours=2)),
        "available_until": local(event.starts_at + timedelta(hours=1))})
    assert "The end must be later than the start." in response.get_data(as_text=True)
    db.session.refresh(invitation)
    assert invitation.answer is Answer.NONE


def test_a_wrong_link_says_so(client, app):
    response = client.get("/interpreter/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_an_interpreter_says_no(client, app):
    event = make_event()
    (invitation, token), = invite(event, [interpreter()])
    client.submit(f"/interpreter/{token}", {"answer": "no"})
    db.session.refresh(invitation)
    assert invitation.answer is Answer.NO and invitation.answered_at is not None


def test_staff_set_an_answer_by_hand_also_without_an_invitation(client, login):
    login("planner")
    event = make_event()
    person = interpreter()
    url = f"/staff/events/{event.id}/interpreters/{person.ref}/answer"
    until = event.starts_at + timedelta(hours=2)
    response = client.submit(url, {"answer": "yes", "available_until": local(until)})
    assert response.status_code == 302
    invitation = db.session.scalar(select(InterpreterInvitation))
    assert invitation.answer is Answer.YES and invitation.available_until == until
    page = client.get(f"/staff/events/{event.id}/interpreters").get_data(as_text=True)
    assert 'class="badge answer-yes">Yes' in page
    page = client.get(url).get_data(as_text=True)
    assert checked_answers(page) == ["yes"]  # the form shows the saved answer
    client.submit(url, {"answer": "none"})
    db.session.refresh(invitation)
    assert invitation.answer is Answer.NONE and invitation.answered_at is None


def checked_answers(page: str) -> list[str]:
    """The values of the answer radios that are checked."""
    radios = re.findall(r'<input [^>]*name="answer"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', radio).group(1) for radio in radios
            if re.search(r"\bchecked\b", radio)]


# --- need and plan --------------------------------------------------------------------------


def test_the_need_page_shows_stands_languages_and_interpreters_available(client, login):
    login("planner")
    event = small_event()
    page = client.get(f"/staff/events/{event.id}/interpreters/demand").get_data(as_text=True)
    assert "Ukrainian" in page and "4.0" in page
    assert "call someone who speaks Ukrainian" in page  # nobody available yet
    available(event, interpreter())
    page = client.get(f"/staff/events/{event.id}/interpreters/demand").get_data(as_text=True)
    assert "call someone who speaks Ukrainian" not in page
    assert 'class="floorplan need-floor"' in page


def test_the_need_page_costs_the_same_queries_for_few_or_many_stands(client, login):
    login("planner")
    event = small_event()
    url = f"/staff/events/{event.id}/interpreters/demand"

    def count() -> int:
        return len(page_queries(client, url))

    few = count()
    stands(event, *[(number, "care", ["nl"]) for number in range(5, 13)], start=5)
    many = count()
    assert "Bedrijf 12 B.V." in client.get(url).get_data(as_text=True)
    assert many == few, "one query per stand is back (N+1)"


def test_the_plan_page_explains_what_is_missing(client, login):
    login("planner")
    event = make_event()
    page = client.get(f"/staff/events/{event.id}/interpreters/plan").get_data(as_text=True)
    assert "No interpreter is available yet" in page
    assert "There is no need for interpreters yet" in page


def test_solve_pin_and_solve_again(client, login):
    login("planner")
    event = small_event()
    person = interpreter(table_count=1)
    available(event, person)
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    response = client.submit(f"{plan_url}/solve", form_url=plan_url)
    assert response.status_code == 302
    page = client.get(plan_url).get_data(as_text=True)
    assert "Oksana Petrenko" in page and "covers 4.0 of 12.0" in page
    assert "Need left uncovered" in page
    client.submit(f"/staff/events/{event.id}/interpreters/rules",
                  {"interpreter": person.ref, "kind": "pin", "stand": "4"}, form_url=plan_url)
    assert "is pinned to stand 4" in client.get(plan_url).get_data(as_text=True)
    client.submit(f"{plan_url}/solve", form_url=plan_url)
    assert [post.home_stand for post in saved_posts(event)] == [4]
    rule = db.session.scalar(select(InterpreterRule))
    client.submit(f"/staff/events/{event.id}/interpreters/rules/{rule.id}/delete",
                  form_url=plan_url)
    assert db.session.scalar(select(InterpreterRule)) is None


def test_a_pin_without_a_stand_is_refused(client, login):
    login("planner")
    event = small_event()
    person = interpreter()
    available(event, person)
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    response = client.submit(f"/staff/events/{event.id}/interpreters/rules",
                             {"interpreter": person.ref, "kind": "pin", "stand": ""},
                             form_url=plan_url)
    assert response.status_code == 200
    assert db.session.scalar(select(InterpreterRule)) is None
    assert field_errors(response) == {"stand": "Choose the stand to pin Oksana Petrenko to."}


def field_errors(response) -> dict[str, str]:
    """Field id -> its first error message, from the rule form."""
    page = response.get_data(as_text=True)
    return dict(re.findall(r'<p class="error" id="([a-z_]+)-error-0">([^<]*)</p>', page))


def halves_event():
    """The small event in two halves: Oksana (uk, ru) all the time, Early only in the first."""
    event = small_event()
    person = interpreter(languages=("uk", "ru"), table_count=1)
    available(event, person)
    early = interpreter("Early Bird", languages=("ar",))
    available(event, early, available_until=event.starts_at + timedelta(hours=1))
    return event, person, early


def test_staff_pin_in_a_language_and_window_of_their_choice_and_it_survives_solving(
        client, login):
    login("planner")
    event, person, _early = halves_event()
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    page = client.get(plan_url).get_data(as_text=True)
    assert 'name="language"' in page and 'name="window"' in page
    response = client.submit(f"/staff/events/{event.id}/interpreters/rules",
                             {"interpreter": person.ref, "kind": "pin", "stand": "3",
                              "language": "ru", "window": "second"}, form_url=plan_url)
    assert response.status_code == 302
    rule = db.session.scalar(select(InterpreterRule))
    assert (rule.stand_number, rule.language, rule.window) == (3, "ru", "second")
    for _ in range(2):  # solving again keeps the pin
        client.submit(f"{plan_url}/solve", form_url=plan_url)
        posts = {post.window: post for post in saved_posts(event)
                 if post.interpreter_id == person.id}
        assert (posts["second"].home_stand, posts["second"].language) == (3, "ru")
        # In the first half the plan is free: Ukrainian at a stand with need.
        assert posts["first"].language == "uk"
    assert db.session.scalar(select(InterpreterRule)) is not None


def test_a_language_they_do_not_speak_or_a_window_they_miss_is_a_field_error(client, login):
    login("planner")
    event, person, early = halves_event()
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    rules_url = f"/staff/events/{event.id}/interpreters/rules"
    response = client.submit(rules_url, {"interpreter": early.ref, "kind": "pin", "stand": "2",
                                         "language": "uk", "window": "second"},
                             form_url=plan_url)
    assert response.status_code == 200
    assert field_errors(response) == {
        "language": "Early Bird does not interpret this language.",
        "window": "Early Bird is not available then."}
    # The error is tied to its field for screen readers (after the field's help text).
    assert 'aria-describedby="language-help language-error-0"' in response.get_data(
        as_text=True)
    # A language nobody offers, or a window the event does not have: not a valid choice.
    response = client.submit(rules_url, {"interpreter": person.ref, "kind": "pin", "stand": "2",
                                         "language": "xx", "window": "third"},
                             form_url=plan_url)
    assert set(field_errors(response)) == {"language", "window"}
    assert db.session.scalar(select(InterpreterRule)) is None


def test_the_plan_page_says_whether_the_plan_is_proven_optimal(client, login):
    from meetgreet.interpreters.models import InterpreterPlan, PlanStatus

    login("planner")
    event, _person, _early = halves_event()
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    client.submit(f"{plan_url}/solve", form_url=plan_url)
    made = db.session.scalar(select(InterpreterPlan))
    assert (made.status, made.gap) == (PlanStatus.OPTIMAL, 0.0)
    assert "Optimal: the most demand that can be covered." in client.get(plan_url).get_data(
        as_text=True)
    made.status, made.gap, made.seconds = PlanStatus.FEASIBLE, 0.00042, 12.0
    db.session.commit()
    page = client.get(plan_url).get_data(as_text=True)
    assert "Best found in 12.0 s; at most 0.04% below optimal." in page
    made.status, made.gap = PlanStatus.TIME_LIMIT, None
    db.session.commit()
    assert "the time ran out before it could be compared with the best possible" in client.get(
        plan_url).get_data(as_text=True)
    # Solving again replaces the record rather than adding one.
    client.submit(f"{plan_url}/solve", form_url=plan_url)
    assert [m.status for m in db.session.scalars(select(InterpreterPlan))] == [PlanStatus.OPTIMAL]


def test_the_printed_plan_and_the_signs(client, login):
    login("planner")
    event = small_event()
    available(event, interpreter(languages=("uk", "ru"), table_count=2))
    solve_event(event)
    response = client.get(f"/staff/events/{event.id}/interpreters/plan.pdf")
    assert response.mimetype == "application/pdf"
    text = text_of(response.data)
    assert "Oksana Petrenko" in text and "Per stand" in text and "Ukrainian" in text
    signs = text_of(client.get(f"/staff/events/{event.id}/interpreters/signs.pdf").data)
    assert "Tolk / Interpreter:" in signs and "Українська" in signs


def test_the_printed_plan_in_halves_names_each_half_with_its_times(client, login):
    login("planner")
    event, _person, _early = halves_event()
    solve_event(event)
    text = text_of(client.get(f"/staff/events/{event.id}/interpreters/plan.pdf").data)
    # With its times: the post's window is found among the event's windows.
    assert "First half (" in text and "Second half (" in text
    assert "Whole event" not in text


def test_the_printed_plan_costs_the_same_queries_for_few_or_many_posts(client, login):
    login("planner")
    event = small_event()
    url = f"/staff/events/{event.id}/interpreters/plan.pdf"

    def count() -> int:
        return len(page_queries(client, url))

    available(event, interpreter("Oksana Petrenko", table_count=1))
    solve_event(event)
    assert len(saved_posts(event)) == 1
    few = count()
    for name in ("Iryna Boyko", "Taras Melnyk"):
        available(event, interpreter(name, table_count=1))
    solve_event(event)
    assert len(saved_posts(event)) == 3
    many = count()
    assert many == few, "one query per post is back (N+1)"


def test_each_interpreter_gets_only_their_own_part_of_the_plan(client, login, mailbox):
    login("planner")
    event = small_event()
    available(event, interpreter("Oksana Petrenko", table_count=1))
    available(event, interpreter("Iryna Boyko", table_count=1))
    available(event, interpreter("Samira Haddad", languages=("ar",)))  # no need: no post
    solve_event(event)
    posts = {post.interpreter.name: post for post in saved_posts(event)}
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    mailbox.messages.clear()  # the candidates' tickets
    client.submit(f"{plan_url}/mail", form_url=plan_url)
    assert sorted(rcpt[0] for rcpt, _ in mailbox.messages) == [
        "iryna.boyko@example.org", "oksana.petrenko@example.org"]
    for recipients, message in mailbox.messages:
        body = message.get_body(("plain",)).get_content()
        mine = posts["Oksana Petrenko" if recipients[0].startswith("oksana") else "Iryna Boyko"]
        other = next(p for p in posts.values() if p is not mine)
        assert f"stand {mine.home_stand}" in body
        assert f"stand {other.home_stand}." not in body


def test_mailing_the_plan_costs_the_same_queries_for_few_or_many_interpreters(app, mailbox):
    from meetgreet.interpreters.notifications import send_plans

    event = small_event()

    def count() -> int:
        db.session.expire_all()
        with counting_queries() as statements:
            send_plans(event)
        return len(statements)

    available(event, interpreter("Oksana Petrenko", table_count=1))
    solve_event(event)
    few = count()
    for name in ("Iryna Boyko", "Taras Melnyk"):
        available(event, interpreter(name, table_count=1))
    solve_event(event)
    assert len(saved_posts(event)) == 3
    mailbox.messages.clear()
    many = count()
    assert len(mailbox.messages) == 3
    assert many == few, "one query per interpreter is back (N+1)"


def test_every_issue_code_has_a_translated_message(app):
    from meetgreet.interpreters.assignment import ISSUE_CODES, Issue
    from meetgreet.interpreters.issues import MESSAGES, issue_message

    with app.test_request_context(headers={"Accept-Language": "en"}):
        for code in ISSUE_CODES:
            text = issue_message(Issue(code, interpreter=7, stand=3, window="first",
                                       language="ti"), {7: "Senait Kifle"}, {})
            assert "%(" not in text and text.strip()
            if "%(interpreter)s" in MESSAGES[code]._args[0]:
                assert "Senait Kifle" in text, code
        text = issue_message(Issue("no_interpreter_for_language", language="ti"), {}, {})
        assert text == "Nobody available interprets Tigrinya: call someone who does."


def test_the_plan_page_names_an_interpreter_placed_nowhere(client, login):
    login("planner")
    event = small_event()
    available(event, interpreter("Brief Visit"),
              available_from=event.starts_at + timedelta(minutes=80),
              available_until=event.starts_at + timedelta(minutes=110))
    page = client.get(f"/staff/events/{event.id}/interpreters/plan").get_data(as_text=True)
    assert "Brief Visit said yes, but for too short a time" in page


def test_an_arabic_sign_is_joined_right_to_left(client, login):
    login("planner")
    event = make_event()
    from .builders import candidates, stands

    stands(event, (1, "care", ["nl"]))
    candidates(event, 2, language="ar")
    available(event, interpreter("Samira Haddad", languages=("ar",)))
    solve_event(event)
    signs = text_of(client.get(f"/staff/events/{event.id}/interpreters/signs.pdf").data)
    # Shaped Arabic is drawn in presentation forms (joined letters), not the bare letters.
    assert any("\ufe70" <= char <= "\ufeff" for char in signs)
    assert "Tolk / Interpreter:" in signs


def test_the_answer_link_of_a_cancelled_event_takes_no_answer(client, app):
    from meetgreet.scheduling.models import EventStatus

    event = make_event(status=EventStatus.CANCELLED)
    (invitation, token), = invite(event, [interpreter()])
    assert "cancelled" in client.get(f"/interpreter/{token}").get_data(as_text=True)
    client.submit(f"/interpreter/{token}", {"answer": "yes"}, form_url="/login")
    db.session.refresh(invitation)
    assert invitation.answer is Answer.NONE


def test_opening_the_staff_answer_page_invites_nobody(client, login):
    login("planner")
    event = make_event()
    person = interpreter()
    assert client.get(f"/staff/events/{event.id}/interpreters/{person.ref}/answer").status_code \
        == 200
    assert db.session.scalar(select(InterpreterInvitation)) is None


def test_keeping_an_interpreter_away_from_a_stand_moves_them(client, login):
    login("planner")
    event = small_event()
    person = interpreter(table_count=1)
    available(event, person)
    solve_event(event)
    first = saved_posts(event)[0].home_stand
    plan_url = f"/staff/events/{event.id}/interpreters/plan"
    client.submit(f"/staff/events/{event.id}/interpreters/rules",
                  {"interpreter": person.ref, "kind": "exclude", "stand": str(first)},
                  form_url=plan_url)
    client.submit(f"{plan_url}/solve", form_url=plan_url)
    (post,) = saved_posts(event)
    assert first not in post.stands
    assert "is kept away from stand" in client.get(plan_url).get_data(as_text=True)


def test_inviting_nobody_is_a_field_error(client, login, mailbox):
    login("planner")
    event = make_event()
    interpreter()
    response = client.submit(f"/staff/events/{event.id}/interpreters", {})
    assert "Choose at least one interpreter." in response.get_data(as_text=True)
    assert db.session.scalar(select(InterpreterInvitation)) is None and not mailbox.messages


def test_an_interpreter_taken_out_of_the_pool_is_neither_invited_nor_planned(client, login):
    from meetgreet.interpreters.services import InterpreterData, save_interpreter
    from meetgreet.interpreters.services import available as yes_answers

    login("planner")
    event = small_event()
    person = interpreter()
    available(event, person)
    save_interpreter(InterpreterData(name=person.name, languages=["uk"], active=False), person)
    assert yes_answers(event) == []
    page = client.get(f"/staff/events/{event.id}/interpreters").get_data(as_text=True)
    assert person.ref not in page


def test_the_plan_shows_who_stands_where_on_the_floor(client, login):
    login("planner")
    event = small_event()
    available(event, interpreter(table_count=2))
    solve_event(event)
    (post,) = saved_posts(event)
    page = client.get(f"/staff/events/{event.id}/interpreters/plan").get_data(as_text=True)
    floor = page[page.index('class="plan-floor"'):]
    home = floor[floor.index(f'<span class="stand-no">{post.home_stand}</span>'):]
    assert home.index("<strong>Oksana Petrenko</strong>") < home.index("</td>")


def test_the_plan_page_reads_answers_stands_and_rules_once(client, login):
    login("planner")
    event = small_event()
    available(event, interpreter("Oksana Petrenko", table_count=1))
    solve_event(event)
    statements = page_queries(client, f"/staff/events/{event.id}/interpreters/plan")

    def reads(fragment: str) -> int:
        return sum(fragment in statement for statement in statements)

    assert reads("FROM interpreter_rule") == 1
    assert reads("FROM interpreter_invitation") == 1
    assert reads("stand_booking.stand_number IS NOT NULL") == 1  # the placed stands
