import pytest
from sqlalchemy import func, select

from meetgreet.accounts.models import Role, StaffUser
from meetgreet.extensions import db


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def staff_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StaffUser))


def test_an_admin_creates_a_staff_account(client, login):
    login(Role.ADMIN)
    response = client.submit("/staff/accounts/new", {
        "name": "Дмитро Коваль", "email": "dmytro@example.org", "role": "door",
        "password": "a good long password", "active": "y",
    })
    assert response.status_code == 302
    listing = client.get("/staff/accounts").get_data(as_text=True)
    assert "Дмитро Коваль" in listing
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "dmytro@example.org"))
    assert user.role is Role.DOOR and user.active


def test_a_name_is_stored_on_one_line(client, login):
    """Staff names go into mail headers and badge lines: a pasted line break is a space."""
    login(Role.ADMIN)
    client.submit("/staff/accounts/new", {
        "name": "  Sam\r\nBcc: evil@example.org\t", "email": "sam@example.org",
        "role": "coach", "password": "a good long password", "active": "y",
    })
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "sam@example.org"))
    assert user.name == "Sam Bcc: evil@example.org"


def test_bad_input_shows_field_errors_and_stores_nothing(client, login):
    login(Role.ADMIN)
    before = staff_count()
    response = client.submit("/staff/accounts/new", {
        "name": "   ", "email": "not-an-email", "role": "superuser", "password": "short",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.count('class="error"') >= 3
    assert 'aria-invalid="true"' in page
    assert staff_count() == before


def test_markup_in_names_is_shown_escaped(client, login):
    login(Role.ADMIN)
    client.submit("/staff/accounts/new", {
        "name": "<script>alert(1)</script>", "email": "x@example.org", "role": "coach",
        "password": "a good long password", "active": "y",
    })
    page = client.get("/staff/accounts").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_admin_cannot_lock_themselves_out(client, login):
    admin = login(Role.ADMIN)
    response = client.submit(f"/staff/accounts/{admin.id}", {
        "name": admin.name, "email": admin.email, "role": "door", "active": "y",
    })
    assert "You cannot remove your own administrator rights." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN


def test_disabling_an_account_ends_its_sessions(app, client, login, make_staff):
    other = make_staff(Role.COACH)
    other_client = app.test_client()
    other_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    other_client.submit("/login", {"email": other.email, "password": "correct horse battery"})
    assert other_client.get("/staff/").status_code == 200
    login(Role.ADMIN)
    client.submit(f"/staff/accounts/{other.id}", {
        "name": other.name, "email": other.email, "role": "coach",
    })
    assert other_client.get("/staff/").status_code == 302


def test_an_unknown_account_is_a_404(client, login):
    login(Role.ADMIN)
    assert client.get("/staff/accounts/99999").status_code == 404
