"""What each persona meets first: the home page and the menu on a 390 px phone and a 1366 px
desktop (issue 11). The screenshots go to ``$BROWSER_SHOTS_DIR`` (default ``browser-shots/``)
as ``<persona>-<screen>-home.png`` and ``…-menu.png``: the evidence to look at.

The menu is found by role, not by markup: the main menu ``<nav aria-label="主菜单">`` when the
page has one, else the side menu of the older layout; when it is not on screen, the button
named 菜单 opens it. So the test holds across a rewrite of the menu.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from dangjian.browser_tests.conftest import PERSONAS, SHOTS, VIEWPORTS, Cast, _context

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

MENUS = ("nav[aria-label='主菜单']", "#sideMenu", "aside.sidebar")  # newest layout first
TAB_BAR = "nav[aria-label='底部导航']"


def visible_menu(page: Page) -> Locator | None:
    for selector in MENUS:
        menu = page.locator(f"{selector}:visible")
        if menu.count() and menu.first.get_by_role("link").count():
            return menu.first
    return None


def open_menu(page: Page) -> Locator:
    menu = visible_menu(page)
    if menu is None:
        page.get_by_role("button", name=re.compile("菜单")).first.click()
        page.wait_for_function(
            "sels => sels.some(s => [...document.querySelectorAll(s)].some("
            " el => el.checkVisibility() && el.querySelector('a[href]')"
            " && !el.classList.contains('showing')))",
            arg=list(MENUS),
        )
        menu = visible_menu(page)
    assert menu is not None, "找不到菜单"
    return menu


@pytest.mark.parametrize("screen", list(VIEWPORTS))
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_shows_the_home_page_and_the_menu(browser: Browser, cast: Cast, persona: str, screen: str) -> None:
    ctx = _context(browser, VIEWPORTS[screen], mobile=screen == "phone")
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        cast.log_in(page, persona)
        page.goto(cast.url + "/")
        expect(page).to_have_url(cast.url + "/")
        expect(page.locator("main").get_by_role("heading").first).to_be_visible()
        page.wait_for_load_state("load")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{persona}-{screen}-home.png"), full_page=True)
        # Nothing sticks out sideways: a phone never scrolls horizontally.
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[screen]["width"], f"页面宽 {width}px，超出屏幕"

        tab_bar = page.locator(f"{TAB_BAR}:visible")
        if tab_bar.count():  # the phone's bottom tab bar: a handful of entries, each a link
            assert 2 <= tab_bar.get_by_role("link").count() <= 5

        menu = open_menu(page)
        links = menu.get_by_role("link")
        # On a phone a long menu folds its groups: the visible entries are then 首页 and the
        # group headers that open the rest.
        entries = links.count() + menu.get_by_role("button").count()
        assert entries >= 2, "菜单里几乎没有入口"
        names = [n.strip() for n in links.all_inner_texts()]
        assert any("首页" in n for n in names), names
        hrefs = [links.nth(i).get_attribute("href") or "" for i in range(links.count())]
        assert all(h.startswith("/") and not h.startswith("//") for h in hrefs), hrefs
        page.screenshot(path=str(SHOTS / f"{persona}-{screen}-menu.png"))
        assert errors == []
    finally:
        ctx.close()
