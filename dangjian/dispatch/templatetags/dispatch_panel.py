"""``{% dispatch_panel case %}``: the 智能分派建议 and 疑似重复 panel on the staff case page.

Reads go through the dispatch selectors (the case was already fetched within the user's
scope by the appeals view); a case awaiting dispatch without a decision gets one now.
"""

from __future__ import annotations

from typing import Any

from django import template

from dangjian.appeals import selectors as appeals_selectors
from dangjian.dispatch import selectors

register = template.Library()


@register.inclusion_tag("dispatch/_panel.html", takes_context=True)
def dispatch_panel(context: Any, case: Any, oob: bool = False) -> dict[str, Any]:
    """``oob``: rendered into an htmx answer to a case action, replacing the card on the page
    (hx-swap-oob), so a case that has moved on stops offering 采用建议 at once."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not appeals_selectors.is_staff(user):
        return {"show": False}
    decision = selectors.latest_decision(case)
    can_act = selectors.can_act(user, case, decision)
    return {
        "show": True,
        "oob": oob,
        "case": case,
        "decision": decision,
        "stale": selectors.is_stale(case, decision),
        "can_act": can_act,
        "targets": selectors.target_choices(case) if can_act else [],
        "categories": selectors.category_choices(case) if can_act else [],
        "duplicates": selectors.duplicates_for(user, case),
        "has_point": case.lng is not None and case.lat is not None,
        "csrf_token": context.get("csrf_token"),
    }
