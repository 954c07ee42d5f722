"""Printouts: the interpreter plan (per interpreter where and when, per stand who) and a
sign per stand naming its interpreters' languages in their own script.

Drawn with the badges' fonts and text helpers, so names and language names print in any
script (Arabic joined and right to left, Ethiopic for Tigrinya) from packaged fonts.
"""

import io
from collections import defaultdict

from flask_babel import format_date, format_time
from flask_babel import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ..badges.fonts import register_all
from ..badges.pages import MARGIN, FlowingPages
from ..badges.render import draw_centered
from ..core.contact import display_phone
from ..core.reference import language_name, native_language_name
from ..scheduling.models import Event
from .labels import window_label
from .services import event_window_by_name, placed_bookings, saved_posts


def _when(event: Event) -> str:
    return (f"{format_date(event.starts_at, 'full')}, {format_time(event.starts_at, 'short')}"
            f"–{format_time(event.ends_at, 'short')}")


def plan_pdf(event: Event) -> bytes:
    register_all()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(_("Interpreter plan"))
    out = FlowingPages(canvas)
    event_windows = event_window_by_name(event)
    posts = saved_posts(event)
    organisations = {b.stand_number: b.organisation.name for b in placed_bookings(event)}
    out.text(_("Interpreter plan"), 20, bold=True)
    out.text(f"{event.title} · {_when(event)}", 12)
    out.text(f"{event.venue.name}, {event.venue.address}, {event.venue.town}", 11)
    if not posts:
        out.space()
        out.text(_("No plan has been made yet."), 12)
    by_interpreter = defaultdict(list)
    by_stand = defaultdict(list)
    for post in posts:
        by_interpreter[post.interpreter.name, post.interpreter_id].append(post)
        for stand in post.stands:
            by_stand[stand].append(post)
    if posts:
        out.space(10)
        out.text(_("Per interpreter"), 15, bold=True)
        for (name, _id), own in sorted(by_interpreter.items()):
            out.space(4)
            phone = display_phone(own[0].interpreter.phone) if own[0].interpreter.phone else ""
            out.text(f"{name}{'  ·  ' + phone if phone else ''}", 12, bold=True)
            for post in own:
                stands = ", ".join(str(number) for number in post.stands)
                out.text(_("%(window)s: %(language)s at stand %(home)d, serves stands %(stands)s",
                           window=window_label(event_windows.get(post.window)),
                           language=language_name(post.language), home=post.home_stand,
                           stands=stands), 11, indent=8 * mm)
        out.space(10)
        out.text(_("Per stand"), 15, bold=True)
        for stand in sorted(by_stand):
            out.space(4)
            out.text(_("Stand %(number)d", number=stand)
                     + (f" · {organisations[stand]}" if stand in organisations else ""),
                     12, bold=True)
            for post in sorted(by_stand[stand], key=lambda p: (p.window, p.interpreter.name)):
                out.text(f"{window_label(event_windows.get(post.window))}: "
                         f"{post.interpreter.name} ({language_name(post.language)})",
                         11, indent=8 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def sign_languages(event: Event) -> dict[int, list[str]]:
    """Stand number -> the language codes interpreted there (in any window), in order."""
    result: dict[int, list[str]] = defaultdict(list)
    for post in saved_posts(event):
        for stand in post.stands:
            if post.language not in result[stand]:
                result[stand].append(post.language)
    return {stand: sorted(codes) for stand, codes in sorted(result.items())}


def signs_pdf(event: Event) -> bytes:
    """One landscape A4 page per stand with interpreters: readable from across the hall."""
    register_all()
    buffer = io.BytesIO()
    size = landscape(A4)
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle(_("Interpreter signs"))
    width, height = size
    middle, usable = width / 2, width - 2 * MARGIN
    organisations = {b.stand_number: b.organisation.name for b in placed_bookings(event)}
    languages = sign_languages(event)
    if not languages:
        draw_centered(canvas, _("No plan has been made yet."), middle, height / 2, size=24,
                      max_width=usable)
        canvas.showPage()
    for stand, codes in languages.items():
        draw_centered(canvas, _("Stand %(number)d", number=stand), middle, height - 40 * mm,
                      size=36, max_width=usable, bold=True)
        if stand in organisations:
            draw_centered(canvas, organisations[stand], middle, height - 58 * mm, size=22,
                          max_width=usable)
        # Always in Dutch and English: the sign speaks to everyone in the hall.
        draw_centered(canvas, "Tolk / Interpreter:", middle, height / 2 + 10 * mm, size=40,
                      max_width=usable)
        draw_centered(canvas, " · ".join(native_language_name(code) for code in codes),
                      middle, height / 2 - 30 * mm, size=64, max_width=usable, bold=True)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
