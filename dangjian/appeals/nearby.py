"""Open cases of the same category near a point (FixMyStreet's "already reported?").

A bounding box on ``(category, status, lng, lat)`` (index ``case_nearby_idx``) narrows the
candidates in the database; the exact great-circle distance is computed here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dangjian.appeals.choices import OPEN_STATES
from dangjian.appeals.models import Case

RADIUS_M = 250.0
LIMIT = 5
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180
MAX_CANDIDATES = 500  # a box of 500 m across never holds more open cases of one category in practice


@dataclass(frozen=True)
class Near:
    case: Case
    distance_m: float
    similarity: float | None = None  # text similarity (0–1) when the resident typed text


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lng: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lng, max_lng, min_lat, max_lat) of a box that contains the circle."""
    dlat = radius_m / METRES_PER_DEGREE_LAT
    dlng = radius_m / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 1e-6))
    return lng - dlng, lng + dlng, lat - dlat, lat + dlat


def open_cases_near(
    category_id: int,
    lng: float,
    lat: float,
    *,
    radius_m: float = RADIUS_M,
    limit: int = LIMIT,
    exclude_id: int | None = None,
    text: str = "",
) -> list[Near]:
    """At most ``limit`` open cases of ``category_id`` within ``radius_m`` metres, nearest first.

    With ``text`` (what the resident has typed), ranked by text similarity and distance
    together (``dispatch.similarity``: character bigrams, boilerplate removed)."""
    min_lng, max_lng, min_lat, max_lat = bounding_box(lng, lat, radius_m)
    qs = (
        Case.objects.filter(
            category_id=category_id,
            status__in=list(OPEN_STATES),
            lng__gte=min_lng,
            lng__lte=max_lng,
            lat__gte=min_lat,
            lat__lte=max_lat,
        )
        .select_related("grid", "compound", "category")
        .only(
            "id",
            "number",
            "title",
            "description",
            "anonymous",
            "channel",
            "address",
            "contact_name",
            "category__name",
            "category__enterprise",
            "status",
            "lng",
            "lat",
            "received_on",
            "category_id",
            "grid__name",
            "compound__name",
        )
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    found = []
    for case in qs[:MAX_CANDIDATES]:
        assert case.lng is not None and case.lat is not None  # guaranteed by the box filter
        d = haversine_m(lng, lat, case.lng, case.lat)
        if d <= radius_m:
            found.append(Near(case, d))
    if text.strip():
        from dangjian.dispatch import similarity as sim

        typed = sim.bigrams(sim.normalise(text))
        found = [
            Near(
                n.case,
                n.distance_m,
                sim.dice(typed, sim.bigrams(sim.normalise(n.case.title, n.case.description))),
            )
            for n in found
        ]
        found.sort(
            key=lambda n: (-(0.6 * (n.similarity or 0) + 0.4 * (1 - n.distance_m / radius_m)), n.case.pk)
        )
        return found[:limit]
    found.sort(key=lambda n: (n.distance_m, n.case.pk))
    return found[:limit]
