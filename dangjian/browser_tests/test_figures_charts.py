"""积分统计 and 双报到统计 in Chromium (issue 11): on a 390 px phone the pages stay short —
ten groups in each chart and list, the rest behind 展开全部 — and the charts show hostile
community and unit names as text in their tooltips."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.accounts import actions as account_actions
from dangjian.browser_tests.test_chart_xss import EVIL, WATCH, visit
from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions
from dangjian.points import actions as points_actions
from dangjian.service import actions as service_actions
from dangjian.territory import actions as territory_actions
from dangjian.units.actions import create_unit

pytestmark = pytest.mark.browser

GROUPS = 25  # communities and units: the demo city's order of magnitude for one street


def busy_street(world: Any) -> None:
    """25 communities with points awarded and 25 units with in-service members who served;
    the third of each (three hours, so among the ten charted) carries a hostile name."""
    worker = account_actions.create_user(phone="13100000011", password="x", name="桂塘社工", acting_user=None)
    account_actions.assign_role(
        user=worker, role="community_worker", node=world.community_a, acting_user=None
    )
    start = timezone.now() - timedelta(days=3)
    for i in range(GROUPS):
        prefix = EVIL if i == 2 else ""  # among the ten charted (3 hours: the most points)
        community = territory_actions.create_node(
            parent=world.street_a, level="community", name=f"{prefix}测试社区{i:02d}", acting_user=None
        )
        grid = territory_actions.create_node(
            parent=community, level="grid", name=f"测试网格{i:02d}", acting_user=None
        )
        compound = territory_actions.create_node(
            parent=grid, level="compound", name=f"测试小区{i:02d}", acting_user=None
        )
        unit = create_unit(
            name=f"{prefix}测试单位{i:02d}", kind="agency", node=world.community_a, acting_user=None
        )
        person = people_actions.create_person(name=f"党员{i:02d}", home=compound, acting_user=None)
        party_actions.register_member(
            person=person,
            organization=world.branch_a1,
            category="in_service",
            work_unit=unit,
            acting_user=None,
        )
        points_actions.award(rule="wish_fulfilled", person=person, source=compound, acting_user=None)
        rec = service_actions.record_service(
            person=person,
            node=world.community_a,
            title="帮独居老人打扫卫生",
            started_at=start,
            ended_at=start + timedelta(hours=1 + i % 3),
            acting_user=worker,
        )
        service_actions.verify_record(record=rec, acting_user=worker)


def test_the_figures_pages_stay_short_on_a_phone(phone, live_server, world, log_in, points_rules):
    busy_street(world)
    log_in(phone, world.street_officer)
    heights = {}
    for url, more in (("/points/figures/", "#points-more"), ("/service/figures/", "#rates-more")):
        phone.goto(f"{live_server.url}{url}")
        phone.wait_for_function("() => window.echarts && document.querySelector('canvas')")
        heights[url] = phone.evaluate("() => document.documentElement.scrollHeight")
        expect(phone.locator(more)).to_be_hidden()
        phone.get_by_role("button", name="展开全部").first.click()
        expect(phone.locator(more)).to_be_visible()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390, url  # no sideways scroll
    print("figures page heights at 390 px:", heights)
    assert all(h < 3200 for h in heights.values()), heights
    assert phone.js_errors == []


def test_the_figures_charts_show_hostile_names_as_text(page, live_server, world, log_in, points_rules):
    busy_street(world)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(WATCH)
    log_in(page, world.street_officer)
    visit(page, f"{live_server.url}/points/figures/")
    visit(page, f"{live_server.url}/service/figures/")
    assert dialogs == [] and page.js_errors == []
