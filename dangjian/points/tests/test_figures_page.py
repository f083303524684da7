"""积分统计: a period (近30天 by default), charts of the top communities and the rules, every
community in a table folded after ten, and an Excel export of the same tables."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.points import actions
from dangjian.territory import actions as territory_actions


@pytest.fixture
def economy(world: Any, community_worker: Any) -> Any:
    """桂塘社区: 2 awards of 20 to one member, 3 hours of service, one order of 30 points."""
    for source in (world.compound_a1, world.grid_a1):
        actions.award(rule="wish_fulfilled", person=world.member_person, source=source, acting_user=None)
    actions.earn_hours(person=world.member_person, hours=3, source=world.compound_a1, acting_user=None)
    item = actions.create_item(
        shop=world.community_a, name="大米 5kg", cost=30, stock=2, acting_user=community_worker
    )
    return actions.redeem(person=world.member_person, item=item, acting_user=world.member)


def _chart(html: str) -> Any:
    start = html.index('<script id="points-figures-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_it_opens_on_the_last_30_days_with_charts_data(world, login, economy, django_assert_max_num_queries):
    client = login(world.street_officer)
    with django_assert_max_num_queries(14):
        r = client.get("/points/figures/")
    assert r.status_code == 200
    today = timezone.localdate()
    period = r.context["period"]
    assert (period.start, period.end, period.preset) == (today - timedelta(days=29), today, "last30")
    html = r.content.decode()
    assert "近30天" in html and "echarts.min.js" in html and 'id="communities-chart"' in html
    chart = _chart(html)
    assert chart["communities"] == {
        "names": ["桂塘社区"],
        "awarded": [40.0],
        "redeemed": [30.0],
        "hours": [3.0],
    }
    assert chart["rules"] == [{"name": "圆梦微心愿", "value": 40.0}]
    (row,) = r.context["rows"]
    assert (row.awarded, row.awards, row.earners, row.redeemed, row.hours, row.orders, row.open_orders) == (
        40,
        2,
        1,
        30,
        3,
        1,
        1,
    )
    assert "城南社区" not in html  # another street's community stays out of scope


def test_the_export_holds_what_the_page_shows(world, login, economy):
    client = login(world.street_officer)
    page = client.get("/points/figures/?range=month")
    r = client.get("/points/figures/?range=month&export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    ws = wb["社区积分统计"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    shown = page.context["rows"]
    assert [row[0] for row in rows] == [s.community.name for s in shown] == ["桂塘社区"]
    assert rows[0][:7] == ("桂塘社区", 40, 2, 1, 30, 0, 3)
    rules = list(wb["按规则发放"].iter_rows(min_row=2, values_only=True))
    assert [(name, n, points) for name, n, points in rules] == [
        (r["name"], r["awards"], float(r["points"])) for r in page.context["by_rule"]
    ]
    assert rules[0][1:] == (2, 40)


def test_an_older_year_link_still_gives_that_year(world, login, economy):
    r = login(world.street_officer).get("/points/figures/?year=2020")
    assert r.status_code == 200 and r.context["period"].label == "2020-01-01 至 2020-12-31"
    assert r.context["rows"][0].awarded == 0


def test_it_folds_the_table_after_ten_communities(world, login, economy):
    for i in range(10):
        territory_actions.create_node(
            parent=world.street_a, level="community", name=f"新社区{i:02d}", acting_user=None
        )
    r = login(world.street_officer).get("/points/figures/")
    html = r.content.decode()
    assert len(r.context["top_rows"]) == 10 and len(r.context["more_rows"]) == 1
    assert r.context["top_rows"][0].community == world.community_a  # most points first
    assert "展开全部（另有 1 个社区）" in html and 'id="points-more"' in html
    assert len(_chart(html)["communities"]["names"]) == 10
