import re

import pytest
from sqlalchemy import select

from meetgreet.accounts.models import Role, StaffUser
from meetgreet.accounts.services import authenticate
from meetgreet.extensions import db

from ..conftest import PASSWORD

WRONG = "The e-mail address or password is not correct."


@pytest.fixture(autouse=True)
def english(client):
    # Assertions read the English source text; the Dutch UI is tested in core/test_i18n.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_staff_log_in_and_land_on_the_dashboard(client, make_staff):
    user = make_staff(Role.PLANNER, name="Pieter Planner")
    response = client.submit("/login", {"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    dashboard = client.get("/staff/").get_data(as_text=True)
    assert "Pieter Planner" in dashboard
    assert "Upcoming events" in dashboard


def test_wrong_password_and_unknown_email_get_the_same_answer(client, make_staff):
    user = make_staff(Role.PLANNER)
    wrong_password = client.submit("/login", {"email": user.email, "password": "not it at all"})
    unknown_email = client.submit("/login", {"email": "nobody@example.org", "password": PASSWORD})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_a_disabled_account_cannot_log_in(app, make_staff):
    user = make_staff(Role.COACH)
    user.active = False
    db.session.commit()
    assert authenticate(user.email, PASSWORD) is None


def test_passwords_are_stored_with_a_modern_hash(app, make_staff):
    user = make_staff()
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_door_volunteers_start_at_the_door_and_are_refused_staff_pages(client, login):
    user = login(Role.DOOR)
    assert client.get("/login").headers["Location"] == "/door/"
    assert client.get("/door/").status_code == 200
    for url in ("/staff/", "/staff/accounts", "/staff/outbox", f"/staff/accounts/{user.id}"):
        assert client.get(url).status_code == 403, url
    assert "Staff accounts" not in client.get("/door/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMIN, {"/staff/", "/door/", "/staff/outbox", "/staff/accounts"}),
        (Role.PLANNER, {"/staff/", "/door/", "/staff/outbox"}),
        (Role.COACH, {"/staff/", "/door/"}),
        (Role.DOOR, {"/door/"}),
    ],
)
def test_every_staff_page_checks_the_role(client, login, role, allowed):
    login(role)
    for url in ("/staff/", "/door/", "/staff/outbox", "/staff/accounts", "/staff/accounts/new"):
        expected = 200 if url in allowed or (url.startswith("/staff/accounts") and
                                              "/staff/accounts" in allowed) else 403
        assert client.get(url).status_code == expected, (role, url)


def test_anonymous_visitors_are_sent_to_login(client):
    for url in ("/staff/", "/door/", "/staff/outbox", "/staff/accounts"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_login_follows_next_only_within_the_site(client, make_staff):
    user = make_staff(Role.PLANNER)
    data = {"email": user.email, "password": PASSWORD}
    response = client.submit("/login?next=/staff/outbox", data, form_url="/login")
    assert response.headers["Location"] == "/staff/outbox"
    client.submit("/logout", form_url="/staff/")
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.submit(f"/login?next={evil}", data, form_url="/login")
        assert response.headers["Location"] == "/staff/", evil
        client.submit("/logout", form_url="/staff/")


def test_logout_ends_the_session(client, login):
    login(Role.PLANNER)
    response = client.submit("/logout", form_url="/staff/")
    assert response.headers["Location"] == "/login"
    assert client.get("/staff/").status_code == 302


def test_login_is_rate_limited(app, client, make_staff):
    user = make_staff()
    limit = int(app.config["LOGIN_RATE_LIMIT"].split()[0])
    token = client.csrf_token()
    codes = [
        client.post("/login", data={"csrf_token": token, "email": user.email,
                                    "password": "wrong wrong"}).status_code
        for _ in range(limit + 1)
    ]
    assert codes[:limit] == [200] * limit
    assert codes[limit] == 429
    assert "Too many attempts" in client.post("/login", data={"csrf_token": token}).get_data(
        as_text=True
    )


def test_changing_a_password_ends_other_sessions(app, client, login):
    user = login(Role.COACH)
    assert client.get("/staff/").status_code == 200
    user.set_password("a brand new password")
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_the_cli_creates_staff_accounts(app, runner):
    result = runner.invoke(args=["staff", "create", "--email", "New@Example.org", "--name",
                                 "Nadia Nieuw", "--role", "coach", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "new@example.org"))
    assert user.role is Role.COACH and user.check_password("long enough pw")
    again = runner.invoke(args=["staff", "create", "--email", "new@example.org", "--name", "X",
                                "--role", "door", "--password", "long enough pw"])
    assert again.exit_code != 0
    assert "exists already" in again.output


def test_repeated_failures_pause_the_account_and_a_reset_by_mail_lifts_it(client, app,
                                                                         make_staff, mailbox):
    from meetgreet.accounts.services import MAX_FAILED_LOGINS

    user = make_staff(Role.PLANNER)
    for _ in range(MAX_FAILED_LOGINS):
        assert authenticate(user.email, "wrong guess!") is None
    assert user.locked_until is not None
    # Paused: even the right password is refused, with the same message as any failure.
    response = client.submit("/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and WRONG in response.get_data(as_text=True)
    assert "Forgot your password?" in response.get_data(as_text=True)

    response = client.submit("/password/forgot", {"email": user.email.upper()})
    assert response.headers["Location"] == "/login"
    link = re.search(r"https?://\S+/password/reset/\S+", mailbox.only().get_content()).group(0)
    path = link.split("localhost", 1)[-1]
    mismatch = client.submit(path, {"password": "a fresh long password",
                                    "confirm": "something else"})
    assert "The two passwords are not the same." in mismatch.get_data(as_text=True)
    done = client.submit(path, {"password": "a fresh long password",
                                "confirm": "a fresh long password"})
    assert done.headers["Location"] == "/login"
    assert client.get(path).status_code == 404, "a reset link works once"
    response = client.submit("/login", {"email": user.email, "password": "a fresh long password"})
    assert response.status_code == 302


def test_a_reset_request_says_nothing_about_unknown_addresses(client, app, make_staff, mailbox):
    make_staff(Role.COACH, email="known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = client.submit("/password/forgot", {"email": email}, follow_redirects=True)
        answers.append(response.get_data(as_text=True).split("<main", 1)[1].split("<form")[0])
    assert answers[0] == answers[1]
    assert [rcpts for rcpts, _ in mailbox.messages] == [["known@example.org"]]


def test_a_reset_request_with_the_mail_server_down_answers_the_same(client, app, make_staff,
                                                                   mail_server_down):
    make_staff(Role.COACH, email="known@example.org")
    answers = []
    for email in ("known@example.org", "unknown@example.org"):
        response = client.submit("/password/forgot", {"email": email})
        answers.append((response.status_code, response.headers.get("Location")))
    assert answers == [(302, "/login"), (302, "/login")]


def test_reset_links_expire_after_an_hour(client, app, make_staff):
    from datetime import timedelta

    from meetgreet.accounts.services import start_password_reset, user_for_reset

    user = make_staff(Role.COACH)
    _, token = start_password_reset(user.email)
    assert user_for_reset(token) is user
    user.reset_expires_at -= timedelta(hours=2)
    db.session.commit()
    assert user_for_reset(token) is None
    assert client.get(f"/password/reset/{token}").status_code == 404
