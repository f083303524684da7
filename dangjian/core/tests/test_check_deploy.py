"""`manage.py check --deploy` reports nothing with the production environment: DEBUG=0, real
keys, the host name and the TLS proxy's header (HSTS, HTTPS redirect, secure cookies and the
other headers have production defaults)."""

import base64
import os
import secrets
import subprocess
import sys

from django.conf import settings


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SECURE_", "DJANGO_"))}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        DANGJIAN_DATA_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="dangjian.example.gov.cn",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto: https",
    )
    return env


def test_it_passes_check_deploy_without_a_warning():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
