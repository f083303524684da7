"""紧急程度: residents' and enterprises' submissions — web form, API, Open311 — get the
ordinary priority (deadlines from the category); the staff who triage a case change it
through their own action (web and API)."""

import uuid

import pytest
from django.urls import reverse

from dangjian.accounts import actions as account_actions
from dangjian.appeals import actions
from dangjian.appeals.choices import Priority
from dangjian.appeals.models import Case, Category
from dangjian.core.models import AuditEvent
from dangjian.interop import actions as interop_actions
from dangjian.units.actions import create_unit

CASES = "/api/v1/appeals/cases"


def bearer(user):
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def body(category, **overrides):
    data = {
        "category": category.pk,
        "title": "路灯不亮",
        "description": "小区门口路灯坏了三天",
        "lng": 110.355,
        "lat": 22.705,
        "idempotency_key": uuid.uuid4().hex,
    }
    return {**data, **overrides}


@pytest.mark.parametrize("priority", ["urgent", "emergency"])
def test_a_resident_cannot_raise_the_priority_through_the_api(world, client, road, priority):
    r = client.post(
        CASES, body(road, priority=priority), content_type="application/json", headers=bearer(world.resident)
    )
    assert r.status_code == 422 and "紧急程度由受理的工作人员确定" in r.content.decode()
    assert not Case.objects.exists()
    r = client.post(
        CASES, body(road, priority="normal"), content_type="application/json", headers=bearer(world.resident)
    )
    assert r.status_code == 201 and r.json()["priority"] == "normal"


def test_an_enterprise_liaison_cannot_either(world, client):
    unit = create_unit(name="桂塘电子厂", kind="private", node=world.community_a, acting_user=None)
    liaison = account_actions.create_user(
        phone="13600000001", password="Unit#2026x", name="联络员", acting_user=None
    )
    account_actions.assign_role(
        user=liaison, role="unit_admin", node=world.community_a, unit=unit, acting_user=None
    )
    category = Category.objects.filter(level=3, enterprise=True, active=True).first()
    r = client.post(
        CASES, body(category, priority="emergency"), content_type="application/json", headers=bearer(liaison)
    )
    assert r.status_code == 422 and not Case.objects.exists()


def test_grid_staff_entering_a_patrol_case_may_set_it(world, client, road):
    data = body(road, priority="urgent", channel="patrol")
    r = client.post(CASES, data, content_type="application/json", headers=bearer(world.grid_worker))
    assert r.status_code == 201 and r.json()["priority"] == "urgent"


def test_the_web_form_ignores_a_smuggled_priority(world, login):
    road = Category.objects.filter(level=3, enterprise=False, active=True).select_related("parent").first()
    assert road is not None and road.parent is not None
    data = {
        "cat1": road.parent.parent_id,
        "cat2": road.parent_id,
        "cat3": road.pk,
        "title": "路灯不亮",
        "description": "小区门口路灯坏了三天",
        "lng": 110.355,
        "lat": 22.705,
        "idempotency_key": uuid.uuid4().hex,
        "priority": "emergency",
    }
    login(world.resident).post(reverse("appeals:report"), data)
    assert Case.objects.get().priority == Priority.NORMAL


def test_open311_refuses_a_priority_and_describes_it_as_informational(world, client, road):
    _, key = interop_actions.issue_key(name="对接", acting_user=world.admin)
    definition = client.get(f"/open311/v2/services/{road.code}.json").json()
    [attribute] = definition["attributes"]
    assert attribute["code"] == "priority" and attribute["variable"] is False and "values" not in attribute
    form = {"api_key": key, "service_code": road.code, "lat": "22.705", "long": "110.355"}
    r = client.post("/open311/v2/requests.json", {**form, "attribute[priority]": "emergency"})
    assert r.status_code == 400 and "紧急程度由受理的工作人员确定" in r.json()[0]["description"]
    assert not Case.objects.exists()
    r = client.post("/open311/v2/requests.json", {**form, "attribute[priority]": "normal"})
    assert r.status_code == 200 and Case.objects.get().priority == Priority.NORMAL


def test_the_triage_staff_change_it_on_the_case_page(world, login, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    normal_due = case.resolve_due
    url = reverse("appeals:case_action", args=[case.pk, "priority"])
    page = login(world.grid_worker).get(reverse("appeals:case", args=[case.pk])).content.decode()
    assert url in page
    login(world.grid_worker).post(url, {"priority": "emergency"})
    case.refresh_from_db()
    assert case.resolve_due is not None and normal_due is not None
    assert case.priority == Priority.EMERGENCY and case.resolve_due < normal_due
    assert AuditEvent.objects.filter(action="appeals.set_priority").count() == 1
    # outside the scope: the 404 of the case page; nothing changes
    assert login(world.outsider).post(url, {"priority": "normal"}).status_code == 404
    assert login(world.resident).post(url, {"priority": "normal"}).status_code == 404
    case.refresh_from_db()
    assert case.priority == Priority.EMERGENCY


def test_the_triage_staff_change_it_through_the_api(world, client, report):
    case = report()
    event = f"{CASES}/{case.number}/events"
    r = client.post(
        event,
        {"event": "set_priority", "priority": "urgent"},
        content_type="application/json",
        headers=bearer(world.grid_worker),
    )
    assert r.status_code == 200 and r.json()["priority"] == "urgent"
    r = client.post(
        event,
        {"event": "set_priority", "priority": "emergency"},
        content_type="application/json",
        headers=bearer(world.resident),
    )
    assert r.status_code == 409
    assert Case.objects.get().priority == Priority.URGENT
