"""Scoped reads of the territory tree."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dangjian.territory.models import Node


def visible_nodes(user: Any) -> QuerySet[Node]:
    return Node.objects.restrict(user, "view").filter(retired_at__isnull=True)


def scope_roots(user: Any) -> list[Node]:
    """The highest nodes the user sees (the roots of their part of the tree)."""
    if user.is_superuser:
        return list(Node.objects.filter(parent__isnull=True, retired_at__isnull=True))
    nodes = [a.node for a in user.scope_assignments() if "view" in a.actions]
    return [n for n in nodes if not any(o.pk != n.pk and n.path.startswith(o.path) for o in nodes)]


def children(user: Any, node: Node) -> QuerySet[Node]:
    return visible_nodes(user).filter(parent=node).order_by("code")


def grids_geojson(user: Any, under: Node | None = None) -> dict:
    """A FeatureCollection of the visible grids (optionally under one node), for ECharts."""
    qs = visible_nodes(user).filter(level="grid", boundary__isnull=False)
    if under is not None and under.level in ("city", "county", "street", "community"):
        qs = qs.filter(**{f"{under.level}_id": under.pk})
    features = [
        {
            "type": "Feature",
            "id": n.pk,
            "properties": {
                "name": n.name,
                "code": n.code,
                "id": n.pk,
                "community": n.community_id,
                "street": n.street_id,
            },
            "geometry": n.boundary,
        }
        for n in qs.only("id", "name", "code", "boundary", "community_id", "street_id")
    ]
    return {"type": "FeatureCollection", "crs": "GCJ-02", "features": features}
