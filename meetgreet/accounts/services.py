"""Staff accounts: creation and authentication as plain functions."""

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.types import utcnow
from ..extensions import db
from .models import Role, StaffUser

MIN_PASSWORD_LENGTH = 10
# Checked when the e-mail is unknown, so a wrong e-mail costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class StaffAccountError(ValueError):
    pass


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == normalise_email(email))
    )


def authenticate(email: str, password: str) -> StaffUser | None:
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


def create_staff_user(email: str, name: str, role: Role | str, password: str) -> StaffUser:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffAccountError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if find_by_email(email) is not None:
        raise StaffAccountError(f"a staff account for {normalise_email(email)} exists already")
    user = StaffUser(email=normalise_email(email), name=name.strip(), role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def load_session_user(session_id: str) -> StaffUser | None:
    """Flask-Login's loader: the id carries a version so a password change ends old sessions."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or user.session_version != int(version) or not user.active:
        return None
    return user
