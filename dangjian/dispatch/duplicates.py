"""Same-incident look-up (疑似重复) over ``CaseSignature``.

Candidate pruning happens in the database: the cells a circle of ``radius_m`` touches
(≈300 m cells, so 3×3 of them for 300 m) × the days within the window, one range scan of
the ``(cell, day)`` index per cell. The candidates are then scored in Python
(``similarity.score``): exact distance, days apart, bigram text similarity, category.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dangjian.dispatch import similarity as sim
from dangjian.dispatch.models import CaseSignature


@dataclass(frozen=True)
class Candidate:
    case_id: int
    score: sim.Score


def signature_values(case: Any) -> dict[str, Any] | None:
    """The signature row of a case (None when it has no coordinates)."""
    if case.lng is None or case.lat is None:
        return None
    return {
        "day": case.received_on,
        "cell": sim.cell_of(case.lng, case.lat),
        "lng": case.lng,
        "lat": case.lat,
        "category_ref": case.category_id,
        "top_ref": case.top_category_id,
        "text": sim.normalise(case.title, case.description),
    }


def find(
    *,
    lng: float,
    lat: float,
    day: dt.date,
    text: str,
    category_id: int | None = None,
    top_id: int | None = None,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    radius_m: float = sim.RADIUS_M,
    window_days: int = sim.WINDOW_DAYS,
    min_score: float = sim.DUPLICATE_SCORE,
    limit: int = 10,
) -> list[Candidate]:
    """Cases that look like the same incident, best first. ``text`` is already normalised."""
    window = dt.timedelta(days=window_days)
    rows = CaseSignature.objects.filter(
        cell__in=sim.cells_around(lng, lat, radius_m), day__gte=day - window, day__lte=day + window
    ).values_list("case_id", "lng", "lat", "day", "category_ref", "top_ref", "text")
    query = sim.bigrams(text)
    found: list[Candidate] = []
    for case_id, c_lng, c_lat, c_day, c_cat, c_top, c_text in rows.iterator(chunk_size=2000):
        if case_id in exclude_ids:
            continue
        distance = sim.haversine_m(lng, lat, c_lng, c_lat)
        if distance > radius_m:
            continue
        s = sim.score(
            text=sim.dice(query, sim.bigrams(c_text)),
            distance_m=distance,
            days_apart=(c_day - day).days,
            same_category=category_id is not None and c_cat == category_id,
            same_top=top_id is not None and c_top == top_id,
            radius_m=radius_m,
            window_days=window_days,
        )
        if s is not None and s.score >= min_score:
            found.append(Candidate(case_id, s))
    found.sort(key=lambda c: (-c.score.score, c.score.distance_m, c.case_id))
    return found[:limit]


def find_for_case(case: Any, **kwargs: Any) -> list[Candidate]:
    values = signature_values(case)
    if values is None:
        return []
    return find(
        lng=values["lng"],
        lat=values["lat"],
        day=values["day"],
        text=values["text"],
        category_id=case.category_id,
        top_id=case.top_category_id,
        exclude_ids={case.pk},
        **kwargs,
    )
