"""Every public form, attacked with whatever hypothesis makes up: never a 500, and a refused
submission leaves the database exactly as it was."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from meetgreet.candidates.services import register
from meetgreet.employers.services import reserve_stand
from meetgreet.extensions import db, limiter

from .candidates.builders import details
from .conftest import Client
from .employers.helpers import reservation
from .support.factories import make_event

FIELD = re.compile(r'<(?:input|select|textarea)[^>]*\bname="([^"]+)"')

# Text a person might paste, and text an attacker would send.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=100, max_size=400),
    st.sampled_from([
        "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")", "' OR 1=1 --", "\u202e\u0644",
        "Олена", "محمد", "ሰላም", "👩‍🔧", "   ", "0", "-1", "99999999999999999999", "06 12345678",
        "olena@example.org", "not@an@address", "12345678", "uk:native", "A2", "care",
    ]),
)


def row_count() -> int:
    return sum(db.session.scalar(select(func.count()).select_from(table))
               for table in db.metadata.sorted_tables)


@pytest.fixture
def public_forms(app):
    event = make_event()
    stand = reserve_stand(event.id, reservation(1))
    with app.test_request_context():
        ticket = register(event, details(), locale="uk", share_consent=True)
    return [
        f"/events/{event.id}/register", f"/events/{event.id}/stand",
        f"/events/{event.id}/stand/returning", "/stands/link", "/login", "/password/forgot",
        f"/my/{ticket.link_token}/change", f"/stands/manage/{stand.token}",
    ]


@pytest.fixture
def no_rate_limits():
    # Hundreds of posts a minute are the point here; the limits have their own tests.
    limiter.enabled = False
    yield
    limiter.enabled = True


FORMS = ("register", "stand", "returning", "link", "login", "forgot", "change", "manage")


@pytest.mark.parametrize("form", FORMS)
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_public_forms_survive_any_input(app, public_forms, no_rate_limits, form, data):
    client = Client(app, app.response_class, use_cookies=True)
    url = public_forms[FORMS.index(form)]
    names = sorted(set(FIELD.findall(client.get(url).get_data(as_text=True))) - {"csrf_token"})
    assert names, f"no form fields found on {url}"
    values = {name: data.draw(st.one_of(nasty_text, st.lists(nasty_text, max_size=2)),
                              label=name) for name in names}
    before = row_count()
    response = client.post(url, data={**values, "csrf_token": client.csrf_token(url)})
    assert response.status_code < 500, values
    if response.status_code != 302:
        assert row_count() == before, "a refused post stored something"
