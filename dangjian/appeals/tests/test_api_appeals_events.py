"""API: moving a case through the loop with events; forbidden and invalid events."""

from dangjian.appeals.choices import Status
from dangjian.appeals.models import Case, Transition
from dangjian.appeals.tests.test_api_appeals_submit import bearer


def post(client, user, number, **data):
    return client.post(
        f"/api/v1/appeals/cases/{number}/events",
        data=data,
        content_type="application/json",
        headers=bearer(user),
    )


def test_events_move_the_case_around_the_loop(world, client, report):
    case = report()
    gw, so = world.grid_worker, world.street_officer
    steps = [
        (gw, {"event": "accept"}, "accepted"),
        (gw, {"event": "dispatch", "to_node": world.grid_a1.pk}, "dispatched"),
        (gw, {"event": "acknowledge"}, "in_progress"),
        (gw, {"event": "progress", "note": "已联系供电所"}, "in_progress"),
        (gw, {"event": "feedback", "result": "已更换灯泡"}, "handled"),
        (so, {"event": "verify", "passed": False, "note": "照片不清楚"}, "in_progress"),
        (gw, {"event": "feedback", "result": "补充照片"}, "handled"),
        (so, {"event": "verify", "passed": True}, "closed"),
        (world.resident, {"event": "rate", "rating": "satisfied", "comment": "很快"}, "rated"),
    ]
    for user, data, status in steps:
        r = post(client, user, case.number, **data)
        assert r.status_code == 200, (data, r.content)
        assert r.json()["status"] == status
    assert Case.objects.get(pk=case.pk).rework_count == 1
    r = client.get(f"/api/v1/appeals/cases/{case.number}/transitions", headers=bearer(world.resident))
    assert r.status_code == 200
    events = [t["event"] for t in r.json()]
    assert events == [
        "submit",
        "accept",
        "dispatch",
        "acknowledge",
        "feedback",
        "verify_return",
        "feedback",
        "verify_pass",
        "rate",
    ]
    assert r.json()[1]["actor_name"] == gw.name and r.json()[5]["note"] == "照片不清楚"


def test_a_forbidden_or_impossible_event_is_409_and_changes_nothing(world, client, report):
    case = report()
    r = post(client, world.resident, case.number, event="accept")
    assert r.status_code == 409 and "无权" in r.json()["detail"]
    r = post(client, world.grid_worker, case.number, event="acknowledge")
    assert r.status_code == 409 and "不能执行" in r.json()["detail"]
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert Transition.objects.filter(case=case).count() == 1


def test_outsiders_get_404_and_bad_events_422(world, client, report):
    case = report()
    assert post(client, world.outsider, case.number, event="accept").status_code == 404
    assert post(client, world.member, case.number, event="cancel", reason="x").status_code == 404
    assert post(client, world.grid_worker, "BL-00000000-0000", event="accept").status_code == 404
    r = post(client, world.grid_worker, case.number, event="reject")
    assert r.status_code == 422 and "须填写原因" in r.json()["errors"]["note"][0]
    r = post(client, world.grid_worker, case.number, event="fly")
    assert r.status_code == 422 and "不支持的操作" in r.json()["detail"]
    actions_accept = post(client, world.grid_worker, case.number, event="accept")
    assert actions_accept.status_code == 200
    r = post(client, world.grid_worker, case.number, event="dispatch", to_node=world.grid_b1.pk)
    assert r.status_code == 404  # a node outside the worker's scope
    r = post(client, world.grid_worker, case.number, event="dispatch")
    assert r.status_code == 422 and r.json()["errors"]["to"] == ["请选择派遣对象"]
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_the_reporter_can_cancel_and_the_detail_lists_allowed_events(world, client, report):
    case = report()
    r = client.get(f"/api/v1/appeals/cases/{case.number}", headers=bearer(world.grid_worker))
    assert set(r.json()["allowed_events"]) >= {"accept", "reject"} and r.json()["tracking_token"] is None
    r = client.get(f"/api/v1/appeals/cases/{case.number}", headers=bearer(world.resident))
    assert r.json()["allowed_events"] == ["cancel"]
    r = post(client, world.resident, case.number, event="cancel", reason="已自行解决")
    assert (
        r.status_code == 200
        and r.json()["status"] == "cancelled"
        and r.json()["closure_reason"] == "已自行解决"
    )
