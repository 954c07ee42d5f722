"""Badges for candidates, employers' representatives, interpreters and staff, as PDF."""

from .render import (
    LAYOUTS,
    BadgeData,
    BadgeLabels,
    Kind,
    Layout,
    layout_by_name,
    render_badges,
)

__all__ = [
    "LAYOUTS", "BadgeData", "BadgeLabels", "Kind", "Layout", "layout_by_name", "render_badges",
]
