"""Fixtures for the browser tests.

Nothing is skipped: without ``/usr/bin/chromium`` or the vendored static files the tests
fail with a message saying what to install. Every test leaves a screenshot in
``screenshots/<test>.png`` (git-ignored), pass or fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
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
# The persona screens and the axe report (issue 11): evidence to look at, git-ignored.
SHOTS = Path(os.environ.get("BROWSER_SHOTS_DIR") or Path(settings.BASE_DIR) / "browser-shots")
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


# --- the cast: every persona over one small city, built once per module (issue 11) ---------
# Tests that only look (accessibility, persona screens) share one committed city and one live
# server per module instead of rebuilding the world and flushing it for every test: pytest-
# django's ``live_server`` fixture would pull in ``transactional_db`` (a flush after each
# test), so these modules start their own server. At the module's end the tables are flushed
# exactly as a transactional test leaves them.

# persona key → Chinese label; the keys name the test ids
PERSONAS: dict[str, str] = {
    "resident": "居民",
    "member": "党员",
    "grid_worker": "网格员",
    "community_worker": "社区工作者",
    "street_chief": "街长",
    "department": "职能部门（城管局）",
    "leader": "市/县领导",
    "city_admin": "组织部管理员",
}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@dataclass
class Cast:
    """The live server's address, the world, one user per persona and the objects the
    personas' pages are about (a case at the grid, a case whistled to 城管局, a wish on the
    wall, a shop item)."""

    url: str
    world: Any
    users: dict[str, Any]
    objects: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)

    def log_in(self, page: Page, persona: str) -> None:
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": self.cookies[persona], "url": self.url}]
        )


def build_cast() -> tuple[Any, dict[str, Any], dict[str, Any]]:
    from dangjian.accounts import actions as account_actions
    from dangjian.appeals import actions as appeal_actions
    from dangjian.appeals import taxonomy
    from dangjian.appeals.models import Category
    from dangjian.conftest import PASSWORD, build_world
    from dangjian.needs import actions as need_actions
    from dangjian.points import actions as points_actions
    from dangjian.units.actions import create_unit

    taxonomy.seed(Category)
    import_module("dangjian.points.migrations.0002_seed_rules").seed(django_apps, None)
    w = build_world()

    def staff(phone: str, name: str, role: str, node: Any, unit: Any = None) -> Any:
        u = account_actions.create_user(phone=phone, password=PASSWORD, name=name, acting_user=None)
        account_actions.assign_role(user=u, role=role, node=node, unit=unit, acting_user=None)
        return u

    cgj = create_unit(name="北流市城市管理局", kind="department", node=w.county, acting_user=None)
    users = {
        "resident": w.resident,
        "member": w.member,
        "grid_worker": w.grid_worker,
        "community_worker": staff("13000000013", "桂塘社区干事", "community_worker", w.community_a),
        "street_chief": staff("13000000012", "陵城街长", "street_chief", w.street_a),
        "department": staff("13000000014", "城管局联络员", "department", w.county, cgj),
        "leader": staff("13000000011", "市领导", "leader", w.county),
        "city_admin": w.admin,
    }
    assert set(users) == set(PERSONAS)

    category = Category.objects.filter(level=3, enterprise=False, active=True).order_by("code").first()

    def case(title: str, description: str, key: str) -> Any:
        return appeal_actions.submit_case(
            channel="resident",
            category=category,
            title=title,
            description=description,
            lng=110.355,
            lat=22.705,
            idempotency_key=key,
            reporter=w.resident_person,
            acting_user=w.resident,
        ).case

    gw = w.grid_worker
    at_grid = case("小区门口路灯不亮", "东湖一号小区南门口的路灯坏了三天，晚上很黑", "cast-1")
    at_grid = appeal_actions.accept_case(at_grid, acting_user=gw)
    at_grid = appeal_actions.dispatch_case(at_grid, to_node=w.grid_a1, acting_user=gw)
    to_rate = case("楼道堆放杂物", "3栋楼道堆满纸箱，存在消防隐患", "cast-2")
    to_rate = appeal_actions.accept_case(to_rate, acting_user=gw)
    to_rate = appeal_actions.dispatch_case(to_rate, to_node=w.grid_a1, acting_user=gw)
    to_rate = appeal_actions.acknowledge_case(to_rate, acting_user=gw)
    to_rate = appeal_actions.feedback_case(to_rate, result="已清理楼道杂物", acting_user=gw)
    to_rate = appeal_actions.verify_case(to_rate, passed=True, acting_user=w.street_officer)
    whistled = case("小区门口占道违建", "东湖一号小区门口有人搭建铁皮棚占用人行道", "cast-3")
    whistled = appeal_actions.accept_case(whistled, acting_user=gw)
    whistled = appeal_actions.escalate_case(whistled, reason="网格无法解决", acting_user=gw)
    whistled = appeal_actions.escalate_case(whistled, reason="社区上报街道", acting_user=w.street_officer)
    appeal_actions.whistle_case(
        whistled,
        summons=[appeal_actions.Summons(department=cgj, duty="拆除占道铁皮棚")],
        reason="占道违建需城管处置",
        acting_user=w.street_officer,
    )

    wish = need_actions.submit_need(
        kind="wish", title="想要一台收音机听粤剧", beneficiary=w.resident_person, acting_user=w.resident
    )
    wish = need_actions.publish_need(wish, acting_user=w.street_officer)
    waiting = need_actions.submit_need(
        kind="wish", title="希望有人陪老人去医院复诊", beneficiary=w.resident_person, acting_user=w.resident
    )
    item = points_actions.create_item(shop=w.community_a, name="洗衣液", cost=10, stock=5, acting_user=None)
    objects = {
        "case_at_grid": at_grid,
        "case_to_rate": to_rate,
        "case_whistled": whistled,
        "wish": wish,
        "wish_waiting": waiting,
        "item": item,
    }
    return w, users, objects


@pytest.fixture(scope="module")
def cast(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Cast]:
    """The personas' city and a live server for it, built once per module (see above)."""
    from django.core.management import call_command
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers):
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            w, users, objects = build_cast()
            cookies = {}
            for key, user in users.items():
                client = Client()
                client.force_login(user)
                cookies[key] = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield Cast(url=server.url, world=w, users=users, objects=objects, cookies=cookies)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)


# --- axe-core (issue 11): WCAG 2 A/AA rules, from node_modules, never a CDN -----------------
AXE_JS = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")  # the impacts that fail a page
_AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                              summary: n.failureSummary}))})))"""


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's WCAG 2 A/AA violations of what ``page`` shows now. The engine goes in
    through the DevTools protocol (``evaluate``), which the page's Content-Security-Policy
    does not govern; a ``<script>`` tag would be refused by it, as it should be."""
    if not AXE_JS.exists():
        pytest.fail(
            f"缺少 {AXE_JS.relative_to(settings.BASE_DIR)}：先运行 `make install`（npm ci）", pytrace=False
        )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_AXE_RUN, AXE_TAGS)


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [where]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} 处)")
        for n in v["nodes"][:4]:
            why = n["summary"].splitlines()[-1].strip()  # e.g. the two colours and their ratio
            lines.append(f"      {n['target']}  {n['html']}\n        {why}")
    return "\n".join(lines)
