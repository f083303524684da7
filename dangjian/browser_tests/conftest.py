"""Fixtures for the browser tests.

Nothing is skipped: without ``/usr/bin/chromium`` or the vendored static files the tests
fail with a message saying what to install. Every test leaves a screenshot in
``screenshots/<test>.png`` (git-ignored), pass or fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SCREENSHOTS = Path(settings.BASE_DIR) / "screenshots"
VENDOR_PROBE = Path(settings.BASE_DIR) / "dangjian" / "static" / "vendor" / "echarts" / "echarts.min.js"
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"浏览器测试需要 {CHROMIUM}（Debian 的 chromium 包）：apt-get install -y chromium fonts-noto-cjk",
            pytrace=False,
        )
    if not VENDOR_PROBE.exists():
        pytest.fail(
            f"缺少前端静态文件 {VENDOR_PROBE.relative_to(settings.BASE_DIR)}：先运行 `make install`（npm ci 并复制到 static/vendor）",
            pytrace=False,
        )
    # Playwright's sync API runs an event loop in this thread; Django's ORM then refuses to
    # run "in an async context" unless told that this is deliberate. Only for these tests:
    # the rest of the suite keeps Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                yield b
            finally:
                b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _screenshot_name(request: pytest.FixtureRequest) -> Path:
    name = re.sub(r"[^\w\-]+", "_", request.node.name).strip("_")
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


def _context(browser: Browser, viewport: dict[str, int], *, mobile: bool) -> BrowserContext:
    ctx = browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        device_scale_factor=2 if mobile else 1,
        is_mobile=mobile,
        has_touch=mobile,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
    )
    ctx.set_default_timeout(TIMEOUT_MS)
    return ctx


def _page(
    browser: Browser, request: pytest.FixtureRequest, viewport: dict[str, int], *, mobile: bool
) -> Iterator[Page]:
    ctx = _context(browser, viewport, mobile=mobile)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    # Chromium reports what the Content-Security-Policy blocked on the console: any such
    # message fails the test (an inline script without the nonce, an inline handler, eval).
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    try:
        yield page
    finally:
        try:
            page.screenshot(path=str(_screenshot_name(request)), full_page=True)
        finally:
            ctx.close()
    assert violations == [], "内容安全策略（CSP）拦截了页面内容：\n" + "\n".join(violations)


@pytest.fixture
def page(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, transactional_db: Any
) -> Iterator[Page]:
    """A desktop-sized page (1366×900)."""
    yield from _page(browser, request, DESKTOP, mobile=False)


@pytest.fixture
def phone(
    browser: Browser, request: pytest.FixtureRequest, live_server: Any, transactional_db: Any
) -> Iterator[Page]:
    """A phone-sized page (390×844, touch, 2× pixels)."""
    yield from _page(browser, request, PHONE, mobile=True)


@pytest.fixture
def log_in(live_server: Any) -> Any:
    """``log_in(page, user)``: give the browser a session of ``user`` (the log-in form
    itself is tested in ``test_login.py``)."""

    def _log_in(page: Page, user: Any) -> None:
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return _log_in


@pytest.fixture
def snap(request: pytest.FixtureRequest) -> Any:
    """``snap(page, step)``: keep a screenshot of what the viewport shows at one step of a
    longer story as ``screenshots/<test>-<nn>-<step>.png`` (the fixture pages still leave the
    final full-page one). Not full-page: that resizes the window mid-test, and ECharts may
    then throw while re-laying out a geo map ("Cannot read properties of null")."""
    counter = iter(range(1, 100))

    def _snap(page: Page, step: str) -> None:
        base = _screenshot_name(request)
        label = re.sub(r"[^\w\-]+", "_", step).strip("_")
        page.screenshot(path=str(base.with_name(f"{base.stem}-{next(counter):02d}-{label}.png")))

    return _snap


@pytest.fixture
def sign_in(live_server: Any) -> Any:
    """``sign_in(page, phone)``: log in through the real form (phone and the persona password)."""
    from playwright.sync_api import expect

    from dangjian.conftest import PASSWORD

    def _sign_in(page: Page, phone: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("手机号").fill(phone)
        page.get_by_label("密码").fill(password)
        page.get_by_role("button", name="登录").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    return _sign_in


@pytest.fixture
def appeal_categories(transactional_db: Any) -> Any:
    """The seeded category taxonomy. A transactional test flushes the tables afterwards, so
    the rows the migration seeded are gone for every later browser test: seed them again
    (idempotent)."""
    from dangjian.appeals import taxonomy
    from dangjian.appeals.models import Category

    taxonomy.seed(Category)
    return Category.objects


@pytest.fixture
def points_rules(transactional_db: Any) -> Any:
    """The published points rules, seeded by a data migration and flushed by every earlier
    transactional test like the taxonomy above: seed them again (idempotent)."""
    from importlib import import_module

    from django.apps import apps

    from dangjian.points.models import Rule

    import_module("dangjian.points.migrations.0002_seed_rules").seed(apps, None)
    return Rule.objects
