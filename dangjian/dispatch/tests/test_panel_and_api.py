"""The 智能分派建议 / 疑似重复 panel on the staff case page and the API: inside and outside
the scope, apply and override through the page and the API, merging a duplicate."""

import pytest
from django.urls import reverse

from dangjian.appeals.models import Case
from dangjian.dispatch import actions
from dangjian.dispatch.models import DecisionStatus, DispatchDecision
from dangjian.dispatch.tests.conftest import cat


@pytest.fixture
def rules(world, departments, lamp):
    actions.create_rule(
        node=world.city,
        category=lamp,
        tier="street",
        department=departments["城市管理局"][0],
        acting_user=world.admin,
    )


def page(client, case):
    return client.get(reverse("appeals:case", args=[case.pk])).content.decode()


def test_the_panel_computes_and_shows_the_decision_with_its_reasons(world, report, rules, login):
    case = report()
    html = page(login(world.grid_worker), case)
    d = DispatchDecision.objects.get(case=case)  # computed on demand: the worker had not run
    assert "智能分派建议" in html and "采用建议" in html and "命中分派规则" in html
    assert f'name="decision" value="{d.pk}"' in html and "北流市城市管理局" in html
    # Another dispatcher opening the page does not add another decision.
    page(login(world.street_officer), case)
    assert DispatchDecision.objects.filter(case=case).count() == 1


def test_people_outside_the_scope_see_neither_page_nor_api(world, report, rules, login):
    case = report()
    for user in (world.outsider, world.resident):
        client = login(user)
        assert client.get(reverse("appeals:case", args=[case.pk])).status_code == 404
        assert client.get(f"/api/v1/dispatch/cases/{case.number}/decision").status_code == 404
        assert client.get(f"/api/v1/dispatch/cases/{case.number}/duplicates").status_code == 404
        assert client.post(reverse("dispatch:apply", args=[case.pk]), {"decision": 1}).status_code == 404
    assert not DispatchDecision.objects.exists()


def test_low_confidence_shows_a_manual_dispatch_form_without_a_preselection(world, report, login):
    case = report()  # no rules at all → nothing to propose
    html = page(login(world.grid_worker), case)
    assert "人工分派" in html and 'data-action="apply"' not in html and 'data-form="override"' in html
    assert "selected" not in html.split('data-form="override"', 1)[1].split("</form>", 1)[0]


def test_applying_through_the_page(world, report, rules, login, departments):
    case = report()
    client = login(world.grid_worker)
    page(client, case)
    d = DispatchDecision.objects.get(case=case)
    r = client.post(reverse("dispatch:apply", args=[case.pk]), {"decision": d.pk}, follow=True)
    assert "已采用智能分派建议" in r.content.decode()
    case.refresh_from_db()
    d.refresh_from_db()
    assert case.status == "dispatched" and case.assignee_unit == departments["城市管理局"][0]
    assert d.status == DecisionStatus.APPLIED
    assert 'data-decision-status="applied"' in page(client, case)


def test_a_refused_apply_changes_nothing_and_says_why(world, report, rules, login):
    case = report()
    d = actions.decide_case(case, predictor=lambda t, x: None)
    actions.apply_decision(d, acting_user=world.grid_worker)
    r = login(world.grid_worker).post(
        reverse("dispatch:apply", args=[case.pk]), {"decision": d.pk}, follow=True
    )
    assert "该分派建议已采用" in r.content.decode()


