"""API: the taxonomy, and submitting a case safely retried with an Idempotency-Key."""

from dangjian.accounts import actions as account_actions
from dangjian.appeals.models import Case


def bearer(user, **extra):
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}", **extra}


def body(road, **overrides):
    data = {
        "category": road.pk,
        "title": "路灯不亮",
        "description": "东湖一号小区门口路灯坏了三天",
        "lng": 110.355,
        "lat": 22.705,
        "contact_name": "李秀英",
        "contact_phone": "13800001234",
    }
    data.update(overrides)
    return data


def test_it_lists_the_taxonomy_flat_with_levels(world, client, road):
    r = client.get("/api/v1/appeals/categories?level=3&enterprise=false", headers=bearer(world.resident))
    assert r.status_code == 200
    rows = r.json()
    assert rows and all(c["level"] == 3 and c["parent_id"] and not c["enterprise"] for c in rows)
    assert any(c["id"] == road.pk for c in rows)
    assert client.get("/api/v1/appeals/categories").status_code == 401


def test_a_retry_with_the_same_key_returns_the_same_case(world, client, road):
    headers = bearer(world.resident, **{"Idempotency-Key": "app-7f3c-0001"})
    first = client.post(
        "/api/v1/appeals/cases", data=body(road), content_type="application/json", headers=headers
    )
    assert first.status_code == 201, first.content
    case = first.json()
    assert case["status"] == "submitted" and case["number"].startswith("BL-")
    assert case["contact_phone_masked"] == "138****1234" and case["contact_name_masked"] == "李**"
    assert "13800001234" not in first.content.decode() and case["tracking_token"]
    again = client.post(
        "/api/v1/appeals/cases", data=body(road), content_type="application/json", headers=headers
    )
    assert again.status_code == 200 and again.json()["number"] == case["number"]
    assert Case.objects.count() == 1


def test_the_key_may_come_in_the_body(world, client, road):
    data = body(road, idempotency_key="body-key-1")
    for expected in (201, 200):
        r = client.post(
            "/api/v1/appeals/cases",
            data=data,
            content_type="application/json",
            headers=bearer(world.resident),
        )
        assert r.status_code == expected
    assert Case.objects.filter(idempotency_key="body-key-1").count() == 1


def test_someone_elses_key_is_never_disclosed(world, client, road):
    key = {"Idempotency-Key": "shared-key"}
    r = client.post(
        "/api/v1/appeals/cases",
        data=body(road),
        content_type="application/json",
        headers=bearer(world.resident, **key),
    )
    assert r.status_code == 201
    r = client.post(
        "/api/v1/appeals/cases",
        data=body(road),
        content_type="application/json",
        headers=bearer(world.member, **key),
    )
    assert r.status_code == 409 and "幂等键" in r.json()["detail"]
    assert "number" not in r.json()


def test_bad_input_is_422_in_chinese_and_changes_nothing(world, client, road):
    headers = bearer(world.resident)
    r = client.post(
        "/api/v1/appeals/cases", data=body(road), content_type="application/json", headers=headers
    )
    assert r.status_code == 422 and "idempotency_key" in r.json()["errors"]  # no key at all
    headers["Idempotency-Key"] = "k-bad"
    r = client.post(
        "/api/v1/appeals/cases",
        data=body(road, title=" ", lng=100.0, lat=30.0),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 422 and r.json()["errors"]["title"] == ["请填写标题"]
    r = client.post(
        "/api/v1/appeals/cases",
        data=body(road, lng=100.0, lat=30.0),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 422 and "不在本市范围内" in r.json()["errors"]["location"][0]
    r = client.post(
        "/api/v1/appeals/cases",
        data=body(road, channel="hotline"),
        content_type="application/json",
        headers=headers,
    )
    assert r.status_code == 422 and "仅限工作人员" in r.json()["detail"]
    assert Case.objects.count() == 0


def test_the_created_response_is_the_body_ninja_gives_for_that_case(world, client, road):
    """The 201 is built by core.schemadump (no second validation); it must equal, key for key
    and byte for byte of each value, what the schema gives when the case is read back."""
    for user, overrides in (
        (world.resident, {}),
        (world.resident, {"anonymous": True, "address": "东湖一号 3 栋"}),
        (world.grid_worker, {"channel": "patrol", "lng": 110.3551, "lat": 22.7052, "priority": "urgent"}),
        (world.grid_worker, {"lng": 110.365, "lat": 22.713, "contact_phone": ""}),  # street triage
    ):
        headers = bearer(user, **{"Idempotency-Key": f"same-body-{len(overrides)}-{user.pk}"})
        created = client.post(
            "/api/v1/appeals/cases",
            data=body(road, **overrides),
            content_type="application/json",
            headers=headers,
        )
        assert created.status_code == 201, created.content
        assert created["Content-Type"] == "application/json; charset=utf-8"
        read = client.get(f"/api/v1/appeals/cases/{created.json()['number']}", headers=headers)
        assert read.status_code == 200
        assert created.json() == read.json()
        assert created.content.decode().count("路灯不亮") == 1  # Chinese as itself, not \\u escapes
