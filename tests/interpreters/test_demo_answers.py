"""The demo event comes with interpreters who answered, so staff can make a plan at once."""

from sqlalchemy import func, select

from meetgreet.demo.services import load_demo
from meetgreet.extensions import db
from meetgreet.interpreters.models import Answer, InterpreterInvitation
from meetgreet.interpreters.services import saved_posts, solve_event, windows


def test_demo_interpreters_answered_for_the_next_event_once(app):
    load_demo()
    load_demo()  # idempotent
    rows = list(db.session.scalars(select(InterpreterInvitation)))
    assert len(rows) == 12 and len({row.event_id for row in rows}) == 1
    answers = [row.answer for row in rows]
    assert answers.count(Answer.NO) == 1 and answers.count(Answer.YES) == 11
    partial = [row for row in rows if row.answer is Answer.YES and not row.whole_event]
    assert len(partial) == 2
    event = rows[0].event
    assert [w.name for w in windows(event)] == ["first", "second"]
    plan = solve_event(event, time_limit=3)
    assert plan.coverage > 0 and saved_posts(event)
    assert db.session.scalar(select(func.count()).select_from(InterpreterInvitation)) == 12
