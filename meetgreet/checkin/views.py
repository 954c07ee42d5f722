"""The door: the scan API (JSON, for every scanner), the door page, undo, and device tokens.

CSRF and the JSON API: the API is exempt from Flask-WTF's form token, because scanners and
the door page send JSON, not forms. A request carried by the session cookie must instead send
the header `X-Requested-With: meetgreet`. A page on another site cannot add a custom header to
a cross-site request without a CORS preflight, which this app never grants, and a plain HTML
form cannot set headers at all; so the header proves the request comes from our own pages.
A device token (`Authorization: Bearer ...`) is never sent by a browser on its own, so
requests carrying one need no such proof.
"""

import time
from functools import lru_cache, wraps

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts.access import Permission, can, public, requires
from ..audit import services as audit
from ..audit.models import AuditAction
from ..badges.fonts import NODE_MODULES
from ..candidates.models import Registration
from ..core.tokens import hash_token, new_link_token
from ..extensions import csrf, db, limiter
from ..scheduling.models import Event
from ..scheduling.services import upcoming_events
from . import scanlog, services
from .forms import DeviceForm, UndoForm
from .models import CheckInDevice

bp = Blueprint("checkin", __name__)

SESSION_HEADER = ("X-Requested-With", "meetgreet")
MAX_BODY = 4096


def _scanner_key() -> str:
    """Rate limits per device token, per staff member, else per address."""
    authorization = request.headers.get("Authorization", "")
    if authorization.startswith("Bearer "):
        return "token:" + hash_token(authorization)[:16]
    if current_user.is_authenticated:
        return f"staff:{current_user.id}"
    return get_remote_address()


# A door's rate limit: the store is tried again this long after it failed.
STORE_RETRY_SECONDS = 30


@lru_cache(maxsize=4)
def _parsed_limit(text: str) -> RateLimitItem:
    return parse(text)


class _DoorCounter:
    """Counts the door's requests on the rate-limit store (Redis in production) through the
    `limits` strategy Flask-Limiter itself uses: its route decorator's bookkeeping took a tenth
    of the busiest request's time. A store that fails must not close or slow the door: this
    process then counts on its own, and tries the store again after STORE_RETRY_SECONDS
    rather than on every scan."""

    def __init__(self) -> None:
        self.own = FixedWindowRateLimiter(MemoryStorage())
        self.store_down_until = 0.0

    def hit(self, limit: RateLimitItem, key: str) -> bool:
        if time.monotonic() >= self.store_down_until:
            try:
                return limiter.limiter.hit(limit, "door", key)
            except StorageError:
                current_app.logger.warning("rate-limit store unreachable: counting in-process")
                self.store_down_until = time.monotonic() + STORE_RETRY_SECONDS
        return self.own.hit(limit, "door", key)


# Flask-Limiter's own check before each request is skipped for these: nothing to count twice.
_DOOR_LIMITED: set[str] = set()
limiter.request_filter(lambda: request.endpoint in _DOOR_LIMITED)


