"""Audit rows written in a request carry the client's address (through trusted proxies)."""

from dangjian.core.models import AuditEvent


def test_it_records_the_clients_address(login, world):
    client = login(world.street_officer)
    r = client.post(
        "/api/v1/accounts/tokens",
        {"name": "脚本"},
        content_type="application/json",
        REMOTE_ADDR="198.51.100.7",
    )
    assert r.status_code == 201
    assert AuditEvent.objects.get(action="accounts.token.issue").ip == "198.51.100.7"


def test_it_records_the_client_behind_a_trusted_proxy(login, world, settings):
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    client = login(world.street_officer)
    client.post(
        "/api/v1/accounts/tokens",
        {"name": "脚本"},
        content_type="application/json",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9",
    )
    assert AuditEvent.objects.get(action="accounts.token.issue").ip == "198.51.100.9"


def test_it_leaves_the_address_empty_outside_requests(world):
    # build_world wrote its rows through actions, outside any request.
    assert AuditEvent.objects.exists()
    assert not AuditEvent.objects.exclude(ip=None).exists()
