"""The fourth core flow of issue 11: from the staff queue's default tab, a whole case number
typed into the search box jumps to that case, whichever tab it sits in; a number the user
cannot see finds nothing. On a phone and on a desktop, over the module's shared ``cast``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from dangjian.browser_tests.conftest import VIEWPORTS, Cast, _context

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("screen", list(VIEWPORTS))
def test_it_jumps_from_the_default_tab_to_a_case_by_its_number(
    browser: Browser, cast: Cast, screen: str
) -> None:
    closed = cast.objects["case_to_rate"]  # 已办结待评价: listed only under 全部
    ctx = _context(browser, VIEWPORTS[screen], mobile=screen == "phone")
    errors: list[str] = []
    try:
        page = ctx.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        cast.log_in(page, "grid_worker")
        page.goto(f"{cast.url}/appeals/staff/")
        tab = page.locator("[data-tab][aria-current='page']")
        expect(tab).to_have_count(1)
        assert tab.get_attribute("data-tab") != "all"  # opened on a working tab, not 全部
        expect(page.locator("#queue-list")).not_to_contain_text(closed.number)

        box = page.get_by_label("编号或标题")
        box.press_sequentially("BL-20990101-9999")  # no such case: the list says so, the page stays
        expect(page.locator("#queue-list")).to_contain_text("暂无诉求")
        expect(page).to_have_url(re.compile(r"/appeals/staff/"))
        box.fill(closed.number)
        box.press("Enter")
        expect(page).to_have_url(f"{cast.url}/appeals/staff/case/{closed.pk}/")
        expect(page.locator("h1")).to_contain_text(closed.title)
        assert errors == []
    finally:
        ctx.close()


def test_it_opens_a_departments_queue_on_its_whistles(browser: Browser, cast: Cast) -> None:
    """城管局 has nothing to accept; its queue opens where its work is: the whistled case."""
    whistled = cast.objects["case_whistled"]
    ctx = _context(browser, VIEWPORTS["desktop"], mobile=False)
    try:
        page = ctx.new_page()
        cast.log_in(page, "department")
        page.goto(f"{cast.url}/appeals/staff/")
        expect(page.locator("[data-tab][aria-current='page']")).to_have_attribute("data-tab", "whistle")
        row = page.locator("#queue-list").get_by_text(whistled.title).filter(visible=True)
        expect(row).to_have_count(1)
        box = row.bounding_box()  # a click on the title, not the number: the whole row is a link
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        expect(page).to_have_url(f"{cast.url}/appeals/staff/case/{whistled.pk}/")
    finally:
        ctx.close()
