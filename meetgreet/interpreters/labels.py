"""Translated names for the plan's time windows."""

from flask_babel import format_time
from flask_babel import gettext as _

from .assignment import WHOLE_EVENT
from .services import FIRST_HALF, SECOND_HALF, Window


def window_label(window: Window | None, name: str = "") -> str:
    name = window.name if window else name
    if name == WHOLE_EVENT or name not in (FIRST_HALF, SECOND_HALF):
        return _("Whole event")
    times = (f" ({format_time(window.starts_at, 'short')}–{format_time(window.ends_at, 'short')})"
             if window else "")
    return (_("First half") if name == FIRST_HALF else _("Second half")) + times
