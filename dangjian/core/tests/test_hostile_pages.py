"""Every page without URL arguments, every API list and the public Open311 reads, asked with
hostile query strings (NUL, absurd pages, ids and years): never a 5xx."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from dangjian.conftest import build_world

HOSTILE = [
    {"q": "a\x00b"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
    {"street": "99999999999999999999", "community": "²", "grid": "-1"},
    {"year": "-1", "month": "0-0", "date": "9999-99-99"},
    {"year": "99999999999999999999", "month": "99999-01", "day": "0000-01-01"},
    {"start": "9999-12-31", "end": "0001-01-01", "start_date": "9999-12-31"},
    {"end_date": "0001-01-01T00:00:00-12:00", "max": "99999999999999999999"},
    {"node": "99999999999999999999", "category": "9" * 30, "unit": "1e999", "branch": "nan"},
    {"lng": "inf", "lat": "nan", "person_id": "9" * 25, "community_id": "-9" * 20},
]


def _paths(resolver: Any = None, prefix: str = "") -> list[str]:
    out: list[str] = []
    for p in (resolver or get_resolver()).url_patterns:
        route = str(p.pattern)
        if isinstance(p, URLResolver):
            out += _paths(p, prefix + route.lstrip("^"))
        elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
            path = "/" + prefix + route.lstrip("^").rstrip("$")
            if "\\" in path or "(" in path:
                continue
            out.append(path)
    return sorted(set(out))


SKIP = ("/admin/", "/accounts/logout/", "/bench/")
# Open311 routes are regular expressions (…\.(json|xml)$), which _paths leaves out.
OPEN311 = [
    f"/open311/v2/{name}.{fmt}"
    for name in ("discovery", "services", "requests", "servicerequestupdates", "requests/BL-1", "services/x")
    for fmt in ("json", "xml")
]


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            w = build_world()
            yield w
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_never_answers_5xx_to_hostile_queries(client: Any, world: Any) -> None:
    client.raise_request_exception = False
    failures = []
    paths = [p for p in _paths() if not p.startswith(SKIP)] + OPEN311
    # The city admin sees every page; the others mostly meet the same parsers, so fewer tries.
    for user, hostile in (
        (world.admin, HOSTILE),
        (world.grid_worker, HOSTILE[:4]),
        (world.resident, HOSTILE[:4]),
    ):
        client.force_login(user)
        for path in paths:
            for params in hostile:
                response = client.get(path, params)
                if response.status_code >= 500:
                    failures.append(f"{user.name} {path} {params} → {response.status_code}")
    assert not failures, "\n".join(failures[:40])