def test_overriding_through_the_page(world, report, rules, login, departments):
    case = report()
    client = login(world.grid_worker)
    page(client, case)
    d = DispatchDecision.objects.get(case=case)
    other = cat("城乡建设", "城市建设和市政管理", "环境卫生")
    hw = departments["环境卫生管理站"][0]
    r = client.post(
        reverse("dispatch:override", args=[case.pk]),
        {"decision": d.pk, "category": other.pk, "target": f"unit:{hw.pk}", "note": "垃圾"},
        follow=True,
    )
    assert "改派已记录" in r.content.decode()
    d.refresh_from_db()
    case.refresh_from_db()
    assert d.status == DecisionStatus.OVERRIDDEN and d.chosen_category == other and case.assignee_unit == hw
    # A target outside the case's choices is refused with a message, nothing changes.
    case2 = report(idempotency_key="other-1")
    d2 = actions.decide_case(case2, predictor=lambda t, x: None)
    r = client.post(
        reverse("dispatch:override", args=[case2.pk]),
        {"decision": d2.pk, "target": f"node:{world.grid_b1.pk}"},
        follow=True,
    )
    assert "派遣对象不在可选范围内" in r.content.decode()
    d2.refresh_from_db()
    assert d2.status == DecisionStatus.PROPOSED


def test_the_api_reads_applies_and_overrides(world, report, rules, login, departments):
    client = login(world.grid_worker)
    case = report()
    body = client.get(f"/api/v1/dispatch/cases/{case.number}/decision").json()
    assert (
        body["status"] == "proposed"
        and not body["needs_person"]
        and body["department_name"] == "北流市城市管理局"
    )
    assert any("命中分派规则" in r for r in body["reasons"])
    r = client.post(f"/api/v1/dispatch/cases/{case.number}/decision/apply", content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "applied"
    r = client.post(f"/api/v1/dispatch/cases/{case.number}/decision/apply", content_type="application/json")
    assert r.status_code == 409
    case2 = report(idempotency_key="api-2")
    hw = departments["环境卫生管理站"][0]
    r = client.post(
        f"/api/v1/dispatch/cases/{case2.number}/decision/override",
        {"to_unit": hw.pk, "note": "环卫"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["status"] == "overridden"
    assert Case.objects.get(pk=case2.pk).assignee_unit == hw
    case3 = report(idempotency_key="api-3")
    r = client.post(
        f"/api/v1/dispatch/cases/{case3.number}/decision/override",
        {"note": "x"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "to_node" in r.json()["errors"]


def test_the_api_refuses_a_viewer_who_may_not_dispatch(world, report, rules, login):
    case = report()
    leader = world.admin  # city admin is a dispatcher; the street officer of street A too
    assert login(leader).get(f"/api/v1/dispatch/cases/{case.number}/decision").status_code == 200
    from dangjian.accounts import actions as account_actions

    viewer = account_actions.create_user(
        phone="13000000099", password="Lead#2026x", name="领导", acting_user=None
    )
    account_actions.assign_role(user=viewer, role="leader", node=world.city, acting_user=None)
    r = login(viewer).post(
        f"/api/v1/dispatch/cases/{case.number}/decision/apply", content_type="application/json"
    )
    assert r.status_code == 409
    assert DispatchDecision.objects.get(case=case).status == DecisionStatus.PROPOSED


def test_a_suspected_duplicate_is_listed_and_merged_from_the_page(world, report, rules, login):
    first = report()
    second = report(
        title="小区门口路灯坏了",
        description="东湖一号小区门口路灯不亮好几天，晚上很黑",
        reporter=world.member_person,
        acting_user=world.member,
    )
    client = login(world.grid_worker)
    html = page(client, second)
    assert f'data-duplicate="{first.number}"' in html and f"将本件并入 {first.number}" in html
    api = client.get(f"/api/v1/dispatch/cases/{second.number}/duplicates").json()
    assert [d["number"] for d in api] == [first.number] and api[0]["can_merge"] and api[0]["distance_m"] == 0
    r = client.post(reverse("dispatch:merge", args=[second.pk]), {"other": first.pk}, follow=True)
    assert f"已将 {second.number} 并入 {first.number}" in r.content.decode()
    second.refresh_from_db()
    assert second.status == "duplicate" and second.merged_into == first
    assert first.followers.filter(user=world.member).exists()
