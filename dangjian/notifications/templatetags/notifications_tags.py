from __future__ import annotations

from typing import Any

from django import template

from dangjian.notifications import selectors

register = template.Library()


@register.inclusion_tag("notifications/_badge.html", takes_context=True)
def unread_badge(context: Any, oob: bool = False) -> dict[str, Any]:
    """The navbar bell with the user's unread count (``oob=True`` for htmx out-of-band swaps)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "count": selectors.unread_count(user),
        "oob": oob,
        "show": bool(getattr(user, "is_authenticated", False)),
    }
