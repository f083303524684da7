"""Hotspots: clustering by problem domain, distance and text; the heat index and its
ordering; the whistle suggestion; the page, the API and the command."""

import datetime as dt
import io
import math

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions as appeals_actions
from dangjian.dispatch import actions, hotspots
from dangjian.dispatch import similarity as sim
from dangjian.dispatch.models import Hotspot
from dangjian.dispatch.tests.conftest import LAT, cat
from dangjian.people import actions as people_actions

M_LAT = math.pi * sim.EARTH_RADIUS_M / 180


def north(metres):
    return LAT + metres / M_LAT


def test_the_heat_index_counts_reporters_support_days_and_recency():
    base = hotspots.heat_index(reporters=3, support=0, active_days=1, days_since_last=0)
    assert base == 7
    assert hotspots.heat_index(reporters=4, support=0, active_days=1, days_since_last=0) > base
    assert hotspots.heat_index(reporters=3, support=2, active_days=1, days_since_last=0) > base
    assert hotspots.heat_index(reporters=3, support=0, active_days=3, days_since_last=0) > base
    assert hotspots.heat_index(reporters=3, support=0, active_days=1, days_since_last=7) == base / 2


@pytest.fixture
def residents(world):
    """Five more residents of grid A1 with accounts (distinct reporters)."""
    out = []
    for i in range(5):
        person = people_actions.create_person(
            name=f"居民{i}", home=world.compound_a1, phone=f"1380000200{i}", acting_user=None
        )
        user = account_actions.create_user(
            phone=f"1380000200{i}", password="Res#2026xx", name=f"居民{i}", person=person, acting_user=None
        )
        out.append((person, user))
    return out


def flood(report, residents, n, *, title, text, category=None, lat=LAT, dlat=15):
    cases = []
    for i in range(n):
        person, user = residents[i % len(residents)]
        kw = {"category": category} if category else {}
        cases.append(
            report(
                title=title,
                description=text,
                lat=north(i * dlat) if lat == LAT else lat,
                reporter=person,
                acting_user=user,
                **kw,
            )
        )
    return cases


def test_it_clusters_the_same_problem_and_ranks_by_heat(world, report, residents):
    lamps = flood(report, residents, 5, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    garbage = flood(
        report,
        residents,
        3,
        title="垃圾没人清运",
        text="东湖一号小区旁边垃圾桶满了三天没人清运很臭",
        category=cat("城乡建设", "城市建设和市政管理", "环境卫生"),
    )
    report(title="楼上漏水", description="卫生间漏水协商不成", category=cat("政法"))  # alone: no hotspot
    spots = actions.recompute_hotspots(days=30)
    assert len(spots) == 2
    top, second = Hotspot.objects.order_by("-heat")
    assert {m.case_id for m in top.members.all()} == {c.pk for c in lamps}
    assert {m.case_id for m in second.members.all()} == {c.pk for c in garbage}
    assert top.cases == 5 and top.reporters == 5 and top.active_days == 1 and top.heat == 11
    assert second.reporters == 3 and second.heat == 7
    assert top.grid == world.grid_a1 and top.lead_case_id == lamps[0].pk


def test_far_apart_or_other_domains_do_not_cluster(world, report, residents):
    flood(report, residents, 3, title="路灯不亮", text="路灯晚上全黑", dlat=600)  # 600 m apart each
    assert actions.recompute_hotspots(days=30) == []


def test_support_counts_followers_and_merged_duplicates(world, report, residents):
    cases = flood(report, residents, 3, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    appeals_actions.follow_case(cases[0], acting_user=world.member)
    appeals_actions.merge_cases(cases[2], into=cases[0], acting_user=world.grid_worker)
    [spot] = actions.recompute_hotspots(days=30)
    assert spot.support == 2 and spot.heat == 2 * 3 + 2 + 1


def test_a_hotspot_across_departments_or_hot_enough_suggests_a_whistle(world, report, residents, departments):
    cases = flood(report, residents, 3, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    [spot] = actions.recompute_hotspots(days=30)
    assert not spot.suggests_whistle
    for case, dept in zip(cases[:2], ("城市管理局", "环境卫生管理站"), strict=True):
        case = appeals_actions.accept_case(case, acting_user=world.grid_worker)
        appeals_actions.dispatch_case(case, to_unit=departments[dept][0], acting_user=world.grid_worker)
    [spot] = actions.recompute_hotspots(days=30)
    assert spot.departments == 2 and spot.suggests_whistle and "涉及 2 个部门" in spot.whistle_reason
    assert spot.lead_case_id == cases[0].pk  # the earliest open case


def test_heat_halves_with_a_week_without_reports(world, report, residents):
    flood(report, residents, 3, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    [now] = actions.recompute_hotspots(days=30)
    [later] = actions.recompute_hotspots(days=30, today=timezone.localdate() + dt.timedelta(days=7))
    assert later.heat == now.heat / 2


def test_the_page_api_and_command_are_scoped(world, report, residents, login):
    flood(report, residents, 3, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    out = io.StringIO()
    call_command("hotspots", "--days", "30", stdout=out)
    assert "热点问题 1 个" in out.getvalue()
    html = login(world.street_officer).get(reverse("dispatch:hotspots")).content.decode()
    assert "路灯不亮" in html and "热度指数" in html and "反映人数" in html
    assert "路灯不亮" not in login(world.outsider).get(reverse("dispatch:hotspots")).content.decode()
    assert login(world.resident).get(reverse("dispatch:hotspots")).status_code == 404
    assert [h["title"] for h in login(world.grid_worker).get("/api/v1/dispatch/hotspots").json()] == [
        "路灯不亮"
    ]
    assert login(world.outsider).get("/api/v1/dispatch/hotspots").json() == []


def test_the_staff_home_page_shows_the_hottest_problems_in_scope(world, report, residents, login):
    flood(report, residents, 3, title="路灯不亮", text="东湖一号小区门口一排路灯晚上全黑好几天了")
    actions.recompute_hotspots(days=30)
    page = login(world.street_officer).get("/").content.decode()
    assert 'id="hotspots-card"' in page and "路灯不亮" in page and "3 人反映" in page
    outside = (
        login(world.outsider).get("/").content.decode()
    )  # street B sees the card, not street A's hotspot
    assert 'id="hotspots-card"' in outside and "3 人反映" not in outside
