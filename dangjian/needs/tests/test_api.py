"""The flow through the API, scoped: 404 alike outside, 409 for a wrong event, 422 for bad input."""

from __future__ import annotations

from dangjian.needs.models import Need
from dangjian.needs.tests.conftest import published_wish

API = "/api/v1/needs"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_it_runs_the_loop_through_the_api(world, client):
    from dangjian.points.models import Movement

    client.force_login(world.resident)
    r = post(client, API, {"kind": "wish", "title": "想学毛笔字", "skills": ["tutoring"]})
    assert r.status_code == 201, r.content
    need_id = r.json()["id"]
    assert r.json()["status"] == "submitted" and r.json()["beneficiary"] == "李秀英"
    client.force_login(world.street_officer)
    assert post(client, f"{API}/{need_id}/events", {"event": "publish"}).json()["status"] == "published"
    recs = client.get(f"{API}/{need_id}/recommendations").json()
    assert recs[0]["label"] == "陈建华" and "同一网格" in recs[0]["reasons"]
    client.force_login(world.member)
    wall = client.get(f"{API}/wall/{world.community_a.pk}").json()
    assert [n["beneficiary"] for n in wall] == ["李**"]
    assert "claim" in wall[0]["events"]
    assert post(client, f"{API}/{need_id}/events", {"event": "claim"}).json()["claimer_name"] == "陈建华"
    r = post(client, f"{API}/{need_id}/events", {"event": "fulfil", "evidence": "每周六教两小时"})
    assert r.json()["status"] == "fulfilled"
    client.force_login(world.resident)
    assert post(client, f"{API}/{need_id}/events", {"event": "confirm"}).json()["status"] == "confirmed"
    assert post(client, f"{API}/{need_id}/events", {"event": "rate", "rating": 5}).json()["rating"] == 5
    assert Movement.objects.filter(person=world.member_person).count() == 1
    mine = client.get(f"{API}/mine").json()
    assert [n["id"] for n in mine["posted"]] == [need_id]
    log = client.get(f"{API}/{need_id}/transitions").json()
    assert [t["event"] for t in log] == ["submit", "publish", "claim", "fulfil", "confirm", "rate"]


def test_outsiders_get_404_alike(world, client):
    need = published_wish(world)
    client.force_login(world.outsider)
    assert client.get(f"{API}/{need.pk}").status_code == 404
    assert client.get(f"{API}/999999").status_code == 404
    assert post(client, f"{API}/{need.pk}/events", {"event": "cancel", "note": "x"}).status_code == 404
    assert client.get(API).json() == []
    r = post(client, f"{API}/campaign", {"community_ids": [world.community_a.pk]})
    assert r.status_code == 404
    client.force_login(world.resident)
    assert client.get(API).status_code == 404  # staff list


def test_wrong_event_is_409_and_missing_reason_422(world, client):
    need = published_wish(world)
    client.force_login(world.resident)
    r = post(client, f"{API}/{need.pk}/events", {"event": "publish"})
    assert r.status_code == 409
    r = post(client, f"{API}/{need.pk}/events", {"event": "withdraw", "note": ""})
    assert r.status_code == 422 and "note" in r.json()["errors"]
    need.refresh_from_db()
    assert need.status == "published"
    r = post(client, API, {"kind": "wish", "title": ""})
    assert r.status_code == 422 and "title" in r.json()["errors"]


def test_staff_post_for_a_resident_and_for_the_community(world, client):
    client.force_login(world.grid_worker)
    r = post(client, API, {"title": "代李阿姨许愿：修水龙头", "beneficiary_id": world.resident_person.pk})
    assert r.status_code == 201 and r.json()["on_behalf"] is True
    r = post(client, API, {"title": "越界", "beneficiary_id": world.other_person.pk})
    assert r.status_code == 404
    client.force_login(world.street_officer)
    r = post(
        client,
        API,
        {"kind": "public", "title": "硬化巷道", "community_id": world.community_a.pk, "people_served": 120},
    )
    assert r.status_code == 201 and r.json()["beneficiary"] == "公共需求"
    assert Need.objects.filter(kind="public", community=world.community_a).count() == 1


def test_campaign_assigns_and_the_ledger_counts(world, client):
    a, b = published_wish(world, title="甲"), published_wish(world, title="乙")
    client.force_login(world.street_officer)
    plan = post(client, f"{API}/campaign", {"community_ids": [world.community_a.pk]}).json()
    assert plan["needs"] == 2 and len(plan["pairs"]) == 2 and plan["applied"] == 0
    done = post(client, f"{API}/campaign", {"community_ids": [world.community_a.pk], "apply": True}).json()
    assert done["applied"] == 2
    assert set(Need.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"claimed"}
    ledger = client.get(f"{API}/ledger").json()
    assert ledger["total"]["tied"] == 2 and ledger["total"]["claimed"] == 2
    assert ledger["communities"][0]["name"] == "桂塘社区"
