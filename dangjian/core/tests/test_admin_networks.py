"""The Django admin answers 404 outside ADMIN_ALLOWED_NETWORKS, its log-in page included."""

import base64
import os
import secrets
import subprocess
import sys

import pytest

from dangjian.accounts.models import LoginAttempt, User
from dangjian.conftest import PASSWORD

PHONE = "13100000009"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(PHONE, PASSWORD)


@pytest.mark.parametrize("url", ["/admin/", "/admin/login/", "/admin/accounts/user/", "/admin/no-such-page/"])
def test_it_hides_the_admin_outside_the_allowed_networks(client, superuser, settings, url):
    settings.ADMIN_ALLOWED_NETWORKS = "192.0.2.0/24"
    client.force_login(superuser)
    assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 404
    assert client.get("/admin/", REMOTE_ADDR="192.0.2.5").status_code == 200


def test_it_refuses_a_login_from_outside_without_checking_the_password(client, superuser, settings):
    settings.ADMIN_ALLOWED_NETWORKS = "192.0.2.0/24"
    r = client.post("/admin/login/", {"username": PHONE, "password": PASSWORD}, REMOTE_ADDR="203.0.113.5")
    assert r.status_code == 404
    assert "_auth_user_id" not in client.session
    assert not LoginAttempt.objects.exists()
    r = client.post("/admin/login/", {"username": PHONE, "password": PASSWORD}, REMOTE_ADDR="192.0.2.5")
    assert r.status_code == 302


def test_it_closes_the_admin_when_no_network_is_allowed(client, superuser, settings):
    settings.ADMIN_ALLOWED_NETWORKS = ""
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 404
    assert client.get("/").status_code == 200  # the rest of the platform is untouched


def test_it_reads_the_client_behind_a_trusted_proxy(client, superuser, settings):
    settings.ADMIN_ALLOWED_NETWORKS = "192.0.2.0/24"
    settings.TRUSTED_PROXIES = "10.0.0.0/8"
    client.force_login(superuser)
    inside = client.get("/admin/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.5")
    assert inside.status_code == 200
    outside = client.get("/admin/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert outside.status_code == 404
    forged = client.get("/admin/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.5, 203.0.113.5")
    assert forged.status_code == 404


def test_it_refuses_requests_forwarded_by_an_untrusted_proxy(client, superuser, settings):
    # A local proxy left out of TRUSTED_PROXIES would make everyone look like 127.0.0.1.
    settings.ADMIN_ALLOWED_NETWORKS = "127.0.0.1/32"
    settings.TRUSTED_PROXIES = ""
    client.force_login(superuser)
    assert client.get("/admin/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 404
    assert client.get("/admin/").status_code == 200


def test_it_closes_the_admin_by_default_in_production(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DANGJIAN_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
    }
    env.pop("ADMIN_ALLOWED_NETWORKS", None)
    code = "import django; django.setup(); from django.conf import settings as s; print(repr(s.ADMIN_ALLOWED_NETWORKS))"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "''"
