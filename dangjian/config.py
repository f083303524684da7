"""Environment parsing and the development ``.env`` bootstrap.

Only environment variables configure the platform. In development a git-ignored ``.env``
beside ``manage.py`` supplies safe random defaults, written once on first start.
"""

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def load_env(path: Path) -> None:
    """Read KEY=VALUE lines from ``path`` into os.environ without overriding real variables.

    If the file is missing and the process is not explicitly production (``DEBUG=0``),
    write one with development defaults first.
    """
    if not path.exists() and os.environ.get("DEBUG", "1").lower() not in _FALSE:
        write_dev_env(path)
    if not path.exists():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


def write_dev_env(path: Path) -> None:
    data_key = base64.b64encode(secrets.token_bytes(32)).decode()
    path.write_text(
        "# Development defaults written on first run. Never commit this file.\n"
        "DEBUG=1\n"
        f"SECRET_KEY=dev-{secrets.token_urlsafe(40)}\n"
        f"DANGJIAN_DATA_KEY={data_key}\n"
        "# DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangjian\n",
        encoding="utf-8",
    )
    path.chmod(0o600)


def env_str(name: str, *, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 0/1/true/false，当前为 {value!r}")


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，当前为 {value!r}") from exc


def require_production_secrets(*, debug: bool, secret_key: str, data_keys: list[str]) -> None:
    """Refuse to start in production without real keys; in any mode, check key shape."""
    missing = []
    if not secret_key or (not debug and secret_key.startswith("dev-")):
        missing.append("SECRET_KEY")
    if not data_keys:
        missing.append("DANGJIAN_DATA_KEY")
    if missing and not debug:
        raise ImproperlyConfigured(
            "生产环境（DEBUG=0）缺少必需的环境变量："
            + "、".join(missing)
            + "。Production (DEBUG=0) needs: "
            + ", ".join(missing)
            + "。DANGJIAN_DATA_KEY 为 32 字节随机数的 base64，例如：python -c "
            '"import base64,secrets;print(base64.b64encode(secrets.token_bytes(32)).decode())"'
        )
    if missing:
        raise ImproperlyConfigured(
            "缺少环境变量 " + "、".join(missing) + "（删除 .env 后重新运行会生成开发用默认值）"
        )
    for key in data_keys:
        try:
            raw = base64.b64decode(key, validate=True)
        except ValueError as exc:
            raise ImproperlyConfigured("DANGJIAN_DATA_KEY 不是合法的 base64") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured("DANGJIAN_DATA_KEY 必须是 32 字节（AES-256）的 base64")


def cache_from_url(url: str) -> dict[str, object]:
    """The default cache from ``CACHE_URL``: ``locmem://`` (per process), ``redis://…`` or
    ``rediss://…`` (Django's RedisCache, shared by every process and node), ``dummy://``."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else url.lower()
    if scheme in ("", "locmem"):
        # Room for a counter per client and window (the default 300 entries would cull counters).
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dangjian",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, "KEY_PREFIX": "dj"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"环境变量 CACHE_URL 应以 locmem://、redis://、rediss:// 或 dummy:// 开头，当前为 {url!r}"
    )


def parse_proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """``"X-Forwarded-Proto: https"`` → ``("HTTP_X_FORWARDED_PROTO", "https")`` for Django's
    SECURE_PROXY_SSL_HEADER; a bare header name means the value ``https``; empty → None."""
    name, _, expected = value.partition(":")
    name, expected = name.strip(), expected.strip() or "https"
    if not name:
        return None
    if not all(c.isalnum() or c == "-" for c in name):
        raise ImproperlyConfigured(
            f"环境变量 SECURE_PROXY_SSL_HEADER 应为“请求头名: 值”，例如 X-Forwarded-Proto: https，当前为 {value!r}"
        )
    return "HTTP_" + name.upper().replace("-", "_"), expected
