"""The door page works without JavaScript too: scan form, search, check in from a search
result, undo, counters."""

import re

from meetgreet.accounts.models import Role
from meetgreet.extensions import db

from ..support.factories import make_event
from .helpers import registered


def _nonce(page: str) -> str:
    return re.search(r'name="nonce" value="([^"]+)"', page).group(1)


def test_scan_form_without_javascript(client, login, mailbox):
    login(Role.DOOR)
    event, olena = registered(latin_name="Olena Kovalenko")
    page = client.get(f"/door/events/{event.id}").get_data(as_text=True)
    assert 'id="scan-code"' in page and "autofocus" in page
    assert 'data-counter="registered">1<' in page
    url = f"/door/events/{event.id}/scan"
    nonce = _nonce(page)
    response = client.submit(url, {"code": olena.ticket_code, "nonce": nonce},
                             form_url=f"/door/events/{event.id}")
    html = response.get_data(as_text=True)
    assert "door-result door-result-ok" in html and "Олена Коваленко" in html
    assert 'data-counter="checked_in">1<' in html
    # The browser re-posts the same form (reload): same answer, not "already checked in".
    again = client.submit(url, {"code": olena.ticket_code, "nonce": nonce},
                          form_url=f"/door/events/{event.id}").get_data(as_text=True)
    assert "door-result door-result-ok" in again
    third = client.submit(url, {"code": olena.ticket_code, "nonce": _nonce(again)},
                          form_url=f"/door/events/{event.id}").get_data(as_text=True)
    assert "door-result door-result-already_checked_in" in third
    unknown = client.submit(url, {"code": "nonsense", "nonce": _nonce(third)},
                            form_url=f"/door/events/{event.id}").get_data(as_text=True)
    assert "door-result door-result-unknown" in unknown


def test_search_then_check_in_then_undo(client, login, mailbox):
    login(Role.DOOR)
    event, olena = registered(latin_name="Olena Kovalenko", phone="0612345678")
    page = client.get(f"/door/events/{event.id}?q=0612345678").get_data(as_text=True)
    assert "Олена Коваленко" in page and olena.ref in page
    results = page.split('class="plain-list door-results"')[1].split("</ul>")[0]
    assert "Олена Коваленко" in results
    assert "@" not in results and "612345678" not in results  # no contact details shown
    response = client.submit(f"/door/events/{event.id}/scan",
                             {"ref": olena.ref, "nonce": _nonce(page)},
                             form_url=f"/door/events/{event.id}")
    assert "door-result door-result-ok" in response.get_data(as_text=True)
    page = client.get(f"/door/events/{event.id}?q=Kovalenko").get_data(as_text=True)
    assert f"/door/events/{event.id}/people/{olena.ref}/undo" in page
    client.submit(f"/door/events/{event.id}/people/{olena.ref}/undo", {"reason": "Verkeerd"})
    db.session.expire_all()
    assert olena.checked_in_at is None
    nobody = client.get(f"/door/events/{event.id}?q=zzzz", headers={"Accept-Language": "en"})
    assert "Nobody found" in nobody.get_data(as_text=True)


def test_a_waiting_list_result_has_no_check_in_button(client, login, mailbox):
    login(Role.DOOR)
    event, _ = registered(event=make_event(candidate_capacity=1), last_name="Shevchenko")
    _, waiting = registered(event=event, email="wait@example.org", last_name="Shevchenko")
    page = client.get(f"/door/events/{event.id}?q=Shevchenko",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    results = page.split('class="plain-list door-results"')[1].split("</ul>")[0]
    assert results.count('name="ref"') == 1 and f'value="{waiting.ref}"' not in results
    assert "Waiting list" in results


def test_each_search_result_checks_in_its_own_person(client, login, mailbox):
    """Two people checked in from the same result page: each form has its own nonce, so the
    second is not taken for a re-sent first."""
    login(Role.DOOR)
    event, olena = registered(last_name="Shevchenko")
    _, taras = registered(event=event, email="taras@example.org", first_name="Тарас",
                          last_name="Shevchenko")
    page = client.get(f"/door/events/{event.id}?q=Shevchenko").get_data(as_text=True)
    results = page.split('class="plain-list door-results"')[1].split("</ul>")[0]
    forms = re.findall(r'name="nonce" value="([^"]+)">\s*<input type="hidden" name="ref" '
                       r'value="([^"]+)"', results)
    nonces = {ref: nonce for nonce, ref in forms}
    assert set(nonces) == {olena.ref, taras.ref}
    assert len(set(nonces.values()) | {_nonce(page)}) == 3
    for person in (olena, taras):
        answer = client.submit(f"/door/events/{event.id}/scan",
                               {"ref": person.ref, "nonce": nonces[person.ref]},
                               form_url=f"/door/events/{event.id}").get_data(as_text=True)
        assert "door-result door-result-ok" in answer
    db.session.expire_all()
    assert olena.checked_in_at is not None and taras.checked_in_at is not None


def test_the_event_chooser_leads_to_the_door(client, login, mailbox):
    login(Role.DOOR)
    event, _ = registered()
    page = client.get("/door/").get_data(as_text=True)
    assert f'href="/door/events/{event.id}"' in page


def test_the_decoder_is_served_from_our_own_server(client):
    response = client.get("/vendor/jsqr.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"jsQR" in response.data


def test_the_form_scan_shares_the_door_rate_limit(client, login, mailbox, app, monkeypatch):
    monkeypatch.setitem(app.config, "CHECKIN_RATE_LIMIT", "2 per minute")
    login(Role.DOOR)
    event, olena = registered()
    statuses = []
    for _ in range(3):
        page = client.get(f"/door/events/{event.id}").get_data(as_text=True)
        response = client.submit(f"/door/events/{event.id}/scan",
                                 {"code": olena.ticket_code, "nonce": _nonce(page)},
                                 form_url=f"/door/events/{event.id}")
        statuses.append(response.status_code)
    assert statuses == [200, 200, 429]
    assert "Te veel pogingen" in response.get_data(as_text=True)  # a page, not JSON
