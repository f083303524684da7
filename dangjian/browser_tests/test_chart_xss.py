"""Stored XSS through chart tooltips and maps (issue 10): every chart and map template is
rendered with hostile names and titles — a case title, grid, street and county names,
category names, a hotspot built from hostile titles — and every tooltip is shown. The text
must appear literally (escaped by dj.esc or ECharts' own encoding), no <img> element may be
created, no dialog open, and the Content-Security-Policy must not have had to block anything:
the escaping holds by itself."""

from __future__ import annotations

import math
from typing import Any

import pytest
from playwright.sync_api import Page

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions as appeal_actions
from dangjian.appeals.models import Category
from dangjian.dispatch import actions as dispatch_actions
from dangjian.people import actions as people_actions
from dangjian.territory import actions as territory_actions

pytestmark = pytest.mark.browser

EVIL = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
LITERAL = "<img src=x onerror="

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""

# Show the tooltip of every data item of every series of every chart on the page, and
# return what each tooltip said (its text, as the user reads it).
SHOW_EVERY_TIP = """
async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const texts = [];
  for (const el of document.querySelectorAll('div')) {
    const chart = echarts.getInstanceByDom(el);
    if (!chart) continue;
    const series = chart.getModel().getSeries();
    for (const s of series) {
      const n = Math.min(s.getData().count(), 50);
      for (let i = 0; i < n; i++) {
        chart.dispatchAction({ type: 'showTip', seriesIndex: s.seriesIndex, dataIndex: i });
        await frame();
        texts.push(el.innerText);
      }
    }
  }
  return texts;
}
"""


def hostile_world(world: Any) -> Any:
    """Hostile names on the tree, the category path and five nearby case titles (a hotspot)."""
    for node, name in (
        (world.grid_a1, "桂塘第一网格"),
        (world.street_a, "陵城街道"),
        (world.county, "北流市"),
    ):
        territory_actions.update_node(node, name=EVIL + name, acting_user=None)
    lamp = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    assert lamp is not None and lamp.parent is not None
    for c in (lamp, lamp.parent, lamp.parent.parent):
        if c is not None:
            Category.objects.filter(pk=c.pk).update(name=EVIL + c.name)  # names are edited in the admin
    metres = 180 / (math.pi * 6_371_000)
    cases = []
    for i in range(5):
        phone = f"1380000300{i}"
        person = people_actions.create_person(
            name=f"居民{i}", home=world.compound_a1, phone=phone, acting_user=None
        )
        user = account_actions.create_user(
            phone=phone, password="Res#2026xx", name=f"居民{i}", person=person, acting_user=None
        )
        cases.append(
            appeal_actions.submit_case(
                channel="resident",
                category=Category.objects.get(pk=lamp.pk),
                title=EVIL + "路灯不亮",
                description="东湖一号小区门口一排路灯晚上全黑好几天了",
                lng=110.355,
                lat=22.705 + 15 * i * metres,
                idempotency_key=f"xss-{i}",
                reporter=person,
                acting_user=user,
            ).case
        )
    assert dispatch_actions.recompute_hotspots(acting_user=None), "五件相近的诉求应形成热点"
    return cases[0]


def visit(page: Page, url: str, *, min_tips: int = 1, names_in_tips: bool = True) -> list[str]:
    page.goto(url)
    page.wait_for_function("() => window.echarts && document.querySelector('canvas')")
    page.wait_for_load_state("networkidle")  # the maps fetch their GeoJSON
    texts = page.evaluate(SHOW_EVERY_TIP)
    assert len(texts) >= min_tips, f"{url}: 没有显示任何提示框"
    if names_in_tips:
        assert any(LITERAL in t for t in texts), f"{url}: 提示框中没有出现转义后的原文"
    else:  # the chart is about dates and rates; the names stand beside it as text
        assert LITERAL in page.inner_text("main"), f"{url}: 页面中没有出现转义后的原文"
    assert page.evaluate("() => document.querySelectorAll('img[src=\"x\"]').length") == 0, url
    assert page.evaluate("() => window.__xss || 0") == 0, url
    assert page.evaluate("() => window.__csp") == [], url
    return texts


def test_it_shows_hostile_names_as_text_in_every_chart_and_map(
    page, live_server, world, log_in, appeal_categories
):
    case = hostile_world(world)
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.add_init_script(WATCH)

    log_in(page, world.admin)
    base = live_server.url
    visit(page, f"{base}/appeals/staff/case/{case.pk}/")  # the case marker (title)
    visit(page, f"{base}/dispatch/hotspots/")  # the hotspot built from the titles
    visit(page, f"{base}/territory/")  # grid names on the territory map
    visit(page, f"{base}/territory/{world.grid_a1.pk}/")
    visit(page, f"{base}/appeals/figures/")  # county/street names, category pie
    # The leader's home: a 30-day trend chart, and the areas ranked beside it.
    visit(page, f"{base}/", names_in_tips=False)

    log_in(page, world.resident)
    visit(page, f"{base}/appeals/report/")  # grid names on the residents' pick map

    assert dialogs == [] and page.js_errors == []
