"""The retention rules, the nightly command, and what an anonymised person still counts for."""

import re
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from meetgreet.audit.models import AuditAction, AuditEntry
from meetgreet.candidates.models import Candidate, Registration
from meetgreet.checkin.models import CheckInAttempt, ScanResult
from meetgreet.core.tokens import hash_token
from meetgreet.core.types import utcnow
from meetgreet.extensions import db
from meetgreet.followup import services as followup
from meetgreet.followup.models import (
    Conversation,
    FollowUp,
    FollowUpStatus,
    Interest,
    NextStep,
    Outcome,
    OutcomeKind,
    RecordedBy,
)
from meetgreet.interpreters.models import Interpreter, InterpreterInvitation
from meetgreet.mail.models import OutboxMessage
from meetgreet.privacy import retention
from meetgreet.privacy.retention import Policy
from meetgreet.reports import dashboard

from ..support.factories import make_event
from ..support.people import Role, held_event, person, stand
from ..support.queries import counting_queries

POLICY = Policy()  # the defaults: 90 days, 24 months for employers and the audit trail


def run(**kwargs) -> retention.Report:
    return retention.run(policy=POLICY, **kwargs)


def anonymised(registration: Registration) -> bool:
    db.session.refresh(registration.candidate)
    return registration.candidate.anonymised_at is not None


def test_a_candidate_is_anonymised_90_days_after_their_last_event(app):
    old = person(held_event(days_ago=92), "Oud", email="oud@example.org", phone="+31612345678",
                 experience="Kok")
    recent = person(held_event(days_ago=88), "Recent")
    coming_back = person(held_event(days_ago=200), "Terug")
    person(make_event(days_ahead=10), candidate=coming_back.candidate)
    report = run()
    assert report.counts["candidates_after_event"] == 1
    assert anonymised(old)
    assert not anonymised(recent) and not anonymised(coming_back)
    candidate = old.candidate
    assert (candidate.first_name, candidate.last_name, candidate.latin_name) == ("", "", "")
    assert candidate.email is None and candidate.phone is None and candidate.experience == ""
    # What the counts need stays.
    assert [lang.code for lang in candidate.languages] == ["uk"]
    assert [s.code for s in candidate.sectors] == ["care"] and candidate.dutch_level == "A1"
    assert old.checked_in_at is not None


def test_follow_up_keeps_a_candidate_until_18_months_after_their_first_event(app, make_staff):
    coach = make_staff(Role.COACH)
    followed = person(held_event(days_ago=100), "Gevolgd")
    followup.create_follow_up(followed.candidate, coach, followup.local_today(),
                              action="Bel Olena over de vacature")
    assert run().counts["candidates_after_event"] == 0
    assert not anonymised(followed)
    # A day before follow-up ends it is still kept; once it has ended, it goes.
    closes = followup.follow_up_closes_on(followed.candidate)
    day_before = utcnow() + (closes - followup.local_today() - timedelta(days=1))
    assert run(now=day_before).total == 0
    report = run(now=utcnow() + relativedelta(months=18))
    assert report.counts["candidates_after_follow_up"] == 1
    assert anonymised(followed)
    item = db.session.scalar(select(FollowUp))
    assert item.action == "" and item.status is FollowUpStatus.DONE


def test_someone_never_registered_goes_90_days_after_being_added(app):
    def added(days_ago: int) -> Candidate:
        candidate = Candidate(first_name="Nooit", last_name="Aangemeld",
                              created_at=utcnow() - timedelta(days=days_ago))
        db.session.add(candidate)
        return candidate

    old = added(92)
    for days_ago in (0, 1, 2, 30, 88):
        added(days_ago)
    db.session.commit()
    with counting_queries() as queries:
        due = retention.due_candidates(followup.local_today(), POLICY)
    assert due == [(old, "after_event")]
    # The recently added are left out by the database, not looked at one by one.
    assert len(queries) == 2  # the candidates, and the old one's follow-up check


def _old_world():
    """One of each kind of data past its retention."""
    long_ago = utcnow() - relativedelta(months=30)
    old_event = held_event(days_ago=800)
    registration = person(old_event, "Oud")
    booking, _token = stand(old_event, name="Gesloten B.V.")
    booking.organisation.created_at = long_ago
    booking.organisation.prefill_token_hash = hash_token("prefill")
    active_booking, _ = stand(old_event, 2, name="Actief B.V.")
    active_booking.organisation.created_at = long_ago
    recent, _ = stand(held_event(days_ago=30), 3)
    recent.organisation = active_booking.organisation
    interpreter = Interpreter(name="Olena Tolk", email="tolk@example.org")
    db.session.add_all([
        InterpreterInvitation(event=old_event, interpreter=interpreter,
                              token_hash=hash_token("tolk")),
        AuditEntry(action=AuditAction.VIEWED_CANDIDATE, at=long_ago),
        AuditEntry(action=AuditAction.VIEWED_CANDIDATE),
        CheckInAttempt(event_id=old_event.id, result=ScanResult.OK,
                       registration_id=registration.id, created_at=long_ago),
        OutboxMessage(recipient="x@example.org", subject="Oud", raw=b"x", created_at=long_ago),
        OutboxMessage(recipient="y@example.org", subject="Nieuw", raw=b"y"),
    ])
    db.session.commit()
    return registration, booking, active_booking


