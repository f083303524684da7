"""The OpenAPI document renders, documents every endpoint, and never names a secret column."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_it_renders_openapi_json(client):
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["info"]["title"] == "智慧党建引领基层治理平台 API"
    paths = set(doc["paths"])
    for p in [
        "/api/v1/accounts/me",
        "/api/v1/accounts/tokens",
        "/api/v1/territory/nodes",
        "/api/v1/territory/locate",
        "/api/v1/territory/grids.geojson",
        "/api/v1/party/members/{member_id}/transfer",
        "/api/v1/people/persons/{person_id}/reveal",
        "/api/v1/units",
        "/api/v1/venues/{position_id}",
    ]:
        assert p in paths
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}


def test_it_never_names_encrypted_or_hashed_columns(client):
    text = json.dumps(client.get("/api/v1/openapi.json").json())
    assert "_enc" not in text
    assert "_hash" not in text


def test_it_documents_fields_in_chinese(client):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    person = schemas["PersonOut"]["properties"]
    assert person["phone_masked"]["description"] == "手机号（脱敏）"


def test_it_serves_the_docs_page(client):
    assert client.get("/api/v1/docs").status_code == 200
