"""Who may do what: roles grant permissions, and every staff view names the one it needs."""

import enum
from functools import wraps

from flask import abort
from flask_login import current_user

from .models import Role


class Permission(enum.StrEnum):
    DASHBOARD = "dashboard"
    EVENTS = "events"
    EMPLOYERS = "employers"
    CANDIDATES = "candidates"
    INTERPRETERS = "interpreters"
    LISTS = "lists"
    FOLLOW_UP = "follow_up"
    CHECK_IN = "check_in"
    OUTBOX = "outbox"
    STAFF_ACCOUNTS = "staff_accounts"
    # Everything about one person in one file (right of access): admins only, on request.
    DATA_EXPORT = "data_export"
    # Erasing a person cannot be undone: admins only.
    ERASE_CANDIDATES = "erase_candidates"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.PLANNER: frozenset(
        {
            Permission.DASHBOARD,
            Permission.EVENTS,
            Permission.EMPLOYERS,
            Permission.CANDIDATES,
            Permission.INTERPRETERS,
            Permission.LISTS,
            # Planners are also the account managers who own follow-ups with employers.
            Permission.FOLLOW_UP,
            Permission.CHECK_IN,
            Permission.OUTBOX,
        }
    ),
    Role.COACH: frozenset(
        {Permission.DASHBOARD, Permission.CANDIDATES, Permission.FOLLOW_UP, Permission.CHECK_IN}
    ),
    Role.DOOR: frozenset({Permission.CHECK_IN}),
}


def can(permission: Permission, user=None) -> bool:
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return False
    return permission in ROLE_PERMISSIONS[user.role]


def landing_endpoint(user) -> str:
    """Where a staff member starts: door volunteers go straight to the door."""
    return "scheduling.dashboard" if can(Permission.DASHBOARD, user) else "checkin.choose_event"


def public(view):
    """Marks a view as open to everyone on purpose (the access-matrix test asks for a mark)."""
    view.access = "public"
    return view


def by_token(kind: str):
    """Marks a view opened by a secret link; the view itself checks the token and the object."""

    def decorator(view):
        view.access = f"token:{kind}"
        return view

    return decorator


def requires(permission: Permission):
    """Let only logged-in staff holding `permission` through; anonymous visitors go to login."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from ..extensions import login_manager

                return login_manager.unauthorized()
            if not can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.access = "staff"
        wrapped.required_permission = permission
        return wrapped

    return decorator