def scanner_limited(view):
    """At most CHECKIN_RATE_LIMIT requests per scanner (see _DoorCounter)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        counter = current_app.extensions.setdefault("door_rate_limit", _DoorCounter())
        if not counter.hit(_parsed_limit(current_app.config["CHECKIN_RATE_LIMIT"]),
                           _scanner_key()):
            abort(429)
        return view(*args, **kwargs)

    _DOOR_LIMITED.add(f"{bp.name}.{view.__name__}")
    return wrapped


def _json_error(code: int, message) -> tuple[dict, int]:
    return {"error": code, "message": str(message)}, code


def _clean_label(text: str) -> str:
    return "".join(char for char in text if char.isprintable()).strip()[
        :services.DEVICE_LABEL_LENGTH]


def door_api(view):
    """A staff session with Permission.CHECK_IN, or an active device token (for this event,
    when the token is limited to one)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        authorization = request.headers.get("Authorization", "")
        if authorization.startswith("Bearer "):
            scanner = services.scanner_for_token(authorization[7:].strip())
            if scanner is None:
                response = current_app.make_response(
                    _json_error(401, _l("Unknown or revoked device token")))
                response.headers["WWW-Authenticate"] = "Bearer"
                return response
            if scanner.event_id is not None and scanner.event_id != kwargs.get("event_id"):
                return _json_error(403, _l("This device may only check in for another event"))
            g.scanner = scanner
        elif current_user.is_authenticated:
            if not can(Permission.CHECK_IN):
                return _json_error(403, _l("No access"))
            if request.method != "GET" and request.headers.get(SESSION_HEADER[0]) != \
                    SESSION_HEADER[1]:
                return _json_error(400, _l("Send the X-Requested-With: meetgreet header"))
            label = _clean_label(request.headers.get("X-Device-Label", "")) or current_user.name
            g.scanner = services.Scanner(label=label, staff_user_id=current_user.id)
        else:
            return _json_error(401, _l("Please log in"))
        return view(*args, **kwargs)

    wrapped.access = "staff"
    wrapped.required_permission = Permission.CHECK_IN
    return wrapped


def _event(event_id: int) -> Event:
    return db.session.get(Event, event_id) or abort(404)


# --- the API ------------------------------------------------------------------------------------


@bp.route("/api/events/<int:event_id>/checkins", methods=["POST"])
@csrf.exempt
@scanner_limited
@door_api
def api_checkin(event_id: int):
    if (request.content_length or 0) > MAX_BODY:
        return _json_error(413, _l("Too much data"))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        refusal = _json_error(400, _l("Send JSON: {\"code\": ..., \"nonce\": ...}"))
    elif not services.valid_nonce(body.get("nonce")):
        refusal = _json_error(400, _l("The nonce must be 8 to 64 letters, digits or - _ . :"))
    else:
        # The scan's own query tells whether the event exists: no extra round trip.
        answer = services.scan(event_id, body.get("code"), body["nonce"], g.scanner,
                               ref=body.get("ref"))
        return (answer, 200) if answer is not None else _json_error(404, _l("Page not found"))
    # An unknown event is a 404 whatever the body.
    if db.session.get(Event, event_id) is None:
        return _json_error(404, _l("Page not found"))
    return refusal


@bp.route("/api/events/<int:event_id>/checkins/counters")
@scanner_limited
@door_api
def api_counters(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        return _json_error(404, _l("Page not found"))
    return services.counters(event)


@bp.route("/api/events/<int:event_id>/checkins/search")
@scanner_limited
@door_api
def api_search(event_id: int):
    event = db.session.get(Event, event_id)
    if event is None:
        return _json_error(404, _l("Page not found"))
    return {"results": services.search(event, request.args.get("q", ""))}


# --- pages --------------------------------------------------------------------------------------


@bp.route("/door/")
@requires(Permission.CHECK_IN)
def choose_event():
    """The door starts by choosing the event."""
    return render_template("checkin/choose_event.html", events=upcoming_events(limit=5))


def _door_page(event: Event, result: dict | None = None):
    query = request.args.get("q", "").strip()
    # A fresh nonce per form (the scan form and each "Check in <name>"), for the page without
    # JavaScript: a second check-in from the same page is not a re-sent first one.
    results = [{**found, "nonce": new_link_token()}
               for found in (services.search(event, query) if query else [])]
    return render_template("checkin/door.html", event=event, query=query, results=results,
                           kiosk=request.args.get("kiosk") == "1", result=result,
                           nonce=new_link_token(), counters=services.counters(event))


@bp.route("/door/events/<int:event_id>")
@requires(Permission.CHECK_IN)
def door(event_id: int):
    return _door_page(_event(event_id))


@bp.route("/door/events/<int:event_id>/scan", methods=["POST"])
@scanner_limited
@requires(Permission.CHECK_IN)
def door_scan(event_id: int):
    """The door page without JavaScript: the same scan, as a form post (CSRF-checked)."""
    event = _event(event_id)
    nonce = request.form.get("nonce", "")
    if not services.valid_nonce(nonce):
        return redirect(url_for("checkin.door", event_id=event.id))
    scanner = services.Scanner(label=current_user.name, staff_user_id=current_user.id)
    ref = request.form.get("ref") or None
    answer = services.scan(event.id, request.form.get("code", ""), nonce, scanner, ref=ref)
    return _door_page(event, answer)


@bp.route("/vendor/jsqr.js")
@public
def vendor_jsqr():
    """The QR decoder from npm (jsqr), served from our own server: no CDN, and nothing
    vendored into git; `make install` (npm ci) puts it in node_modules."""
    path = NODE_MODULES / "jsqr" / "dist" / "jsQR.js"
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="text/javascript", max_age=3600)


