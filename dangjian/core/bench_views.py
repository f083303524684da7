"""The bare endpoint the intake benchmark compares against (mounted only when
``settings.BENCH_ENDPOINTS`` is true; see ``bench/appeals_intake.py``).

It does what any write endpoint must at the least — parse and validate a small JSON body,
insert one row in a transaction — and nothing else: no authentication, no locating, no
numbering, no counters. The ratio of the full intake path to this is the benchmark's figure.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dangjian.core.models import AuditEvent


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> JsonResponse:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"detail": "请求体不是合法的 JSON"}, status=400)
    title = body.get("title") if isinstance(body, dict) else None
    key = body.get("key") if isinstance(body, dict) else None
    if not isinstance(title, str) or not title.strip() or len(title) > 120:
        return JsonResponse({"detail": "标题必填，且不超过 120 字"}, status=422)
    if not isinstance(key, str) or not 1 <= len(key) <= 40:
        return JsonResponse({"detail": "幂等键必填，且不超过 40 字"}, status=422)
    with transaction.atomic():
        row = AuditEvent.objects.create(
            action="bench.insert", model="bench", object_id=key, object_repr=title[:200], after=body
        )
    return JsonResponse({"id": row.pk}, status=201)
