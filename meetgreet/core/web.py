"""What every page shares: template helpers and security headers."""

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import format_date, format_datetime, format_time

from ..accounts.access import Permission, can
from ..scheduling.models import STATUS_LABELS
from .i18n import LOCALES, current_locale, text_direction
from .labels import labeller
from .reference import dutch_level_label, language_name, native_language_name, sector_label

# No inline script or style anywhere, so the policy can stay strict.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The body types Werkzeug parses into request.form.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def field_attributes(field, **extra) -> dict[str, str]:
    """A field's HTML attributes, tied to its help text and errors for screen readers."""
    described_by = [f"{field.id}-help"] * bool(field.description) + [
        f"{field.id}-error-{index}" for index, _ in enumerate(field.errors)
    ]
    attributes = {key: value for key, value in extra.items() if value is not None}
    if described_by:
        attributes["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions. A request without the cookie (a scanner with a device
    token, a first visit) starts an empty session without building the cookie's signer: the
    check-in API is the busiest route there is."""

    def open_session(self, app: Flask, request):
        if not app.secret_key or request.cookies.get(self.get_cookie_name(app)):
            return super().open_session(app, request)
        return self.session_class()


def register(app: Flask) -> None:
    app.session_interface = CookieSessions()
    app.jinja_env.globals.update(
        can=can,
        field_attributes=field_attributes,
        Permission=Permission,
        LOCALES=LOCALES,
        current_locale=current_locale,
        text_direction=text_direction,
        native_language_name=native_language_name,
        language_name=language_name,
        sector_label=sector_label,
        dutch_level_label=dutch_level_label,
        event_status_label=labeller(STATUS_LABELS),
        organisation_name=lambda: app.config["ORGANISATION_NAME"],
    )
    app.jinja_env.filters.update(
        date=format_date, datetime=format_datetime, time=format_time
    )

    @app.before_request
    def refuse_nul_characters():
        # No text field ever needs NUL, and PostgreSQL refuses it mid-query: stop it at the door.
        # The path counts too: a route argument (a ref, a token) goes into a query as it is.
        # Only form posts have a form to look at: a JSON scan is not parsed twice for it.
        form = request.form.values() if request.mimetype in FORM_TYPES else ()
        values = [request.path, *request.args.values(), *form]
        if any("\x00" in value for value in values):
            abort(400)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if app.config["PRODUCTION"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def personal(body) -> Response:
    """Pages and files with one person's data: never cached, never indexed."""
    response = current_app.make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
