"""Issue 11: each role's queue opens on its busiest non-empty tab, decided from the per-tab
counts the page shows anyway (no extra query)."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.appeals import actions, selectors

QUEUE = reverse("appeals:queue")


def active_tab(response):
    html = response.content.decode()
    active = re.search(r'class="nav-link text-nowrap active bg-party" href="\?tab=(\w+)"', html)
    assert active is not None
    return active.group(1)


def test_a_department_opens_on_its_cases_to_acknowledge_not_an_empty_inbox(world, report, departments, login):
    so = world.street_officer
    unit, liaison = departments["城市管理局"]
    for title in ("路灯不亮", "井盖缺失"):
        actions.dispatch_case(
            actions.accept_case(report(title=title), acting_user=so), to_unit=unit, acting_user=so
        )
    assert active_tab(login(liaison).get(QUEUE)) == "dispatched"


def test_a_dispatcher_opens_on_the_busiest_tab(world, report, login):
    gw = world.grid_worker
    report()
    for title in ("井盖缺失", "树枝折断"):
        actions.accept_case(report(title=title), acting_user=gw)
    client = login(gw)
    assert active_tab(client.get(QUEUE)) == "accepted"  # 2 待派遣 > 1 待受理
    assert active_tab(client.get(QUEUE, {"tab": "submitted"})) == "submitted"  # a chosen tab stays
    # Nobody with nothing to do is sent anywhere odd.
    assert active_tab(login(world.outsider).get(QUEUE)) == "submitted"


def test_choosing_the_tab_costs_no_query(world, report, login):
    report()
    client = login(world.grid_worker)
    client.get(QUEUE)  # warm the session and the caches
    with CaptureQueriesContext(connection) as opened:
        client.get(QUEUE)
    with CaptureQueriesContext(connection) as chosen:
        client.get(QUEUE, {"tab": "submitted"})
    assert len(opened) == len(chosen)


def test_the_rule_itself():
    counts = {"submitted": 0, "accepted": 0, "dispatched": 4, "overdue": 27, "all": 40}
    assert selectors.default_tab(counts) == "overdue"
    assert selectors.default_tab({"dispatched": 3, "handled": 3, "all": 9}) == "dispatched"
    assert selectors.default_tab({"all": 5}) == "all"
    assert selectors.default_tab({}) == "submitted"
