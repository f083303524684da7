"""Work-first home pages in Chromium (issue 11): on a 390 px phone and a 1366 px desktop
each page fits the width, a to-do card leads to the list it counts, and the leader's
30-day trend is drawn."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from dangjian.appeals import actions as appeal_actions
from dangjian.appeals.models import Category

pytestmark = pytest.mark.browser


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"页面比屏幕宽：{width}px"  # type: ignore[index]


def closed_case(world: Any) -> None:
    """One case of the resident's, handled and closed, waiting for the resident's rating."""
    category = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    gw = world.grid_worker
    case = appeal_actions.submit_case(
        channel="resident",
        category=category,
        title="路灯不亮",
        description="东湖一号小区门口路灯坏了三天",
        lng=110.355,
        lat=22.705,
        idempotency_key="browser-home-1",
        reporter=world.resident_person,
        acting_user=world.resident,
    ).case
    case = appeal_actions.dispatch_case(
        appeal_actions.accept_case(case, acting_user=gw), to_user=gw, acting_user=gw
    )
    case = appeal_actions.acknowledge_case(case, acting_user=gw)
    case = appeal_actions.feedback_case(case, result="已更换灯泡", acting_user=gw)
    appeal_actions.verify_case(case, passed=True, acting_user=world.street_officer)


def test_the_resident_follows_the_rating_card_on_a_phone(
    phone, live_server, world, log_in, appeal_categories
):
    closed_case(world)
    log_in(phone, world.resident)
    phone.goto(live_server.url + "/")
    card = phone.locator('[data-todo="appeals:rate"]')
    expect(card).to_have_attribute("data-count", "1")
    fits(phone)
    card.click()
    expect(phone).to_have_url(f"{live_server.url}/appeals/mine/?show=rate")
    expect(phone.get_by_text("路灯不亮")).to_be_visible()
    expect(phone.get_by_text("待您评价")).to_be_visible()


@pytest.mark.parametrize("size", ["phone", "page"])
def test_the_leader_sees_the_rates_and_the_trend(
    request, size, live_server, world, log_in, appeal_categories
):
    page = request.getfixturevalue(size)
    closed_case(world)
    log_in(page, world.admin)
    page.goto(live_server.url + "/")
    expect(page.locator('[data-rate="resolution"]')).to_contain_text("100.0")
    expect(page.locator("#trend-chart canvas")).to_have_count(1)
    fits(page)
    assert page.js_errors == []


def test_the_grid_worker_opens_the_queue_tab_it_counts(phone, live_server, world, log_in, appeal_categories):
    closed_case(world)
    log_in(phone, world.grid_worker)
    phone.goto(live_server.url + "/")
    fits(phone)
    phone.locator('[data-todo="appeals:submitted"]').click()
    expect(phone).to_have_url(f"{live_server.url}/appeals/staff/?tab=submitted")
    expect(phone.get_by_text("暂无诉求")).to_be_visible()
