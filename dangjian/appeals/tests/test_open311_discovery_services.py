"""GET discovery, services and service definitions over real HTTP, in both formats."""
# ruff: noqa: F811 - the fixtures are imported from open311_http

import pytest

from dangjian.appeals.models import Category
from dangjian.appeals.tests.open311_http import LIVE, api, api_key, assert_error, xml_rows  # noqa: F401

pytestmark = LIVE


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_describes_the_endpoint(api, fmt):
    reply = api.get(f"discovery.{fmt}")
    assert reply.status == 200
    if fmt == "json":
        data = reply.json
        [endpoint] = data["endpoints"]
        assert endpoint["url"].endswith("/open311/v2")
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    else:
        root = reply.xml
        assert root.tag == "discovery"
        endpoint = root.find("endpoints/endpoint")
        assert endpoint is not None and endpoint.findtext("url", "").endswith("/open311/v2")
        assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_it_lists_third_level_public_categories_as_services(api, road):
    expected = Category.objects.filter(level=3, enterprise=False, active=True).count()
    enterprise = Category.objects.filter(level=3, enterprise=True).first()
    data = api.get("services.json").json
    assert isinstance(data, list) and len(data) == expected
    by_code = {s["service_code"]: s for s in data}
    service = by_code[road.code]
    assert service["service_name"] == road.name
    assert service["group"] == road.parent.parent.name
    assert service["metadata"] is True and service["type"] == "realtime"
    assert road.parent.name in service["keywords"]
    if enterprise is not None:
        assert enterprise.code not in by_code

    root = api.get("services.xml").xml
    assert root.tag == "services"
    rows = {r["service_code"]: r for r in xml_rows(root)}
    assert len(rows) == expected
    assert rows[road.code]["metadata"] == "true" and rows[road.code]["group"] == road.parent.parent.name


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_defines_the_priority_attribute(api, road, fmt):
    reply = api.get(f"services/{road.code}.{fmt}")
    assert reply.status == 200
    if fmt == "json":
        data = reply.json
        assert data["service_code"] == road.code
        [attr] = data["attributes"]
        # informational: the triage staff set the priority (test_priority_is_set_by_staff.py)
        assert attr["code"] == "priority" and attr["datatype"] == "string" and "values" not in attr
        assert attr["required"] is False and attr["variable"] is False
    else:
        root = reply.xml
        assert root.tag == "service_definition" and root.findtext("service_code") == road.code
        attr = root.find("attributes/attribute")
        assert attr is not None and attr.findtext("code") == "priority"
        assert attr.findtext("required") == "false" and attr.findtext("variable") == "false"
        assert attr.find("values") is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_answers_404_for_an_unknown_service(api, world, fmt):
    assert "99.99.99" in assert_error(api.get(f"services/99.99.99.{fmt}"), 404, fmt)


def test_it_hides_enterprise_categories(api, world):
    enterprise = Category.objects.filter(level=3, enterprise=True).first()
    assert enterprise is not None, "the seeded taxonomy has 服务企业马上办 categories"
    assert_error(api.get(f"services/{enterprise.code}.json"), 404, "json")


def test_it_serves_only_the_two_formats(api, world):
    assert api.get("services.csv").status == 404
