"""POST requests: the api_key, the case it files, idempotent retries, and bad input."""
# ruff: noqa: F811 - the fixtures are imported from open311_http

import pytest

from dangjian.appeals.choices import Channel, Priority, Status, Tier
from dangjian.appeals.models import Case
from dangjian.appeals.tests.open311_http import LIVE, api, api_key, assert_error  # noqa: F401
from dangjian.interop import actions as interop_actions
from dangjian.interop.models import ApiKey

pytestmark = LIVE


def form(road, key, **extra):
    data = {
        "api_key": key,
        "service_code": road.code,
        "lat": "22.705",
        "long": "110.355",
        "description": "东湖一号小区门口路灯坏了三天\n晚上很黑",
        "first_name": "秀英",
        "last_name": "李",
        "phone": "13800001234",
        "email": "li@example.com",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_needs_a_valid_api_key(api, world, road, fmt):
    no_key = {k: v for k, v in form(road, "").items() if k != "api_key"}
    assert "api_key" in assert_error(api.post(f"requests.{fmt}", no_key), 403, fmt)
    assert_error(api.post(f"requests.{fmt}", form(road, "o311_not-a-real-key")), 403, fmt)
    assert not Case.objects.exists()


def test_it_refuses_a_revoked_key(api, world, road, api_key):
    interop_actions.revoke_key(ApiKey.objects.get(), acting_user=world.admin)
    assert_error(api.post("requests.json", form(road, api_key)), 403, "json")
    assert not Case.objects.exists()


def test_it_files_a_case_from_the_system(api, world, road, api_key):
    reply = api.post("requests.json", form(road, api_key, **{"attribute[priority]": "normal"}))
    assert reply.status == 200
    [row] = reply.json
    assert set(row) == {"service_request_id", "service_notice", "account_id"} and row["account_id"] is None
    case = Case.objects.get()
    assert row["service_request_id"] == case.number and case.number in row["service_notice"]
    assert case.channel == Channel.OPEN311 and case.status == Status.SUBMITTED
    assert case.grid_id == world.grid_a1.pk and case.tier == Tier.GRID and case.located
    assert case.priority == Priority.NORMAL and case.category == road
    assert case.reporter_user_id is None and case.reporter_id is None
    assert case.title == "东湖一号小区门口路灯坏了三天"
    assert case.contact_name == "李秀英" and case.contact_phone_masked.startswith("138")
    assert "13800001234" not in case.contact_phone_masked
    assert ApiKey.objects.get().last_used_at is not None
    # what the public sees of it carries no personal data
    detail = api.get(f"requests/{case.number}.json")
    assert detail.status == 200
    for secret in ("13800001234", "李秀英", "秀英", "li@example.com", case.tracking_token):
        assert secret not in detail.text
        assert secret not in api.get(f"requests/{case.number}.xml").text


def test_it_answers_in_xml(api, world, road, api_key):
    root = api.post("requests.xml", form(road, api_key)).xml
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == Case.objects.get().number
    assert request.find("account_id") is not None and request.findtext("account_id") == ""


def test_a_retry_with_the_same_idempotency_key_files_one_case(api, world, road, api_key):
    headers = {"Idempotency-Key": "retry-7f3a"}
    first = api.post("requests.json", form(road, api_key), headers).json[0]["service_request_id"]
    second = api.post("requests.json", form(road, api_key), headers).json[0]["service_request_id"]
    assert first == second and Case.objects.count() == 1
    other = api.post("requests.json", form(road, api_key), {"Idempotency-Key": "another"}).json
    assert other[0]["service_request_id"] != first and Case.objects.count() == 2


def test_a_retry_from_the_same_device_files_one_case(api, world, road, api_key):
    first = api.post("requests.json", form(road, api_key, device_id="phone-1")).json
    again = api.post("requests.json", form(road, api_key, device_id="phone-1")).json
    assert first == again and Case.objects.count() == 1
    changed = api.post("requests.json", form(road, api_key, device_id="phone-1", description="另一处")).json
    assert changed != first and Case.objects.count() == 2


def test_without_a_key_or_device_every_post_is_new(api, world, road, api_key):
    api.post("requests.json", form(road, api_key))
    api.post("requests.json", form(road, api_key))
    assert Case.objects.count() == 2


def test_an_address_alone_goes_to_the_county_triage(api, world, road, api_key):
    data = form(road, api_key, lat="", long="", address_string="北流市陵城街道东湖路 8 号")
    assert api.post("requests.json", data).status == 200
    case = Case.objects.get()
    assert case.handling_node_id == world.county.pk and case.tier == Tier.COUNTY and not case.located
    assert case.address == "北流市陵城街道东湖路 8 号"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"service_code": ""}, "service_code"),
        ({"service_code": "99.99.99"}, "99.99.99"),
        ({"lat": "abc"}, "lat"),
        ({"lat": "95", "long": "110.355"}, "lat"),
        ({"long": ""}, "lat 与 long"),
        ({"lat": "", "long": ""}, "address_string"),
        ({"attribute[priority]": "whenever"}, "priority"),
        ({"media_url": "javascript:alert(1)"}, "media_url"),
        ({"phone": "12"}, "联系电话"),
        ({"lat": "39.9", "long": "116.4"}, "不在本市范围"),
    ],
)
def test_it_rejects_bad_input_and_files_nothing(api, world, road, api_key, change, words):
    for fmt in ("json", "xml"):
        assert words in assert_error(api.post(f"requests.{fmt}", form(road, api_key, **change)), 400, fmt)
    assert not Case.objects.exists()


def test_it_returns_a_token_that_maps_to_the_request(api, world, road, api_key):
    reply = api.post("requests.json", form(road, api_key))
    token = reply.headers["X-Open311-Token"]
    number = reply.json[0]["service_request_id"]
    assert api.get(f"tokens/{token}.json").json == [{"service_request_id": number, "token": token}]
    row = api.get(f"tokens/{token}.xml").xml.find("request")
    assert row is not None and row.findtext("service_request_id") == number
    assert_error(api.get(f"tokens/{token[:-2]}xx.json"), 404, "json")
    assert_error(api.get("tokens/nonsense.xml"), 404, "xml")
