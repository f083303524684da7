"""The client's address: REMOTE_ADDR, or X-Forwarded-For read from the right through trusted proxies."""

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from dangjian.core.clientip import client_ip, forwarded_by_untrusted_peer, parse_networks


def request(remote: str, forwarded: str | None = None):
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_takes_the_peer_and_ignores_the_header_without_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ""
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_it_ignores_the_header_from_a_peer_that_is_not_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    assert forwarded_by_untrusted_peer(request("203.0.113.7", "198.51.100.1"))


def test_it_takes_the_right_most_address_that_is_not_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8, 127.0.0.1"
    # client forged "1.2.3.4"; the edge proxy 10.0.0.5 appended the real peer 198.51.100.9.
    r = request("127.0.0.1", "1.2.3.4, 198.51.100.9, 10.0.0.5")
    assert client_ip(r) == "198.51.100.9"
    assert not forwarded_by_untrusted_peer(r)


def test_it_stops_at_a_malformed_hop(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    assert client_ip(request("10.0.0.1", "198.51.100.9, not-an-ip, 10.0.0.2")) == "10.0.0.2"


def test_it_falls_back_to_the_peer_when_the_header_is_missing_or_empty(settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    assert client_ip(request("10.0.0.1")) == "10.0.0.1"
    assert client_ip(request("10.0.0.1", "")) == "10.0.0.1"


def test_it_reads_ipv6_ports_and_mapped_addresses(settings):
    settings.TRUSTED_PROXIES = "::1/128"
    assert client_ip(request("::1", "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_ip(request("::ffff:203.0.113.7")) == "203.0.113.7"
    assert client_ip(request("::1", "203.0.113.8:5000")) == "203.0.113.8"


def test_it_refuses_a_malformed_network_in_chinese():
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES 中的 'x' 不是合法的"):
        parse_networks("10.0.0.0/8,x", setting="TRUSTED_PROXIES")
