"""Requests of the production smoke test (.ci/prod-smoke) against a running server.

Talks HTTP to 127.0.0.1:$PORT as a TLS-terminating proxy would (X-Forwarded-Proto: https),
keeps cookies by hand (they are Secure), logs in through the real form as demo personas,
and checks every answer: status, security headers, the CSP nonce of each inline script.
Exits non-zero with a list of what failed.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sys
import time
from urllib.parse import urlencode

PORT = int(os.environ["PORT"])
ORIGIN = f"https://127.0.0.1:{PORT}"
PASSWORD = "Beiliu@2021"  # the demo accounts' password (dangjian/demo/accounts.py)
PERSONAS = {
    "18807750001": ["/", "/territory/", "/appeals/figures/", "/dispatch/hotspots/", "/appeals/staff/"],
    "18807750003": ["/", "/appeals/staff/", "/territory/"],
    "18807750006": ["/", "/appeals/staff/"],
    "18807750011": ["/", "/appeals/report/"],
}
MUST_HAVE_NONCE = {"/territory/", "/appeals/figures/", "/appeals/report/"}
HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", re.I)

failures: list[str] = []
count = 0


def check(ok: bool, what: str) -> None:
    if not ok:
        failures.append(what)


class Session:
    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        tls: bool = True,
    ) -> tuple[int, dict[str, str], str]:
        global count
        count += 1
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        h = {"Host": f"127.0.0.1:{PORT}", **(headers or {})}
        if tls:
            h["X-Forwarded-Proto"] = "https"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body.encode() if body is not None else None, headers=h)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
                if tls:
                    check("secure" in value.lower(), f"cookie {key} without Secure: {value}")
        result = r.status, {k.title(): v for k, v in r.getheaders()}, text
        conn.close()
        return result


def policy(headers: dict[str, str]) -> dict[str, list[str]]:
    raw = headers.get("Content-Security-Policy", "")
    return {d.split()[0]: d.split()[1:] for d in raw.split(";") if d.strip()}


def check_page(path: str, status: int, headers: dict[str, str], html: str, who: str) -> None:
    where = f"{who} {path}"
    check(status == 200, f"{where}: status {status}")
    for name, value in HEADERS.items():
        check(headers.get(name) == value, f"{where}: {name} = {headers.get(name)!r}")
    check("camera=()" in headers.get("Permissions-Policy", ""), f"{where}: Permissions-Policy missing")
    csp = policy(headers)
    scripts = csp.get("script-src", [])
    check(csp.get("default-src") == ["'self'"], f"{where}: CSP default-src {csp.get('default-src')}")
    check("'self'" in scripts, f"{where}: CSP script-src {scripts}")
    check(not {"'unsafe-inline'", "'unsafe-eval'"} & set(scripts), f"{where}: unsafe script-src {scripts}")
    nonces = [n.removeprefix("'nonce-").rstrip("'") for n in scripts if n.startswith("'nonce-")]
    for attrs in INLINE_SCRIPT.findall(html):
        m = re.search(r'nonce="([^"]+)"', attrs)
        check(
            bool(m) and [m.group(1)] == nonces, f"{where}: inline script nonce {attrs!r} vs header {nonces}"
        )
    if path in MUST_HAVE_NONCE:
        check(len(nonces) == 1 and INLINE_SCRIPT.search(html) is not None, f"{where}: no CSP nonce")
    check("Traceback" not in html, f"{where}: traceback in the page")


def log_in(phone: str) -> Session:
    s = Session()
    status, headers, html = s.request("GET", "/accounts/login/")
    check_page("/accounts/login/", status, headers, html, "anonymous")
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert m, "no CSRF token on the login page"
    body = urlencode({"csrfmiddlewaretoken": m.group(1), "phone": phone, "password": PASSWORD, "next": ""})
    status, headers, _ = s.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{ORIGIN}/accounts/login/",
            "Origin": ORIGIN,
        },
    )
    check(status == 302 and "sessionid" in s.cookies, f"{phone}: log-in answered {status}")
    return s


def main() -> int:
    started = time.monotonic()
    anon = Session()
    # Plain HTTP (no proxy header) is redirected to HTTPS.
    status, headers, _ = anon.request("GET", "/accounts/login/", tls=False)
    check(status == 301 and headers.get("Location", "").startswith("https://"), f"http: {status} {headers}")

    # Static files: hashed names from the manifest, served by whitenoise with a long cache.
    status, headers, html = anon.request("GET", "/accounts/login/")
    css = re.search(r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"', html)
    check(css is not None, "login page: bootstrap.min.css without a manifest hash")
    if css:
        status, headers, _ = anon.request("GET", css.group(1))
        check(status == 200 and "max-age" in headers.get("Cache-Control", ""), f"static: {status} {headers}")

    pages = 0
    for phone, paths in PERSONAS.items():
        s = log_in(phone)
        for path in paths:
            status, headers, html = s.request("GET", path)
            check_page(path, status, headers, html, phone)
            pages += 1

    token = os.environ["SMOKE_TOKEN"].strip()
    api = Session()
    status, headers, body = api.request(
        "GET", "/api/v1/accounts/me", headers={"Authorization": f"Bearer {token}"}
    )
    check(status == 200 and json.loads(body).get("name"), f"API me: {status} {body[:200]}")
    status, headers, body = api.request(
        "GET", "/api/v1/no-such-endpoint", headers={"Authorization": f"Bearer {token}"}
    )
    check(
        status == 404
        and headers.get("Content-Type", "").startswith("application/json")
        and "detail" in json.loads(body),
        f"API 404: {status} {headers.get('Content-Type')} {body[:200]}",
    )
    status, headers, html = s.request("GET", "/api/v1/docs")  # the last persona's session
    check_page("/api/v1/docs", status, headers, html, "docs")
    check("cdn." not in html and "/static/ninja/" in html, "API docs: not served from our static files")
    status, headers, body = api.request("GET", "/open311/v2/services.json")
    check(status == 200 and isinstance(json.loads(body), list), f"Open311 services: {status} {body[:200]}")

    print(f"{count} requests, {pages} pages as {len(PERSONAS)} personas, {time.monotonic() - started:.1f} s")
    if failures:
        print("FAILED:\n  " + "\n  ".join(failures))
        return 1
    print("all status codes, security headers and CSP nonces as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
