"""What is wrong with a plan's input, in the reader's language: one message per Issue.code."""

from flask_babel import lazy_gettext as _l

from ..core.reference import language_name
from .assignment import ISSUE_CODES, Issue
from .labels import window_label
from .services import Window

MESSAGES = {
    "no_windows": _l("The event has no time windows."),
    "duplicate_window": _l("A time window is listed twice."),
    "duplicate_stand": _l("Stand %(stand)s is listed twice; the first is used."),
    "duplicate_interpreter": _l("%(interpreter)s is listed twice; the first is used."),
    "no_languages": _l("%(interpreter)s has no languages: add them in the pool."),
    "bad_table_count": _l("%(interpreter)s has a table count below 1."),
    "window_outside_event": _l("%(interpreter)s is available at a time outside the event."),
    "not_available": _l("%(interpreter)s said yes, but for too short a time to be placed "
                        "in either half."),
    "no_interpreters": _l("No interpreter is available yet: invite interpreters, "
                          "or note their answers."),
    "no_demand": _l("There is no need for interpreters yet: no registered candidate "
                    "needs one at a confirmed stand."),
    "no_interpreter_for_language": _l("Nobody available interprets %(language)s: "
                                      "call someone who does."),
    "demand_unknown_stand": _l("There is need at stand %(stand)s, which is not on the floor."),
    "demand_unknown_window": _l("There is need in a time window that is not part of "
                                "the event."),
    "bad_demand": _l("The need at stand %(stand)s is not a positive number."),
    "pin_unknown_interpreter": _l("%(interpreter)s is pinned but not available; "
                                  "the pin is ignored."),
    "pin_unknown_stand": _l("%(interpreter)s is pinned to stand %(stand)s, which has no "
                            "confirmed employer; the pin is ignored."),
    "pin_unknown_window": _l("%(interpreter)s is pinned in a time window that no longer "
                             "exists; the pin is ignored."),
    "pin_not_available": _l("%(interpreter)s is pinned in %(window)s but is not available "
                            "then."),
    "pin_language_not_spoken": _l("%(interpreter)s is pinned for %(language)s, which they "
                                  "do not speak."),
    "pin_excluded": _l("%(interpreter)s is both pinned to and kept away from stand "
                       "%(stand)s; the pin is ignored."),
    "pin_conflict": _l("The pin of %(interpreter)s to stand %(stand)s does not fit with "
                       "their other pins; it is ignored."),
    "exclusion_unknown_interpreter": _l("%(interpreter)s is kept away but is not available "
                                        "anyway."),
    "exclusion_unknown_stand": _l("An exclusion names stand %(stand)s, which has no "
                                  "confirmed employer."),
    "exclusion_unknown_window": _l("An exclusion names a time window that no longer exists."),
}
assert set(MESSAGES) == ISSUE_CODES, "every Issue.code needs its message"  # noqa: S101


def issue_message(issue: Issue, names: dict[int, str], windows: dict[str, Window]) -> str:
    values = {
        "interpreter": names.get(issue.interpreter, str(issue.interpreter)),
        "stand": issue.stand,
        "window": window_label(windows.get(issue.window), issue.window or ""),
        "language": language_name(issue.language) if issue.language else "",
    }
    return str(MESSAGES[issue.code]) % values
