"""API: the five rates and the children ranking equal the hand-made fractions, inside scope only."""

import pytest

from dangjian.appeals.tests.test_api_appeals_submit import bearer
from dangjian.appeals.tests.test_figures_page import handmade


@pytest.fixture
def cases(world, report, monkeypatch):
    return handmade(world, report, monkeypatch)


def test_it_returns_the_rates_of_the_hand_made_set(world, client, cases):
    day = cases["c1"].received_on.isoformat()
    r = client.get(f"/api/v1/appeals/figures?start={day}&end={day}", headers=bearer(world.street_officer))
    assert r.status_code == 200, r.content
    f = r.json()
    assert f["node"]["id"] == world.street_a.pk
    assert f["response_rate"] == 0.75 and f["resolution_rate"] == 0.6
    assert f["satisfaction_rate"] == round(2 / 3, 4) and f["on_time_rate"] == 1.0 and f["rework_rate"] == 0.25
    assert (f["counts"]["dispatched"], f["counts"]["ack_on_time"], f["counts"]["received"]) == (4, 3, 6)
    assert f["summary"].startswith("共受理诉求 6 件，办结 3 件，其中")
    assert sum(c["received"] for c in f["categories"]) == 6


def test_it_ranks_the_children(world, client, cases):
    headers = bearer(world.admin)
    r = client.get(
        f"/api/v1/appeals/figures/children?node={world.community_a.pk}&sort=-rework", headers=headers
    )
    assert r.status_code == 200
    rows = r.json()
    assert [row["node"]["id"] for row in rows] == [world.grid_a1.pk, world.grid_a2.pk]
    assert rows[0]["rework_rate"] == round(1 / 3, 4) and rows[1]["rework_rate"] == 0.0
    r = client.get(f"/api/v1/appeals/figures/children?node={world.county.pk}", headers=headers)
    by_id = {row["node"]["id"]: row for row in r.json()}
    assert (
        by_id[world.street_b.pk]["response_rate"] is None
        and by_id[world.street_b.pk]["counts"]["received"] == 1
    )


def test_it_is_404_outside_the_scope(world, client, cases):
    for user in (world.outsider, world.grid_worker):
        r = client.get(f"/api/v1/appeals/figures?node={world.street_a.pk}", headers=bearer(user))
        assert r.status_code == 404
    assert client.get("/api/v1/appeals/figures", headers=bearer(world.resident)).status_code == 404
    r = client.get("/api/v1/appeals/figures?start=2026-10-08&end=2026-09-28", headers=bearer(world.admin))
    assert r.status_code == 422 and "开始日期" in r.json()["detail"]
