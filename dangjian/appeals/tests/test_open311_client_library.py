"""An existing Open311 client, unchanged, against our server: ``georeport`` from PyPI
(a thin GeoReport v2 wrapper; it reads services, definitions and requests but cannot
POST, so filing is covered over plain HTTP in test_open311_post.py)."""

import pytest

from dangjian.appeals import actions
from dangjian.appeals.tests.open311_http import LIVE

georeport = pytest.importorskip("georeport", reason="georeport is in requirements-dev.txt")

pytestmark = LIVE


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_reads_everything(live_server, world, report, road, fmt):
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    assert road.code in {s["service_code"] for s in services}
    definition = client.get_service_definition(road.code)
    attributes = definition["attributes"]
    attribute = attributes[0] if fmt == "json" else attributes["attribute"]
    assert attribute["code"] == "priority"

    done = report()
    done = actions.accept_case(done, acting_user=world.grid_worker)
    actions.reject_case(report(), reason="重复反映", acting_user=world.grid_worker)

    one = client.get_service_request(done.number)
    assert one["service_request_id"] == done.number and one["status"] == "open"
    found = client.get_service_requests(service_request_id=done.number)
    found = found if isinstance(found, list) else [found]  # xmltodict: one child is a dict
    assert [r["service_request_id"] for r in found] == [done.number]
    closed = client.get_service_requests(status="closed", service_code=road.code)
    closed = closed if isinstance(closed, list) else [closed]
    assert len(closed) == 1 and closed[0]["status"] == "closed"
    assert len(client.get_service_requests(start_date="2026-01-01T00:00:00Z")) == 2
