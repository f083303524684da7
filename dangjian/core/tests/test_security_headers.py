"""Security headers on every response; HTTPS redirect and HSTS behind a TLS-terminating proxy."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from dangjian.config import parse_proxy_ssl_header


def test_it_sends_the_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert (
        "camera=()" in response["Permissions-Policy"]
        and "geolocation=(self)" in response["Permissions-Policy"]
    )
    assert "Content-Security-Policy" in response
    assert "Strict-Transport-Security" not in response  # development: plain HTTP, no HSTS


def test_it_redirects_to_https_and_sends_hsts_behind_the_proxy(db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()  # built after the settings: SecurityMiddleware reads them once
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/accounts/login/"
    secure = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_it_answers_json_errors_with_the_headers_too(client, db):
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404 and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("", None),
        ("X-Forwarded-Proto", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Proto: https", ("HTTP_X_FORWARDED_PROTO", "https")),
        ("X-Forwarded-Ssl: on", ("HTTP_X_FORWARDED_SSL", "on")),
    ],
)
def test_it_parses_the_proxy_header_setting(value, parsed):
    assert parse_proxy_ssl_header(value) == parsed


def test_it_refuses_a_malformed_proxy_header_setting():
    with pytest.raises(ImproperlyConfigured, match="SECURE_PROXY_SSL_HEADER"):
        parse_proxy_ssl_header("X Forwarded Proto = https")
