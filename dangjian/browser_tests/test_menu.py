"""The menu in a real browser: folding groups in the phone's drawer, every group open in the
desktop sidebar, and the bottom tab bar only for people on foot and only on a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_street_officer_opens_a_folded_group_on_a_phone(
    phone: Any, live_server: Any, world: Any, log_in: Any, snap: Any
) -> None:
    log_in(phone, world.street_officer)
    phone.goto(f"{live_server.url}/")
    menu = phone.get_by_role("navigation", name="主菜单")
    expect(menu).to_be_hidden()  # in the drawer until the menu button is pressed
    expect(phone.get_by_role("navigation", name="底部导航")).to_have_count(0)
    phone.get_by_role("button", name="菜单").click()
    expect(menu).to_be_visible()
    queue = menu.get_by_role("link", name="诉求办理")
    expect(queue).to_be_hidden()  # 办理 is folded on the home page
    menu.get_by_role("button", name="办理").click()
    expect(queue).to_be_visible()
    snap(phone, "办理展开")
    queue.click()
    expect(phone).to_have_url(re.compile(r"/appeals/staff/"))
    phone.get_by_role("button", name="菜单").click()
    expect(menu.get_by_role("link", name="诉求办理")).to_have_attribute("aria-current", "page")
    assert phone.js_errors == []


def test_a_resident_has_a_bottom_tab_bar_on_a_phone(
    phone: Any, live_server: Any, world: Any, log_in: Any
) -> None:
    log_in(phone, world.resident)
    phone.goto(f"{live_server.url}/")
    bar = phone.get_by_role("navigation", name="底部导航")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("link")).to_have_count(5)
    box = bar.bounding_box()
    assert box is not None and abs(box["y"] + box["height"] - 844) < 2  # fixed at the bottom
    bar.get_by_role("link", name="心愿").click()
    expect(phone).to_have_url(re.compile(r"/needs/"))
    assert phone.js_errors == []


def test_the_desktop_sidebar_shows_every_group_and_no_tab_bar(
    page: Any, live_server: Any, world: Any, log_in: Any
) -> None:
    log_in(page, world.grid_worker)
    page.goto(f"{live_server.url}/")
    menu = page.get_by_role("navigation", name="主菜单")
    expect(menu).to_be_visible()
    for label in ("诉求办理", "诉求统计", "居民", "我的积分"):
        expect(menu.get_by_role("link", name=label)).to_be_visible()
    expect(page.get_by_role("navigation", name="底部导航")).to_be_hidden()
    expect(page.get_by_role("button", name="菜单")).to_be_hidden()
    assert page.js_errors == []
