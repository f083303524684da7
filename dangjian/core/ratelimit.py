"""Request-rate limits: the JSON API per bearer token and per client address, and uploads
(multipart POSTs: the forms with photo or xlsx fields) per user or, anonymous, per address.

Counts live in Django's cache (``CACHE_URL``), never in the database: one counter per
client and fixed time window (``rl:<scope>:<who>:<window>``), raised with ``incr``. With the
default local-memory cache each process counts for itself (N workers let a client through
up to N times the limit); with Redis every process and node shares the counts. Should the
cache fail, requests go through (logged): a limit is a guard, not a reason for an outage.

Over a limit the answer is 429 with ``Retry-After`` (seconds until the window ends): a JSON
``{"detail": …}`` under /api/ and /open311/, a Chinese page elsewhere. Limits are settings
of the form ``"COUNT/SECONDS"`` (``"0"`` turns one off); tests lower them with ``settings``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangjian.core.clientip import client_ip
from dangjian.core.middleware import MACHINE_PREFIXES, json_error

log = logging.getLogger(__name__)

RATE_SETTINGS = ("API_RATE_LIMIT_TOKEN", "API_RATE_LIMIT_ADDRESS", "UPLOAD_RATE_LIMIT")
API_MESSAGE = "请求过于频繁，请 {seconds} 秒后再试"
UPLOAD_MESSAGE = "上传过于频繁，请 {minutes} 分钟后再试"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


@lru_cache(maxsize=16)
def parse_rate(value: str, setting: str) -> Rate | None:
    """``"1200/60"`` → at most 1200 per 60 seconds; ``"0"`` or empty → no limit."""
    text = value.strip()
    if text in ("", "0"):
        return None
    count, _, seconds = text.partition("/")
    try:
        rate = Rate(int(count), int(seconds))
    except ValueError:
        rate = Rate(0, 0)
    if rate.count <= 0 or rate.seconds <= 0:
        raise ImproperlyConfigured(f"{setting} 应为“次数/秒数”，如 1200/60（0 表示不限），当前为 {value!r}")
    return rate


def rate_of(setting: str) -> Rate | None:
    return parse_rate(getattr(settings, setting), setting)


_last_failure_log = 0.0


def hit(scope: str, who: str, rate: Rate | None) -> int:
    """Count one request of ``who``; seconds to wait if it is over ``rate``, else 0."""
    return hit_many([(scope, who, rate)])


def hit_many(counters: list[tuple[str, str, Rate | None]]) -> int:
    """Count one request against each ``(scope, who, rate)``; the longest wait, else 0."""
    live = [(scope, who, rate) for scope, who, rate in counters if rate is not None]
    if not live:
        return 0
    now = time.time()
    windows = [int(now // rate.seconds) for _, _, rate in live]
    keys = [(f"rl:{s}:{w}:{n}", r.seconds + 1) for (s, w, r), n in zip(live, windows, strict=True)]
    try:
        counts = _count(keys)
    except Exception:  # noqa: BLE001 - a broken cache must not break the platform
        global _last_failure_log
        if now - _last_failure_log > 60:
            _last_failure_log = now
            log.warning("rate limits off: the cache is unavailable", exc_info=True)
        return 0
    wait = 0
    for (_, _, rate), window, count in zip(live, windows, counts, strict=True):
        if count > rate.count:
            wait = max(wait, max(1, math.ceil((window + 1) * rate.seconds - now)))
    return wait


def _count(keys: list[tuple[str, int]]) -> list[int]:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        # One round trip for all counters (Django's incr costs two per counter: EXISTS, INCRBY),
        # through one client kept with the backend (Django builds a new one per call, ~0.15 ms).
        client = getattr(backend, "_ratelimit_client", None)
        if client is None:
            client = backend._cache.get_client(None, write=True)  # type: ignore[attr-defined]
            backend._ratelimit_client = client  # type: ignore[attr-defined]
        pipe = client.pipeline(transaction=False)
        for key, ttl in keys:
            full = backend.make_and_validate_key(key)
            pipe.set(full, 0, ex=ttl, nx=True)
            pipe.incr(full)
        return [int(v) for v in pipe.execute()[1::2]]
    counts = []
    for key, ttl in keys:
        try:
            counts.append(backend.incr(key))
        except ValueError:  # first request of the window
            counts.append(1 if backend.add(key, 1, timeout=ttl) else backend.incr(key))
    return counts


def too_many(request: HttpRequest, seconds: int, *, upload: bool = False) -> HttpResponse:
    if request.path_info.startswith(MACHINE_PREFIXES):
        text = API_MESSAGE.format(seconds=seconds)
        if upload:
            text = UPLOAD_MESSAGE.format(minutes=max(1, math.ceil(seconds / 60)))
        response = json_error(text, 429)
    else:
        text = UPLOAD_MESSAGE.format(minutes=max(1, math.ceil(seconds / 60)))
        response = render(request, "core/rate_limited.html", {"message": text}, status=429)
    response["Retry-After"] = str(seconds)
    return response


def _token_id(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() != "bearer ":
        return None
    # Any bearer string counts for itself; an invalid one still counts for its address.
    return hashlib.sha256(header[7:].strip().encode()).hexdigest()[:32]


def _address_key(request: HttpRequest) -> str:
    """The client's address; for IPv6 its /64, which one subscriber usually holds whole."""
    ip = client_ip(request) or "-"
    if ":" in ip:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return ip


class RateLimitMiddleware:
    """API limits before anything else runs; the upload limit once the user is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(MACHINE_PREFIXES):
            counters = [("api-addr", _address_key(request), rate_of("API_RATE_LIMIT_ADDRESS"))]
            token = _token_id(request)
            if token is not None:
                counters.append(("api-token", token, rate_of("API_RATE_LIMIT_TOKEN")))
            wait = hit_many(counters)
            if wait:
                return too_many(request, wait)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        # An upload is a multipart POST (every form with a file field sends one). The body is
        # not parsed here: reading it early would break views that read ``request.body``.
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        user = getattr(request, "user", None)
        who = f"u{user.pk}" if user is not None and user.is_authenticated else f"a{_address_key(request)}"
        wait = hit("upload", who, rate_of("UPLOAD_RATE_LIMIT"))
        return too_many(request, wait, upload=True) if wait else None