@bp.route("/door/events/<int:event_id>/people/<ref>/undo", methods=["GET", "POST"])
@requires(Permission.CHECK_IN)
def undo(event_id: int, ref: str):
    event = _event(event_id)
    registration = db.session.scalars(select(Registration).where(
        Registration.event_id == event.id, Registration.ref == ref)).first() or abort(404)
    form = UndoForm()
    if form.validate_on_submit():
        scanner = services.Scanner(label=current_user.name, staff_user_id=current_user.id)
        if services.undo(registration, form.reason.data, scanner):
            audit.record(AuditAction.UNDID_CHECK_IN, registration)
            flash(_("The check-in of %(name)s was undone.",
                    name=registration.candidate.display_name), "success")
        return redirect(url_for("checkin.door", event_id=event.id))
    return render_template("checkin/undo.html", event=event, registration=registration,
                           person=services.person(registration), form=form)


@bp.route("/staff/door-devices", methods=["GET", "POST"])
@requires(Permission.STAFF_ACCOUNTS)
def devices():
    form = DeviceForm()
    form.set_events(upcoming_events())
    token = None
    if form.validate_on_submit():
        device, token = services.issue_device(form.label.data, current_user.id,
                                              int(form.event.data) if form.event.data else None)
        flash(_("Device %(label)s can now check people in. Copy its token now: it is shown "
                "only once.", label=device.label), "success")
    listed = db.session.scalars(select(CheckInDevice).options(joinedload(CheckInDevice.event))
                                .order_by(CheckInDevice.revoked_at.is_not(None),
                                          CheckInDevice.label)).all()
    return render_template("checkin/devices.html", form=form, token=token, devices=listed)


@bp.route("/staff/door-devices/<int:device_id>/revoke", methods=["POST"])
@requires(Permission.STAFF_ACCOUNTS)
def revoke_device(device_id: int):
    device = db.session.get(CheckInDevice, device_id) or abort(404)
    services.revoke_device(device)
    flash(_("The token of %(label)s no longer works.", label=device.label), "success")
    return redirect(url_for("checkin.devices"))


# --- the log, for planners (door volunteers see the counters on the door page) -----------------


def _page_number() -> int:
    number = request.args.get("page", "1")
    return int(number) if number.isascii() and number.isdigit() and len(number) < 7 else 1


@bp.route("/staff/events/<int:event_id>/door-log")
@requires(Permission.LISTS)
def scan_log(event_id: int):
    event = _event(event_id)
    filters = scanlog.LogFilters.from_args(request.args)
    return render_template(
        "checkin/log.html", event=event, filters=filters,
        log=scanlog.log_page(event, filters, _page_number()),
        devices=scanlog.device_labels(event), counts=scanlog.status_counts(event),
        statuses=scanlog.STATUS_LABELS, holder_name=scanlog.holder_name,
        scanned_by=scanlog.scanned_by)


@bp.route("/staff/events/<int:event_id>/door-log.csv")
@requires(Permission.LISTS)
def scan_log_csv(event_id: int):
    event = _event(event_id)
    text = scanlog.log_csv(event, scanlog.LogFilters.from_args(request.args))
    audit.record(AuditAction.EXPORTED_LIST, event, "door-log.csv")
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="door-log-{event.starts_at:%Y-%m-%d}.csv"',
        "Cache-Control": "no-store"})
