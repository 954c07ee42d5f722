"""Bad requests get a calm page in the visitor's language, never a trace."""

import re

import pytest

from meetgreet import create_app


def heading(response) -> str:
    return re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True)).group(1)


def test_unknown_urls_get_a_friendly_404_in_the_visitors_language(client):
    english = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert english.status_code == 404
    assert heading(english) == "Page not found"
    ukrainian = client.get("/no/such/page", headers={"Accept-Language": "uk"})
    assert ukrainian.status_code == 404
    assert heading(ukrainian) != "Page not found"
    assert '<html lang="uk"' in ukrainian.get_data(as_text=True)


def test_a_wrong_method_gets_a_405_page(client):
    response = client.delete("/login", headers={"Accept-Language": "en"})
    assert response.status_code == 405
    assert heading(response) == "Not possible this way"


def test_an_expired_or_missing_csrf_token_gets_a_400_page(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert heading(response) == "The form has expired"
    forged = client.post("/login", data={"csrf_token": "forged", "email": "a@b.nl"},
                         headers={"Accept-Language": "en"})
    assert forged.status_code == 400


@pytest.mark.parametrize("data", [
    {"email": "x" * 10_000, "password": "y"},
    {"email": ["a@b.nl", "c@d.nl"], "password": ""},
    {},
])
def test_malformed_form_data_never_causes_a_500(client, data):
    token = client.csrf_token()
    response = client.post("/login", data={"csrf_token": token, **data})
    assert response.status_code in (200, 400)


def test_undecodable_bytes_never_cause_a_500(client):
    token = client.csrf_token()
    body = f"csrf_token={token}&email=%ff%fe%00%c3&password=%00".encode()
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("path", [
    "/staff/candidates/%00x/erase",
    "/staff/candidates/%00x/timeline",
    "/my/%00x",
    "/interpreter/x%00",
])
def test_a_nul_in_the_url_path_is_refused_not_a_500(client, login, path):
    # PostgreSQL refuses NUL in a query: the reference must not get that far.
    login("admin")
    assert client.get(path).status_code == 400


def test_api_clients_get_json_errors(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.json["error"] == 404


def test_an_unexpected_error_shows_a_calm_500_page(tmp_path):
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'boom.sqlite'}"})

    @app.get("/_test/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/_test/boom", headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internal detail" not in page and "Traceback" not in page
    assert heading(response) == "Something went wrong on our side"


def test_secret_links_never_reach_the_log(tmp_path, caplog):
    from meetgreet.core.errors import redact_path

    assert redact_path("/my/AbCdEf123/ticket.pdf") == "/my/…/ticket.pdf"
    assert redact_path("/stands/manage/tok-en_1/cancel") == "/stands/manage/…/cancel"
    assert redact_path("/password/reset/xyz") == "/password/reset/…"
    assert redact_path("/calendar/staff/secret.ics") == "/calendar/staff/…"
    assert redact_path("/events/3/register") == "/events/3/register"
    assert redact_path("/interpreter/Int3rpr3t", token="Int3rpr3t") == "/interpreter/…"

    # Through the error handler: a failing route's token is cut out, whatever its prefix.
    app = create_app({"TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'boom.sqlite'}"})

    @app.get("/_test/<token>/boom")
    def boom(token):
        raise RuntimeError("boom")

    assert app.test_client().get("/_test/Int3rpr3t/boom").status_code == 500
    assert "/_test/…/boom" in caplog.text
    assert "Int3rpr3t" not in caplog.text
