"""The Open311 ``api_key``: in the POST body or an ``X-Api-Key`` header; in the query string
it is refused (400, in Chinese, in the request's format) before anything runs."""

import pytest

from dangjian.appeals.models import Case
from dangjian.interop import actions as interop_actions

URL = "/open311/v2/requests"


@pytest.fixture
def key(world):
    _, raw = interop_actions.issue_key(name="12345 热线对接", acting_user=world.admin)
    return raw


def form(road, **extra):
    return {"service_code": road.code, "lat": "22.705", "long": "110.355", **extra}


def test_it_accepts_the_key_in_the_body(world, client, road, key):
    r = client.post(f"{URL}.json", form(road, api_key=key))
    assert r.status_code == 200 and Case.objects.count() == 1


def test_it_accepts_the_key_in_a_header(world, client, road, key):
    r = client.post(f"{URL}.json", form(road), headers={"X-Api-Key": key})
    assert r.status_code == 200 and Case.objects.count() == 1


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_it_refuses_the_key_in_the_query_string(world, client, road, key, fmt):
    r = client.post(f"{URL}.{fmt}?api_key={key}", form(road, api_key=key))
    assert r.status_code == 400
    text = r.content.decode()
    assert "不能放在网址" in text and "X-Api-Key" in text and key not in text
    if fmt == "xml":
        assert text.startswith("<?xml") and "<errors>" in text
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "path", ["requests.json", "services.json", "discovery.xml", "servicerequestupdates.json"]
)
def test_reads_refuse_it_too(world, client, path):
    r = client.get(f"/open311/v2/{path}", {"API_KEY": "o311_whatever", "status": "open"})
    assert r.status_code == 400 and "不能放在网址" in r.content.decode()


def test_a_wrong_key_in_a_header_is_refused(world, client, road, key):
    r = client.post(f"{URL}.json", form(road), headers={"X-Api-Key": key + "x"})
    assert r.status_code == 403 and not Case.objects.exists()
