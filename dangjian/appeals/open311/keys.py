"""Which client is calling: the ``api_key`` of a GeoReport POST (form field, as the spec says)."""

from __future__ import annotations

from django.http import HttpRequest

from dangjian.interop import actions
from dangjian.interop.models import ApiKey


def client_key(request: HttpRequest) -> ApiKey | None:
    raw = (request.POST.get("api_key") or request.GET.get("api_key") or "").strip()
    return actions.authenticate(raw)
