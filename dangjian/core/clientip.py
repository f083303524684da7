"""The client's address: one function for the log-in throttle, the rate limits and audit rows.

Without a reverse proxy the client is the peer of the connection (``REMOTE_ADDR``) and
``X-Forwarded-For`` is ignored: anyone can send that header. Behind proxies, list them in
``TRUSTED_PROXIES`` (CIDR, comma-separated, empty by default). When the peer is one of them,
``X-Forwarded-For`` is read from the right — each trusted proxy appends the address it
received the request from — and the first address that is not a trusted proxy is the
client. Everything left of it was written by the client and is never believed.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Settings holding CIDR lists; checked when the app starts (core/apps.py).
NETWORK_SETTINGS = ("TRUSTED_PROXIES", "ADMIN_ALLOWED_NETWORKS")


def parse_networks(value: str | Iterable[str], *, setting: str) -> tuple[Network, ...]:
    """``"10.0.0.0/8, 127.0.0.1"`` → networks; a malformed entry refuses to start."""
    items = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"{setting} 中的 {item!r} 不是合法的 IP 地址或网段（CIDR）") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _networks(value: tuple[str, ...], setting: str) -> tuple[Network, ...]:
    return parse_networks(value, setting=setting)


def networks_of(setting: str) -> tuple[Network, ...]:
    """The parsed networks of a list setting (parsed once per distinct value)."""
    value = getattr(settings, setting)
    return _networks(tuple(value.split(",") if isinstance(value, str) else value), setting)


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def in_networks(address: str | None, networks: tuple[Network, ...]) -> bool:
    parsed = _address(address) if address else None
    return parsed is not None and any(parsed in n for n in networks)


def _trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address in n for n in trusted)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as text (``None`` when the peer's address is unknown)."""
    if hasattr(request, "_client_ip"):
        cached: str | None = request._client_ip
        return cached
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    found = peer
    trusted = networks_of("TRUSTED_PROXIES")
    if peer is not None and trusted and _trusted(peer, trusted):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        for hop in reversed(forwarded.split(",") if forwarded else []):
            address = _address(hop)
            if address is None:
                break  # garbage: believe nothing further left; the last good hop stands
            found = address
            if not _trusted(address, trusted):
                break
    result = str(found) if found is not None else None
    request._client_ip = result  # type: ignore[attr-defined]
    return result


def forwarded_by_untrusted_peer(request: HttpRequest) -> bool:
    """True when the request says it was forwarded but its peer is not a trusted proxy:
    the real client is then unknown (a proxy left out of ``TRUSTED_PROXIES``, or a forgery)."""
    if "HTTP_X_FORWARDED_FOR" not in request.META:
        return False
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    return peer is None or not _trusted(peer, networks_of("TRUSTED_PROXIES"))
