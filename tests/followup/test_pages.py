"""Conversations at the stand and follow-up pages, through the client."""

import re
from datetime import timedelta

from sqlalchemy import select

from meetgreet.accounts.models import Role
from meetgreet.extensions import db
from meetgreet.followup import services
from meetgreet.followup.models import Conversation, FollowUp, Outcome, RecordedBy

from ..support.people import conversations_at, held_event, live_event, person, stand


def stand_page(token: str) -> str:
    return f"/stands/manage/{token}/conversations"


def test_the_representative_records_a_conversation_with_the_badge_code(client):
    event = live_event()
    booking, token = stand(event)
    olena = person(event, "Олена", "Коваленко", email="olena@example.org", phone="+31611112222")
    code = olena.ticket_code
    response = client.submit(stand_page(token), {
        "code": f"{code[:5]} {code[5:]}".lower(), "interest": "interested",
        "next_step": "internship", "note": "<script>alert(1)</script> wil in de zorg"})
    assert response.status_code == 302
    page = client.get(stand_page(token), headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "Олена" in page.split("<h2>")[-1] and "Internship" in page.split("<h2>")[-1]
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    # Only the first name: no last name, e-mail or phone reaches the employer.
    assert "Коваленко" not in page and "olena@example.org" not in page and "1111" not in page
    conversation = db.session.scalar(select(Conversation))
    assert conversation.recorded_by is RecordedBy.EMPLOYER and conversation.booking == booking


def test_the_stand_page_costs_the_same_queries_for_2_or_12_conversations(client):
    from meetgreet.followup.models import Interest, NextStep

    from ..support.queries import counting_queries

    event = live_event()
    booking, token = stand(event)

    def talked(n):
        for i in range(n):
            registration = person(event, f"Persoon{i}", languages=("ar", "en"))
            services.record_conversation(booking, registration, interest=Interest.INTERESTED,
                                         next_step=NextStep.INTERVIEW,
                                         recorded_by=RecordedBy.EMPLOYER)

    talked(2)
    with counting_queries() as few:
        assert client.get(stand_page(token)).status_code == 200
    talked(10)
    with counting_queries() as many:
        page = client.get(stand_page(token)).get_data(as_text=True)
    assert page.count("<bdi>Persoon") == 12
    assert len(many) == len(few), "one query per person is back (N+1)"


def test_the_pick_list_shows_first_names_and_languages_of_those_who_share(client):
    event = live_event()
    _, token = stand(event)
    person(event, "Olena", "Kovalenko", languages=("uk",))
    person(event, "Ahmad", "Haddad", consent=False)
    person(event, "Mariam", "Yusuf", checked_in=False)
    page = client.get(stand_page(token), headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert "Olena (Ukrainian)" in options
    assert not any("Ahmad" in o or "Mariam" in o or "Kovalenko" in o for o in options)


def test_choosing_from_the_list_records_too(client):
    event = live_event()
    booking, token = stand(event)
    olena = person(event)
    response = client.submit(stand_page(token), {"candidate": olena.ref, "interest": "maybe",
                                                 "next_step": "none"})
    assert response.status_code == 302
    assert conversations_at(booking)[0].registration == olena


def test_a_badge_of_another_event_or_cancelled_gives_a_clear_message(client):
    from meetgreet.candidates.models import RegistrationStatus

    event = live_event()
    _, token = stand(event)
    elsewhere = person(live_event())
    cancelled = person(event, "Ahmad", status=RegistrationStatus.CANCELLED)
    for registration, words in ((elsewhere, "another Meet"), (cancelled, "cancelled")):
        response = client.submit(stand_page(token), {
            "code": registration.ticket_code, "interest": "maybe", "next_step": "none"},
            headers={"Accept-Language": "en"})
        assert response.status_code == 200
        assert words in response.get_data(as_text=True)
    assert db.session.scalar(select(Conversation)) is None


def scan_badge(client, token: str, code, *, csrf: bool = True):
    """What the stand page's camera script sends for a decoded badge."""
    headers = {"Accept-Language": "en", "Accept": "application/json"}
    if csrf:
        headers["X-CSRFToken"] = client.csrf_token(stand_page(token))
    return client.post(f"{stand_page(token)}/badge", json={"code": code}, headers=headers)


def test_a_scanned_badge_names_the_person_or_says_why_not(client):
    from meetgreet.candidates.models import RegistrationStatus

    event = live_event()
    _, token = stand(event)
    olena = person(event, "Олена", "Коваленко", languages=("uk",), email="olena@example.org")
    late = person(event, "Mariam", checked_in=False)
    elsewhere = person(live_event())
    cancelled = person(event, "Ahmad", status=RegistrationStatus.CANCELLED)
    private = person(event, "Samir", consent=False)

    answer = scan_badge(client, token, olena.ticket_code).get_json()
    assert answer == {"status": "ok", "ref": olena.ref,
                      "message": "Badge scanned: Олена (Ukrainian)"}
    assert "Коваленко" not in str(answer) and "olena@example.org" not in str(answer)
    # Not checked in yet (so not in the pick list), but the badge is good: the code will do.
    assert scan_badge(client, token, late.ticket_code.lower()).get_json()["status"] == "ok"
    for code, status, words in (
            (elsewhere.ticket_code, "other_event", "another Meet & Greet"),
            (cancelled.ticket_code, "cancelled", "cancelled"),
            (private.ticket_code, "no_consent", "not agreed"),
            ("NOT A CODE", "unknown", "not known"),
            (["a", "list"], "unknown", "not known")):
        answer = scan_badge(client, token, code).get_json()
        assert answer["status"] == status and words in answer["message"], code
    assert db.session.scalar(select(Conversation)) is None


def test_a_badge_scan_needs_the_pages_csrf_token_an_open_stand_and_a_good_link(client):
    from ..support.factories import make_event

    event = live_event()
    _, token = stand(event)
    olena = person(event)
    expired = scan_badge(client, token, olena.ticket_code, csrf=False)
    # An expired page: the script shows why, instead of "no connection".
    assert expired.status_code == 400 and expired.get_json()["message"] == "The form has expired"
    assert scan_badge(client, "not-a-token", olena.ticket_code).status_code == 404
    future = make_event(days_ahead=10)
    _, future_token = stand(future)
    answer = scan_badge(client, future_token, person(future).ticket_code).get_json()
    assert answer["status"] == "closed"


def test_nothing_chosen_and_no_interest_are_field_errors(client):
    event = live_event()
    _, token = stand(event)
    response = client.submit(stand_page(token), {"next_step": "none"},
                             headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter the badge code or choose someone" in page and "Please choose one." in page


def test_an_employer_sees_only_their_own_conversations(client):
    event = live_event()
    mine, my_token = stand(event, 1)
    theirs, _ = stand(event, 2)
    services.record_conversation(theirs, person(event, "Ahmad"), interest="interested",
                                 next_step="interview", recorded_by=RecordedBy.EMPLOYER)
    page = client.get(stand_page(my_token)).get_data(as_text=True)
    assert "Ahmad" in page.split("<h2>", 2)[1]  # in the pick list: he is here and shares
    assert "Ahmad" not in page.split("<h2>")[-1]  # but not among this stand's conversations


def test_before_the_event_the_page_says_when_recording_opens(client):
    from ..support.factories import make_event

    event = make_event(days_ahead=10)
    _, token = stand(event)
    olena = person(event)
    page = client.get(stand_page(token), headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "from shortly before the event" in page
    response = client.submit(stand_page(token), {"code": olena.ticket_code,
                                                 "interest": "maybe", "next_step": "none"})
    assert response.status_code == 302
    assert db.session.scalar(select(Conversation)) is None


def test_a_wrong_link_is_refused(client):
    assert client.get(stand_page("not-a-token")).status_code == 404


def test_staff_record_on_the_employers_behalf_and_plan_a_follow_up(client, login, make_staff):
    coach = login(Role.COACH)
    event = live_event()
    booking, _ = stand(event)
    yonas = person(event, "Yonas", "Tesfaye", consent=False, checked_in=False)
    url = f"/staff/events/{event.id}/conversations"
    response = client.submit(url, {"stand": booking.id, "recorded_by": "interpreter",
                                   "candidate": yonas.ref, "interest": "interested",
                                   "next_step": "trial_day"})
    assert response.status_code == 302
    conversation = db.session.scalar(select(Conversation))
    assert conversation.recorded_by is RecordedBy.INTERPRETER
    assert conversation.recorded_by_user_id == coach.id
    plan = f"/staff/conversations/{conversation.ref}/follow-up"
    yesterday = (services.local_today() - timedelta(days=1)).isoformat()
    response = client.submit(plan, {"owner": coach.id, "due_on": yesterday, "action": "Bellen"},
                             headers={"Accept-Language": "en"})
    assert "cannot be in the past" in response.get_data(as_text=True)
    assert db.session.scalar(select(FollowUp)) is None
    tomorrow = (services.local_today() + timedelta(days=1)).isoformat()
    response = client.submit(plan, {"owner": coach.id, "due_on": tomorrow, "action": "Bellen"})
    assert response.status_code == 302
    item = db.session.scalar(select(FollowUp))
    assert item.owner_id == coach.id and item.conversation_id == conversation.id
    page = client.get("/staff/follow-ups").get_data(as_text=True)
    assert "Yonas" in page and "Bellen" in page


def test_a_coach_closes_a_follow_up_with_a_result(client, login):
    coach = login(Role.COACH)
    candidate = person(held_event()).candidate
    item = services.create_follow_up(candidate, coach, services.local_today())
    url = f"/staff/follow-ups/{item.ref}"
    assert client.get(url).status_code == 200
    response = client.submit(url, {"done": "1", "result": "Sollicitatie gepland"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.status.value == "done" and item.result == "Sollicitatie gepland"
    assert "Sollicitatie" not in client.get("/staff/follow-ups").get_data(as_text=True)
    # The list shows open items by their ref (checkbox and link): a done one is gone.
    assert item.ref not in client.get("/staff/follow-ups?show=all").get_data(as_text=True)


def test_a_coach_records_an_internship_on_the_timeline(client, login):
    login(Role.COACH)
    registration = person(held_event())
    url = f"/staff/candidates/{registration.ref}/timeline"
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Followed up until" in page
    response = client.submit(url, {"kind": "contract", "happened_on":
                                   services.local_today().isoformat()},
                             headers={"Accept-Language": "en"})
    assert "hours per week" in response.get_data(as_text=True)
    assert db.session.scalar(select(Outcome)) is None
    response = client.submit(url, {"kind": "internship_started",
                                   "happened_on": services.local_today().isoformat(),
                                   "note": "Zorgcentrum"})
    assert response.status_code == 302
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Internship started" in page and "Zorgcentrum" in page


def test_a_closed_record_says_so_and_takes_no_new_outcomes(client, login):
    login(Role.COACH)
    registration = person(held_event(days_ago=600))
    url = f"/staff/candidates/{registration.ref}/timeline"
    page = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Follow-up ended on" in page and "Record an outcome" not in page
    response = client.submit(url, {"kind": "interview_held",
                                   "happened_on": services.local_today().isoformat()},
                             headers={"Accept-Language": "en"}, form_url=url)
    assert response.status_code == 200
    assert "Follow-up for this person has ended" in response.get_data(as_text=True)
    assert db.session.scalar(select(Outcome)) is None


def test_the_reminder_command_mails_owners_of_overdue_follow_ups(app, runner, mailbox,
                                                                  make_staff):
    coach = make_staff(Role.COACH, email="coach@example.org", name="Carla Coach")
    candidate = person(held_event(), "Olena").candidate
    item = services.create_follow_up(candidate, coach, services.local_today(), action="Bellen")
    item.due_on = services.local_today() - timedelta(days=2)
    db.session.commit()
    result = runner.invoke(args=["followup", "remind"])
    assert "1 reminder" in result.output
    assert len(mailbox.messages) == 1
    recipients, message = mailbox.messages[0]
    assert recipients == ["coach@example.org"]
    assert "Olena" in message.get_body().get_content()
    assert "/staff/follow-ups" in message.get_body().get_content()
    result = runner.invoke(args=["followup", "remind"])
    assert "0 reminder" in result.output and len(mailbox.messages) == 1


def test_a_talk_staff_recorded_without_consent_stays_with_the_wsp(client):
    from meetgreet.reports import lists

    event = live_event()
    booking, token = stand(event)
    services.record_conversation(booking, person(event, "Yonas", consent=False),
                                 interest="interested", next_step="interview",
                                 recorded_by=RecordedBy.STAFF)
    assert "Yonas" not in client.get(stand_page(token)).get_data(as_text=True)
    assert "Yonas" not in client.get(f"{stand_page(token)}.csv").get_data(as_text=True)
    with client.application.test_request_context():
        assert lists.for_employer(booking).rows == []
        assert [r[0] for r in lists.follow_up(event).rows] == ["Yonas Kovalenko"]


def test_a_planner_gives_several_follow_ups_one_owner_in_one_go(client, login, make_staff):
    from meetgreet.audit.models import AuditAction, AuditEntry

    planner = login(Role.PLANNER)
    carla = make_staff(Role.COACH, email="carla@example.org", name="Carla Coach")
    door = make_staff(Role.DOOR, email="door@example.org", name="Door Volunteer")
    event = held_event()
    today = services.local_today()
    items = [services.create_follow_up(person(event, name).candidate, planner, today,
                                       action=f"Bellen {name}")
             for name in ("Olena", "Ahmad", "Mariam")]
    first, second, third = (item.ref for item in items)
    url = "/staff/follow-ups?show=all"
    page = client.get(url).get_data(as_text=True)
    assert all(f'value="{item.ref}"' in page for item in items)

    def owners() -> list[int]:
        db.session.expire_all()
        return [db.session.get(FollowUp, item.id).owner_id for item in items]

    # Nothing ticked, no owner, an owner who is not staff that owns follow-ups, a ref that
    # is not (or no longer) an open follow-up: field errors, and nothing changes.
    for data, field, words in (
            ({"owner": carla.id}, "follow_ups", "tick at least one"),
            ({"follow_ups": [first]}, "owner", "Please choose one."),
            ({"follow_ups": [first], "owner": "nobody"}, "owner", "Please choose one."),
            ({"follow_ups": [first], "owner": 987654}, "owner", "choose an active staff"),
            ({"follow_ups": [first], "owner": door.id}, "owner", "choose an active staff"),
            ({"follow_ups": [first, "XXXXXXXXXX"], "owner": carla.id}, "follow_ups",
             "done or gone")):
        response = client.submit(url, data, headers={"Accept-Language": "en"})
        page = response.get_data(as_text=True)
        assert response.status_code == 200, data
        assert words in page and f'id="{field}-error-0"' in page, data
        assert owners() == [planner.id] * 3, data
    page = client.submit(url, {"owner": ""}, headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "tick at least one" in page and "Please choose one." in page  # both at once

    response = client.submit(url, {"follow_ups": [first, third], "owner": carla.id},
                             headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.location.endswith("?show=all")
    assert owners() == [carla.id, planner.id, carla.id]
    assert "2 follow-ups now belong to Carla Coach" in client.get(
        url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    trail = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == AuditAction.ASSIGNED_FOLLOW_UP)).all()
    assert sorted(entry.subject_id for entry in trail) == [items[0].id, items[2].id]
    assert {(entry.staff_user_id, entry.subject_type, entry.detail) for entry in trail} == {
        (planner.id, "followup", f"owner {carla.id}")}
    # The planner's own list no longer holds the two; Carla's does.
    mine = client.get("/staff/follow-ups").get_data(as_text=True)
    assert second in mine and first not in mine and third not in mine