def _snapshot() -> tuple:
    db.session.expire_all()
    return tuple(
        tuple(db.session.execute(select(*columns).order_by(columns[0])).all()) for columns in (
            (Candidate.id, Candidate.first_name, Candidate.anonymised_at),
            (Registration.id, Registration.ticket_code, Registration.link_token_hash),
            (InterpreterInvitation.id, InterpreterInvitation.token_hash),
            (AuditEntry.id,), (CheckInAttempt.id,), (OutboxMessage.id,),
        ))


def test_a_dry_run_changes_nothing_and_a_second_run_does_nothing(app):
    registration, booking, active_booking = _old_world()
    before = _snapshot()
    dry = run(dry_run=True)
    assert dry.dry_run and _snapshot() == before
    assert dry.counts == {
        "candidates_after_event": 1, "candidates_after_follow_up": 0, "employer_bookings": 1,
        "organisations": 1, "interpreter_links": 1, "audit_entries": 1,
        "check_in_attempts": 1, "outbox_messages": 1,
    }
    assert run().counts == dry.counts
    assert run().total == 0
    db.session.expire_all()
    assert (booking.contact_name, booking.contact_email, booking.contact_phone) == ("", "", "")
    assert booking.organisation.contact_email == ""
    assert booking.organisation.prefill_token_hash is None
    assert booking.organisation.name == "Gesloten B.V."  # an organisation is not a person
    # An organisation with an event in the last 24 months keeps its contacts, old ones too.
    assert active_booking.contact_name == "Contact 2"
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
    assert db.session.scalar(select(InterpreterInvitation.token_hash)) != hash_token("tolk")


def test_the_command_reports_per_kind_and_is_safe_to_run_twice(app, runner):
    registration = person(held_event(days_ago=120), "Oud")
    dry = runner.invoke(args=["privacy", "retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing changed." in dry.output
    assert re.search(r"^\s+1  candidates anonymised \(last event", dry.output, re.M)
    assert not anonymised(registration)
    applied = runner.invoke(args=["privacy", "retention"])
    assert re.search(r"^\s+1  in total", applied.output, re.M), applied.output
    assert anonymised(registration)
    again = runner.invoke(args=["privacy", "retention"])
    assert re.search(r"^\s+0  in total", again.output, re.M), again.output


def test_anonymised_events_count_the_same_on_the_dashboard(app, make_staff):
    coach = make_staff(Role.COACH)
    event = held_event(days_ago=100)
    booking, _ = stand(event, name="Zorggroep")
    came = [person(event, f"P{n}", languages=("ar",), sectors=("care",),
                   email=f"p{n}@example.org") for n in range(3)]
    person(event, "Weg", checked_in=False)
    person(event, "Binnen", walk_in=True, languages=("uk",), sectors=())
    for registration in came[:2]:
        followup.record_conversation(booking, registration, interest=Interest.INTERESTED,
                                     next_step=NextStep.INTERVIEW, recorded_by=RecordedBy.STAFF,
                                     note="Spreekt goed Engels, belt maandag")
    today = followup.local_today()
    followup.create_follow_up(came[0].candidate, coach, today, action="Afspraak maken")
    followup.record_outcome(came[0].candidate, OutcomeKind.CONTRACT, today - timedelta(days=5),
                            user=coach, contract_hours=32, contract_type="temporary",
                            note="Via Olena's buurvrouw")
    tokens = {r.id: r.link_token_hash for r in came}
    codes = {r.ticket_code for r in came}
    before = dashboard.figures([event])

    report = run(now=utcnow() + relativedelta(months=19))
    assert report.counts["candidates_after_event"] + report.counts[
        "candidates_after_follow_up"] == 5

    db.session.expire_all()
    assert dashboard.figures([event]) == before
    assert db.session.scalar(select(func.count(Candidate.id)).where(
        Candidate.anonymised_at.is_(None))) == 0
    for candidate in db.session.scalars(select(Candidate)):
        assert not any((candidate.first_name, candidate.last_name, candidate.email,
                        candidate.phone, candidate.experience))
    assert {c.note for c in db.session.scalars(select(Conversation))} == {""}
    assert {o.note for o in db.session.scalars(select(Outcome))} == {""}
    assert {f.action for f in db.session.scalars(select(FollowUp))} == {""}
    # The personal links and the tickets no longer work.
    for registration in came:
        assert registration.link_token_hash != tokens[registration.id]
    assert not codes & set(db.session.scalars(select(Registration.ticket_code)))
