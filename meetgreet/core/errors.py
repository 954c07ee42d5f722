"""Friendly error pages in the visitor's language, JSON for API clients."""

import re

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

MESSAGES = {
    400: (_l("Something in the request was not right"),
          _l("Please go back, reload the page and try again.")),
    401: (_l("Please log in"), _l("This page is only for logged-in staff.")),
    403: (_l("No access"), _l("Your account does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist (any more). Check the address.")),
    405: (_l("Not possible this way"), _l("This page cannot be used like this.")),
    413: (_l("Too much data"), _l("What you sent is too large.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("We have been notified. Please try again later.")),
}
CSRF_MESSAGE = (_l("The form has expired"),
                _l("For your safety, forms expire. Please reload the page and submit again."))


# A secret link's token opens someone's data: it never goes into a log. Every token route names
# its argument "token", so that value is cut out wherever it stands; the known prefixes are a
# fallback for a request that failed before its route was matched.
_SECRET_SEGMENT = re.compile(r"^(/(?:my|stands/manage|password/reset|calendar/staff)/)[^/]+")


def redact_path(path: str, token: str | None = None) -> str:
    if token:
        path = path.replace(token, "…")
    return _SECRET_SEGMENT.sub(r"\1…", path)


def _render(code: int, title, explanation):
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": code, "message": str(title)}, code
    return render_template("errors.html", code=code, title=title, explanation=explanation), code


def handle_http_error(error: HTTPException):
    code = error.code or 500
    title, explanation = MESSAGES.get(code, MESSAGES[400] if code < 500 else MESSAGES[500])
    return _render(code, title, explanation)


def handle_csrf_error(error: CSRFError):
    return _render(400, *CSRF_MESSAGE)


def handle_unexpected_error(error: Exception):
    # Logged with its trace for us; the visitor sees a calm page, never the trace.
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method,
                                 redact_path(request.path, (request.view_args or {}).get("token")))
    return handle_http_error(InternalServerError())


def register(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
