"""Staff accounts: creation and authentication as plain functions."""

from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.tokens import find_by_token, hash_token, new_link_token
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


MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
RESET_LINK_HOURS = 1


def authenticate(email: str, password: str) -> StaffUser | None:
    """The user, or None for any reason: unknown, wrong password, disabled or paused."""
    user = find_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    now = utcnow()
    locked = user.locked_until is not None and user.locked_until > now
    if locked or not user.check_password(password) or not user.active:
        if not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILED_LOGINS:
                # Guessing gets five tries per quarter of an hour, whatever the address.
                user.locked_until, user.failed_logins = now + timedelta(minutes=LOCK_MINUTES), 0
        db.session.commit()
        return None
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    db.session.commit()
    return user


def start_password_reset(email: str) -> tuple[StaffUser, str] | None:
    """A one-hour reset token for an active account; None (and nothing said) otherwise."""
    user = find_by_email(email)
    if user is None or not user.active:
        return None
    token = new_link_token()
    user.reset_token_hash, user.reset_expires_at = hash_token(token), utcnow() + timedelta(
        hours=RESET_LINK_HOURS)
    db.session.commit()
    return user, token


def user_for_reset(token: str) -> StaffUser | None:
    user = find_by_token(StaffUser.reset_token_hash, token)
    if user is None or not user.active or user.reset_expires_at is None \
            or user.reset_expires_at <= utcnow():
        return None
    return user


def finish_password_reset(user: StaffUser, password: str) -> None:
    """New password, link used up, pause lifted, every old session ended."""
    user.set_password(password)
    user.reset_token_hash = user.reset_expires_at = user.locked_until = None
    user.failed_logins = 0
    db.session.commit()


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
