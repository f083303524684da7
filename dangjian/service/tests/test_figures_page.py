"""双报到统计 page: one grouping at a time, 近30天 of service hours by default, charts of the
first ten groups, lists folded after ten, and an Excel export of what the page shows."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.service import actions
from dangjian.service.tests.conftest import ago
from dangjian.units.actions import create_unit


@pytest.fixture
def served(registered: Any, record: Any) -> Any:
    """Two verified services by 覃志刚: 3 days ago (inside 近30天) and 40 days ago (outside)."""
    for days in (3, 40):
        rec = record(
            person=registered.colleague.person, acting_user=registered.colleague_user, start=ago(days=days)
        )
        actions.verify_record(record=rec, acting_user=registered.worker)
    return registered


def _chart(html: str) -> Any:
    start = html.index('<script id="service-figures-data" type="application/json">')
    return json.loads(html[start:].split(">", 1)[1].split("</script>", 1)[0])


def test_it_opens_on_the_last_30_days_by_unit_with_charts_data(
    world, login, served, django_assert_max_num_queries
):
    client = login(world.street_officer)
    with django_assert_max_num_queries(14):
        r = client.get("/service/figures/")
    assert r.status_code == 200
    today = timezone.localdate()
    period = r.context["period"]
    assert (period.start, period.end, period.preset, r.context["by"]) == (
        today - timedelta(days=29),
        today,
        "last30",
        "unit",
    )
    html = r.content.decode()
    assert "近30天" in html and 'id="rates-chart"' in html and 'id="hours-chart"' in html
    chart = _chart(html)
    assert chart["rates"] == {"names": ["北流市财政局"], "values": [100.0]}
    assert chart["hours"] == {"names": ["北流市财政局"], "values": [2.0]}  # the 40-day-old service is out
    r = client.get(
        "/service/figures/?range=custom&start="
        + f"{today - timedelta(days=60):%Y-%m-%d}&end={today:%Y-%m-%d}"
    )
    assert _chart(r.content.decode())["hours"]["values"] == [4.0]


def test_it_switches_the_grouping_and_keeps_the_period(world, login, served):
    r = login(world.street_officer).get("/service/figures/?by=community&range=year")
    assert r.context["by"] == "community" and r.context["period"].preset == "year"
    assert _chart(r.content.decode())["hours"]["names"] == ["桂塘社区"]
    html = r.content.decode()
    assert "by=unit&amp;range=year" in html and 'name="by" value="community"' in html


def test_an_older_month_link_still_gives_that_month(world, login, served):
    day = ago(days=40).date()
    r = login(world.street_officer).get(f"/service/figures/?month={day:%Y-%m}")
    assert r.context["period"].start == day.replace(day=1)
    assert r.context["hours"][0].hours == Decimal("2.0")


def test_the_export_holds_what_the_page_shows(world, login, served):
    client = login(world.street_officer)
    page = client.get("/service/figures/")
    r = client.get("/service/figures/?export=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert wb.sheetnames == ["报到率按单位", "服务时长按单位"]
    rates = list(wb["报到率按单位"].iter_rows(min_row=2, values_only=True))
    assert rates[:-1] == [(x.name, x.total, x.registered, float(x.rate)) for x in page.context["rates"]]
    overall = page.context["overall"]
    assert rates[-1] == ("合计", overall.total, overall.registered, float(overall.rate))
    hours = list(wb["服务时长按单位"].iter_rows(min_row=2, values_only=True))
    assert hours == [("北流市财政局", 1, 1, 2)]


def test_it_folds_the_lists_after_ten_groups(world, login, served):
    from dangjian.party import actions as party_actions
    from dangjian.people import actions as people_actions

    for i in range(10):
        unit = create_unit(name=f"测试单位{i:02d}", kind="agency", node=world.community_a, acting_user=None)
        p = people_actions.create_person(name=f"党员{i}", home=world.compound_a1, acting_user=None)
        party_actions.register_member(
            person=p, organization=world.branch_a1, category="in_service", work_unit=unit, acting_user=None
        )
    r = login(world.street_officer).get("/service/figures/")
    html = r.content.decode()
    assert (
        len(r.context["rates"]) == 11 and r.context["rates"][0].name == "北流市财政局"
    )  # most members first
    assert len(_chart(html)["rates"]["names"]) == 10
    assert 'id="rates-more"' in html and "展开全部（另有 1 个）" in html
    assert 'id="hours-more"' not in html


def test_a_unit_liaison_sees_the_page_and_a_resident_does_not(world, login, served):
    assert login(served.unit_admin).get("/service/figures/").status_code == 200
    assert login(world.resident).get("/service/figures/").status_code == 404
