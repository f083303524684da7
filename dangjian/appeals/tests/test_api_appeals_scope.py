"""API: who sees which cases — residents their own, staff their scope — with filters and
a pinned query count."""

import pytest

from dangjian.appeals import actions
from dangjian.appeals.tests.test_api_appeals_submit import bearer

B1 = {"lng": 110.355, "lat": 22.725}


@pytest.fixture
def cases(world, report):
    mine = report(title="我的")
    members = report(title="党员的", reporter=world.member_person, acting_user=world.member)
    other = report(title="城南的", reporter=world.other_person, acting_user=world.outsider, **B1)
    actions.accept_case(mine, acting_user=world.grid_worker)
    return {"mine": mine, "members": members, "other": other}


def _numbers(client, user, query=""):
    r = client.get(f"/api/v1/appeals/cases{query}", headers=bearer(user))
    assert r.status_code == 200, r.content
    return {c["number"] for c in r.json()["items"]}


def test_each_persona_lists_only_its_cases(world, client, cases):
    n = {k: c.number for k, c in cases.items()}
    assert _numbers(client, world.resident) == {n["mine"]}
    assert _numbers(client, world.member) == {n["members"]}
    assert _numbers(client, world.grid_worker) == {n["mine"], n["members"]}
    assert _numbers(client, world.street_officer) == {n["mine"], n["members"]}
    assert _numbers(client, world.outsider) == {n["other"]}
    assert _numbers(client, world.admin) == set(n.values())


def test_details_are_404_outside_the_scope(world, client, cases):
    mine = cases["mine"].number
    for user in (world.outsider, world.member):
        assert client.get(f"/api/v1/appeals/cases/{mine}", headers=bearer(user)).status_code == 404
        assert (
            client.get(f"/api/v1/appeals/cases/{mine}/transitions", headers=bearer(user)).status_code == 404
        )
    r = client.get(f"/api/v1/appeals/cases/{mine}", headers=bearer(world.street_officer))
    assert r.status_code == 200 and r.json()["handling_node"]["id"] == world.grid_a1.pk


def test_it_filters_by_status_category_date_and_node(world, client, cases, road):
    n = {k: c.number for k, c in cases.items()}
    day = cases["mine"].received_on.isoformat()
    assert _numbers(client, world.admin, "?status=accepted") == {n["mine"]}
    assert _numbers(client, world.admin, f"?category={road.parent_id}") == set(n.values())
    assert _numbers(client, world.admin, f"?start={day}&end={day}") == set(n.values())
    assert _numbers(client, world.admin, "?start=2000-01-01&end=2000-01-31") == set()
    assert _numbers(client, world.admin, f"?node={world.street_b.pk}") == {n["other"]}
    r = client.get(f"/api/v1/appeals/cases?node={world.street_b.pk}", headers=bearer(world.street_officer))
    assert r.status_code == 404
    r = client.get("/api/v1/appeals/cases?status=lost", headers=bearer(world.admin))
    assert r.status_code == 422


def test_the_list_query_count_is_pinned(world, client, report, django_assert_max_num_queries):
    for i in range(12):
        report(title=f"问题{i}")
    headers = bearer(world.street_officer)
    with django_assert_max_num_queries(8):
        r = client.get("/api/v1/appeals/cases", headers=headers)
    assert r.json()["count"] == 12
