"""GET requests (filters, defaults, both formats) and requests/{id}."""
# ruff: noqa: F811 - the fixtures are imported from open311_http

from datetime import timedelta

import pytest
from django.utils import timezone

from dangjian.appeals import actions
from dangjian.appeals.models import Case, Category
from dangjian.appeals.tests.open311_http import LIVE, api, assert_error, xml_rows  # noqa: F401

pytestmark = LIVE

FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def ids(reply):
    return sorted(r["service_request_id"] for r in reply.json)


def test_it_lists_requests_with_the_spec_fields(api, world, report):
    case = report(address="东湖路 8 号")
    data = api.get("requests.json").json
    assert [r["service_request_id"] for r in data] == [case.number]
    row = data[0]
    assert set(row) == FIELDS
    assert row["status"] == "open" and row["status_notes"] == "待受理"
    # the point snapped to its ~100 m cell's centre, never the address (appeals.public_view)
    assert (row["lat"], row["long"]) == (22.7055, 110.3555) and row["address"] == ""
    assert row["agency_responsible"] == world.grid_a1.name and row["expected_datetime"] is None
    assert row["requested_datetime"].endswith("+08:00")

    root = api.get("requests.xml").xml
    assert root.tag == "service_requests"
    [xml_row] = xml_rows(root)
    assert set(xml_row) == FIELDS and xml_row["service_request_id"] == case.number
    assert xml_row["lat"] == "22.7055" and xml_row["expected_datetime"] == ""


def test_it_shows_one_request(api, world, report):
    case = actions.accept_case(report(), acting_user=world.grid_worker)
    [row] = api.get(f"requests/{case.number}.json").json
    assert row["service_request_id"] == case.number and row["status_notes"] == "已立案待派遣"
    assert row["expected_datetime"] == timezone.localtime(case.resolve_due).isoformat(timespec="seconds")
    [xml_row] = xml_rows(api.get(f"requests/{case.number}.xml").xml)
    assert xml_row["service_code"] == case.category.code


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_404_for_an_unknown_request(api, world, fmt):
    assert "BL-20000101-0001" in assert_error(api.get(f"requests/BL-20000101-0001.{fmt}"), 404, fmt)


def test_it_filters_by_id_code_and_dates(api, world, report, road):
    other = Category.objects.filter(level=3, enterprise=False).exclude(pk=road.pk).first()
    assert other is not None
    a, b, c = report(), report(), report(category=other)
    assert ids(api.get("requests.json", service_request_id=f"{a.number},{c.number}")) == sorted(
        [a.number, c.number]
    )
    assert ids(api.get("requests.json", service_code=road.code)) == sorted([a.number, b.number])
    assert ids(api.get("requests.json", service_code=f"{road.code},{other.code}")) == sorted(
        [a.number, b.number, c.number]
    )
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert ids(api.get("requests.json", end_date=f"{yesterday}T23:59:59+08:00")) == []
    assert len(ids(api.get("requests.json", start_date=f"{yesterday}T00:00:00Z"))) == 3
    assert (
        len(ids(api.get("requests.json", start_date=yesterday, end_date=timezone.localdate().isoformat())))
        == 3
    )
    # service_request_id overrides every other filter
    assert ids(api.get("requests.json", service_request_id=a.number, end_date="2001-01-01T00:00:00Z")) == [
        a.number
    ]


def test_it_defaults_to_the_last_90_days(api, world, report):
    old, new = report(), report()
    # set-up only: pretend the first case came in 100 days ago
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=100))
    assert ids(api.get("requests.json")) == [new.number]
    since = (timezone.now() - timedelta(days=120)).isoformat()
    assert ids(api.get("requests.json", start_date=since)) == sorted([old.number, new.number])


def test_it_filters_by_status_after_the_loop(api, world, report):
    gw = world.grid_worker
    done, rejected, pending = report(), report(), report()
    done = actions.accept_case(done, acting_user=gw)
    done = actions.dispatch_case(done, to_node=world.grid_a1, acting_user=gw)
    assert api.get(f"requests/{done.number}.json").json[0]["status"] == "open"
    done = actions.acknowledge_case(done, acting_user=gw)
    done = actions.feedback_case(done, result="已更换灯泡", acting_user=gw)
    assert api.get(f"requests/{done.number}.json").json[0]["status"] == "open"
    done = actions.verify_case(done, passed=True, acting_user=world.street_officer)  # → CLOSED
    [row] = api.get(f"requests/{done.number}.json").json
    assert (row["status"], row["status_notes"]) == ("closed", "已办结待评价")
    actions.reject_case(rejected, reason="不属于受理范围", acting_user=gw)
    [row] = api.get(f"requests/{rejected.number}.json").json
    assert row["status"] == "closed"
    assert ids(api.get("requests.json", status="open")) == [pending.number]
    assert ids(api.get("requests.json", status="closed")) == sorted([done.number, rejected.number])
    assert len(ids(api.get("requests.json", status="open,closed"))) == 3
    closed_xml = xml_rows(api.get("requests.xml", status="closed").xml)
    assert {r["status"] for r in closed_xml} == {"closed"} and len(closed_xml) == 2


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"end_date": "2026-13-45"}, "end_date"),
        ({"start_date": "2026-03-02T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"}, "晚于"),
    ],
)
def test_it_rejects_bad_filters(api, world, params, words):
    for fmt in ("json", "xml"):
        assert words in assert_error(api.get(f"requests.{fmt}", **params), 400, fmt)


def test_it_keeps_enterprise_cases_out(api, world, report):
    category = Category.objects.filter(level=3, enterprise=True, active=True).first()
    case = report(channel="enterprise", category=category)
    assert api.get("requests.json").json == []
    assert_error(api.get(f"requests/{case.number}.json"), 404, "json")
