"""The servicerequestupdates feed (extension) and requests/{id}/updates."""
# ruff: noqa: F811 - the fixtures are imported from open311_http

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.appeals import actions
from dangjian.appeals.models import Transition
from dangjian.appeals.tests.open311_http import LIVE, api, assert_error, xml_rows  # noqa: F401

pytestmark = LIVE


def _loop(world, case):
    gw = world.grid_worker
    case = actions.accept_case(case, acting_user=gw)
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    case = actions.acknowledge_case(case, acting_user=gw)
    case = actions.feedback_case(case, result="已更换灯泡", acting_user=gw)
    return actions.verify_case(case, passed=True, acting_user=world.street_officer)


def test_it_publishes_status_changes(api, world, report):
    case = _loop(world, report())
    data = api.get("servicerequestupdates.json").json
    transitions = list(Transition.objects.filter(case=case).order_by("at", "id"))
    assert [u["update_id"] for u in data] == [t.pk for t in transitions]
    assert {u["service_request_id"] for u in data} == {case.number}
    assert [u["status"] for u in data] == ["open"] * 5 + ["closed"]
    assert data[0]["description"] == "提交诉求（待受理）"
    assert data[-1]["description"] == "核查通过（办结）（已办结待评价）"
    assert set(data[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }

    root = api.get("servicerequestupdates.xml").xml
    assert root.tag == "service_request_updates"
    rows = xml_rows(root)
    assert [r["update_id"] for r in rows] == [str(t.pk) for t in transitions]
    assert rows[-1]["status"] == "closed"


def test_it_pages_the_feed_by_date_and_max(api, world, report):
    case = _loop(world, report())
    assert len(api.get("servicerequestupdates.json", max=2).json) == 2
    future = (timezone.now() + timedelta(hours=1)).isoformat()
    assert api.get("servicerequestupdates.json", start_date=future).json == []
    past = (timezone.now() - timedelta(days=1)).isoformat()
    assert len(api.get("servicerequestupdates.json", end_date=past).json) == 0
    [row] = api.get("servicerequestupdates.json", start_date=past, max=1).json
    assert row["service_request_id"] == case.number


@pytest.mark.parametrize("params", [{"max": "lots"}, {"max": "0"}, {"start_date": "soon"}])
def test_it_rejects_a_bad_feed_query(api, world, params):
    assert_error(api.get("servicerequestupdates.json", **params), 400, "json")
    assert_error(api.get("servicerequestupdates.xml", **params), 400, "xml")


def test_it_lists_the_updates_of_one_request(api, world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    report()  # another case's updates stay out
    data = api.get(f"requests/{case.number}/updates.json").json
    assert [u["description"] for u in data] == ["提交诉求（待受理）", "受理立案（已立案待派遣）"]
    assert len(xml_rows(api.get(f"requests/{case.number}/updates.xml").xml)) == 2
    assert_error(api.get("requests/BL-20000101-0001/updates.xml"), 404, "xml")
