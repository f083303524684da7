"""The party-member list: scope, filters, htmx partial, query count, staff only."""

from __future__ import annotations

from django.urls import reverse

from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions

URL = "party:member_list"


def add_member(world, name, *, org=None, category="in_service", status="full"):
    org = org or world.branch_a1
    person = people_actions.create_person(name=name, home=world.compound_a1, acting_user=world.admin)
    return party_actions.register_member(
        person=person, organization=org, category=category, status=status, acting_user=world.admin
    )


def names(response):
    return [row.obj.person.name for row in response.context["rows"]]


def test_it_lists_only_members_in_scope(world, login):
    assert names(login(world.street_officer).get(reverse(URL))) == ["陈建华"]
    assert names(login(world.outsider).get(reverse(URL))) == ["周强"]
    assert sorted(names(login(world.admin).get(reverse(URL)))) == ["周强", "陈建华"]


def test_it_shows_masked_phone_only(world, login):
    body = login(world.street_officer).get(reverse(URL)).content.decode()
    assert "139****5678" in body
    assert "13900005678" not in body


def test_it_filters_by_status_category_and_organization(world, login):
    add_member(world, "预备甲", status="probationary")
    add_member(world, "退休乙", category="retired")
    other_branch = party_actions.create_organization(
        name="第二党支部",
        kind="branch",
        node=world.grid_a2,
        parent=world.branch_a1.parent,
        acting_user=world.admin,
    )
    add_member(world, "二支部丙", org=other_branch)
    c = login(world.street_officer)
    assert names(c.get(reverse(URL), {"status": "probationary"})) == ["预备甲"]
    assert names(c.get(reverse(URL), {"category": "retired"})) == ["退休乙"]
    assert names(c.get(reverse(URL), {"organization": other_branch.pk})) == ["二支部丙"]
    # The committee's subtree holds all four members.
    assert len(names(c.get(reverse(URL), {"organization": world.branch_a1.parent_id}))) == 4
    assert names(c.get(reverse(URL), {"q": "退休"})) == ["退休乙"]
    assert names(c.get(reverse(URL), {"grid": world.grid_a2.pk})) == ["二支部丙"]


def test_it_ignores_invalid_filters_with_a_message(world, login):
    c = login(world.street_officer)
    response = c.get(reverse(URL), {"status": "bogus", "organization": world.branch_b1.pk, "street": "x"})
    assert response.status_code == 200
    assert names(response) == ["陈建华"]
    body = response.content.decode()
    assert "党员状态筛选条件“bogus”无效" in body
    assert "党组织筛选条件" in body  # an organisation outside the scope is refused too
    assert "街道(镇)筛选条件无效" in body


def test_it_returns_only_the_table_for_htmx(world, login):
    response = login(world.street_officer).get(reverse(URL), {"q": "陈"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "陈建华" in body
    assert "<html" not in body
    assert "/party/members/export/?q=%E9%99%88" in body  # the export keeps the query


def test_it_pages_twenty_per_page(world, login):
    for i in range(25):
        add_member(world, f"党员{i:02d}")
    c = login(world.street_officer)
    first = c.get(reverse(URL))
    assert len(first.context["rows"]) == 20
    assert first.context["page_obj"].paginator.count == 26
    assert len(c.get(reverse(URL), {"page": 2}).context["rows"]) == 6


def test_it_pins_the_query_count(world, login, django_assert_max_num_queries):
    for i in range(30):
        add_member(world, f"党员{i:02d}")
    c = login(world.street_officer)
    with django_assert_max_num_queries(12):
        response = c.get(reverse(URL), {"street": world.street_a.pk})
    assert len(response.context["rows"]) == 20


def test_it_hides_staff_lists_from_residents_and_members(world, login):
    lists = [
        "party:member_list",
        "party:member_export",
        "party:org_tree",
        "party:org_export",
        "people:resident_list",
        "people:resident_export",
        "people:grid_worker_list",
        "people:community_worker_list",
        "units:unit_list",
        "units:unit_export",
        "venues:position_list",
        "venues:position_export",
    ]
    for persona in (world.resident, world.member):
        c = login(persona)
        for name in lists:
            assert c.get(reverse(name)).status_code == 404, (persona, name)


def test_it_sends_anonymous_users_to_log_in(world, client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
