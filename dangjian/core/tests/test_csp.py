"""The Content-Security-Policy allows no inline script but the ones carrying this response's
nonce, and no inline event handler: every template's inline <script> and <style> carries
the nonce, no template has an on…= attribute, and the pages send the matching header."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from dangjian.appeals import actions as appeal_actions
from dangjian.appeals.models import Category

TEMPLATES = sorted(Path(settings.BASE_DIR, "dangjian").rglob("templates/**/*.html"))
INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.I)
HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I)


def test_it_finds_the_templates():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_it_nonces_every_inline_script_and_has_no_inline_handler(path):
    text = path.read_text(encoding="utf-8")
    for match in INLINE.finditer(text):
        attrs = match.group(2)
        if "src=" in attrs or 'type="application/json"' in attrs:
            continue
        assert 'nonce="{{ request.csp_nonce }}"' in attrs, f"{match.group(0)} 缺少 nonce"
    assert not HANDLER.search(text), f"内联事件处理器：{HANDLER.search(text)}"
    assert not JS_URL.search(text), f"javascript: 地址（CSP 不执行）：{JS_URL.search(text)}"


def _policy(response):
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in header.split("; ")}


def test_it_sends_a_strict_script_policy(client, db):
    policy = _policy(client.get(reverse("accounts:login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    for directive in ("script-src", "style-src-elem"):
        assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]


@pytest.fixture
def case(world):
    category = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    return appeal_actions.submit_case(
        channel="resident",
        category=category,
        title="路灯不亮",
        description="门口路灯坏了",
        lng=110.355,
        lat=22.705,
        idempotency_key="csp-1",
        reporter=world.resident_person,
        acting_user=world.resident,
    ).case


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("street_officer", "/territory/"),
        ("admin", "/dispatch/hotspots/"),
        ("admin", "/appeals/figures/"),
        ("admin", "/"),
        ("resident", "/appeals/report/"),
        ("grid_worker", "case"),
    ],
)
def test_it_gives_each_response_its_own_nonce(world, case, login, persona, url):
    if url == "case":
        url = reverse("appeals:case", args=[case.pk])
    nonces = set()
    for _ in range(2):
        response = login(getattr(world, persona)).get(url)
        assert response.status_code == 200
        html = response.content.decode()
        inline = [m.group(2) for m in INLINE.finditer(html) if "src=" not in m.group(2)]
        inline = [a for a in inline if 'type="application/json"' not in a]
        assert inline, "这个页面应有内联脚本"
        (nonce,) = {re.search(r'nonce="([^"]+)"', a).group(1) for a in inline}  # type: ignore[union-attr]
        assert f"'nonce-{nonce}'" in _policy(response)["script-src"]
        nonces.add(nonce)
    assert len(nonces) == 2
