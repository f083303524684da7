"""The case page: scope, the action panel (exactly the allowed events), the logged phone reveal."""

import re

import pytest
from django.urls import reverse

from dangjian.appeals import actions, workflow
from dangjian.appeals.access import actor_kinds
from dangjian.core.models import RevealLog


def panel_events(response):
    html = response.content.decode()
    panel = html.split('id="action-panel"', 1)[1].split('id="timeline"', 1)[0]
    return [e for e in re.findall(r'data-event="(\w+)"', panel) if e != "progress"]


def expected(user, case):
    case.refresh_from_db()
    kinds = actor_kinds(user, case)
    return [e for e in workflow.events_from(case.status) if workflow.allowed_actors(case.status, e) & kinds]


def test_it_shows_the_case_inside_the_scope_only(world, report, login):
    case = report(contact_phone="13812345678")
    url = reverse("appeals:case", args=[case.pk])
    r = login(world.grid_worker).get(url)
    assert r.status_code == 200
    html = r.content.decode()
    assert case.title in html and "138****5678" in html and "13812345678" not in html
    assert "李*" in html  # the reporter's name is masked
    for user in (world.outsider, world.resident):
        assert login(user).get(url).status_code == 404
    assert login(world.grid_worker).get(reverse("appeals:case", args=[999999])).status_code == 404


def test_it_says_anonymous_for_anonymous_reports(world, report, login):
    case = report(anonymous=True, reporter=None)
    html = login(world.grid_worker).get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert "匿名" in html and "李*" not in html


@pytest.mark.parametrize("stage", ["submitted", "accepted", "dispatched", "in_progress", "handled"])
def test_it_offers_exactly_the_allowed_events(world, report, departments, login, stage):
    gw, so = world.grid_worker, world.street_officer
    cg, cg_user = departments["城市管理局"]
    case = report()
    if stage != "submitted":
        case = actions.accept_case(case, acting_user=gw)
    if stage in ("dispatched", "in_progress", "handled"):
        case = actions.dispatch_case(case, to_unit=cg, acting_user=gw)
    if stage in ("in_progress", "handled"):
        case = actions.acknowledge_case(case, acting_user=cg_user)
    if stage == "handled":
        case = actions.feedback_case(case, result="已处理", acting_user=cg_user)
    url = reverse("appeals:case", args=[case.pk])
    seen_any = False
    for user in (world.admin, so, gw, cg_user):
        want = expected(user, case)
        response = login(user).get(url)
        got = panel_events(response) if response.status_code == 200 else []
        assert got == want, (user.name, stage)
        seen_any = seen_any or bool(got)
    assert seen_any
    # A department that was neither assigned nor convened does not see the case at all.
    assert login(departments["环境卫生管理站"][1]).get(url).status_code == 404
    if stage in ("submitted", "accepted"):
        assert login(cg_user).get(url).status_code == 404
    if stage == "dispatched":
        assert panel_events(login(cg_user).get(url)) == ["acknowledge", "send_back", "escalate"]
        assert "whistle" not in panel_events(login(gw).get(url))


def test_it_reveals_the_contact_phone_and_logs_it(world, report, login):
    case = report(contact_phone="13812345678")
    url = reverse("appeals:case_reveal", args=[case.pk])
    r = login(world.grid_worker).post(url, {"field": "contact_phone"})
    assert r.status_code == 200 and "13812345678" in r.content.decode()
    log = RevealLog.objects.get()
    assert log.actor == world.grid_worker and log.object_id == str(case.pk) and log.field == "contact_phone"
    assert login(world.outsider).post(url).status_code == 404
    assert RevealLog.objects.count() == 1
    assert login(world.grid_worker).get(url).status_code == 405


def test_it_offers_no_reveal_without_a_phone(world, report, login):
    case = report()
    assert login(world.grid_worker).post(reverse("appeals:case_reveal", args=[case.pk])).status_code == 404
    assert not RevealLog.objects.exists()
