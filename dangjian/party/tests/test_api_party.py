"""Party API: organisations, members (masked only) and 组织关系转接, inside and outside scope."""

import json

import pytest

from dangjian.accounts import actions as account_actions
from dangjian.party import actions
from dangjian.party.models import OrgTransfer, PartyMember
from dangjian.people import actions as people_actions


def bearer(user) -> dict[str, str]:
    _, raw = account_actions.issue_token(user=user, name="测试", acting_user=user)
    return {"Authorization": f"Bearer {raw}"}


def names(r) -> list[str]:
    return [row["name"] for row in r.json()["items"]]


@pytest.fixture
def branch_a2(world):
    return actions.create_organization(
        name="桂塘第二网格党支部",
        kind="branch",
        node=world.grid_a2,
        parent=world.branch_a1.parent,
        acting_user=None,
    )


def test_it_lists_organisations_in_scope(world, client):
    r = client.get("/api/v1/party/organizations", headers=bearer(world.street_officer))
    assert names(r) == ["桂塘社区党委", "东湖一号小区党支部"]
    branch = r.json()["items"][1]
    assert branch["kind_label"] == "党支部" and branch["member_count"] == 1
    assert branch["node"]["name"] == "东湖一号小区"
    assert names(client.get("/api/v1/party/organizations", headers=bearer(world.outsider))) == [
        "城南社区党委",
        "滨江华府小区党支部",
    ]


def test_it_filters_organisations(world, login):
    c = login(world.admin)
    assert names(c.get("/api/v1/party/organizations?kind=committee")) == ["桂塘社区党委", "城南社区党委"]
    assert names(c.get(f"/api/v1/party/organizations?under={world.street_b.pk}")) == [
        "城南社区党委",
        "滨江华府小区党支部",
    ]
    assert names(c.get("/api/v1/party/organizations?q=滨江")) == ["滨江华府小区党支部"]


def test_it_shows_an_organisation_with_its_children(world, login):
    committee = world.branch_a1.parent
    r = login(world.street_officer).get(f"/api/v1/party/organizations/{committee.pk}")
    assert r.status_code == 200
    assert r.json()["children"] == [
        {"id": world.branch_a1.pk, "name": "东湖一号小区党支部", "kind": "branch"}
    ]


def test_it_answers_404_for_organisations_outside_scope(world, login):
    c = login(world.outsider)
    assert c.get(f"/api/v1/party/organizations/{world.branch_a1.pk}").status_code == 404
    assert c.get(f"/api/v1/party/organizations?under={world.street_a.pk}").status_code == 404


def test_it_lists_members_with_masked_data_only(world, login):
    r = login(world.grid_worker).get("/api/v1/party/members")
    assert r.status_code == 200
    [row] = r.json()["items"]
    assert row["name"] == "陈建华"
    assert row["phone_masked"] == "139****5678"
    # A grid worker reads the members register with basic fields only (accounts.privacy).
    assert row["category_label"] is None and row["status_label"] is None and row["joined_on"] is None
    [full] = login(world.street_officer).get("/api/v1/party/members").json()["items"]
    assert full["category_label"] == "在职党员" and full["status_label"] == "正式党员"
    text = json.dumps(r.json())
    assert "13900005678" not in text and "_enc" not in text and "_hash" not in text


def test_it_never_lists_members_outside_scope(world, login):
    assert [m["name"] for m in login(world.outsider).get("/api/v1/party/members").json()["items"]] == ["周强"]
    assert login(world.resident).get("/api/v1/party/members").json()["count"] == 0


def test_a_member_sees_their_own_record(world, login):
    r = login(world.member).get("/api/v1/party/members")
    assert [m["name"] for m in r.json()["items"]] == ["陈建华"]


def test_it_pins_the_query_count_of_the_member_list(world, login, django_assert_max_num_queries):
    for i in range(30):
        p = people_actions.create_person(name=f"党员{i}", home=world.compound_a1, acting_user=None)
        actions.register_member(person=p, organization=world.branch_a1, category="retired", acting_user=None)
    c = login(world.street_officer)
    with django_assert_max_num_queries(6):
        r = c.get("/api/v1/party/members")
    assert r.json()["count"] == 31
    with django_assert_max_num_queries(6):
        assert c.get("/api/v1/party/organizations").json()["count"] == 2


def test_it_shows_a_member_with_transfer_history(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    r = login(world.street_officer).get(f"/api/v1/party/members/{member.pk}")
    assert r.status_code == 200
    [t] = r.json()["transfers"]
    assert t["from_org"] is None and t["to_org"]["name"] == "东湖一号小区党支部"
    assert login(world.outsider).get(f"/api/v1/party/members/{member.pk}").status_code == 404


def test_it_transfers_a_member_within_scope(world, client, branch_a2):
    member = PartyMember.objects.get(person=world.member_person)
    r = client.post(
        f"/api/v1/party/members/{member.pk}/transfer",
        {"to": branch_a2.pk, "reason": "搬家"},
        content_type="application/json",
        headers=bearer(world.street_officer),
    )
    assert r.status_code == 200, r.content
    assert r.json()["organization"]["name"] == "桂塘第二网格党支部"
    assert [t["to_org"]["name"] for t in r.json()["transfers"]] == [
        "东湖一号小区党支部",
        "桂塘第二网格党支部",
    ]
    member.refresh_from_db()
    assert member.organization == branch_a2
    assert OrgTransfer.objects.filter(member=member, to_org=branch_a2, operator=world.street_officer).exists()


def test_it_refuses_a_transfer_to_an_organisation_outside_scope(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    r = login(world.street_officer).post(
        f"/api/v1/party/members/{member.pk}/transfer",
        {"to": world.branch_b1.pk},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {"to": ["转入组织不存在或不在您的管辖范围内"]}
    member.refresh_from_db()
    assert member.organization == world.branch_a1 and OrgTransfer.objects.filter(member=member).count() == 1


def test_it_refuses_a_transfer_to_the_same_organisation(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    r = login(world.street_officer).post(
        f"/api/v1/party/members/{member.pk}/transfer",
        {"to": world.branch_a1.pk},
        content_type="application/json",
    )
    assert r.status_code == 422
    assert r.json()["errors"] == {"to": ["转入组织与当前组织相同"]}


def test_it_answers_404_to_an_outsider_transferring(world, login, branch_a2):
    member = PartyMember.objects.get(person=world.member_person)
    r = login(world.outsider).post(
        f"/api/v1/party/members/{member.pk}/transfer",
        {"to": world.branch_b1.pk},
        content_type="application/json",
    )
    assert r.status_code == 404
    member.refresh_from_db()
    assert member.organization == world.branch_a1


def test_it_answers_403_to_a_member_transferring_themselves(world, login, branch_a2):
    member = PartyMember.objects.get(person=world.member_person)
    r = login(world.member).post(
        f"/api/v1/party/members/{member.pk}/transfer", {"to": branch_a2.pk}, content_type="application/json"
    )
    assert r.status_code == 403
    assert r.json()["detail"] == "您的角色无权办理此党员的组织关系转接"
    member.refresh_from_db()
    assert member.organization == world.branch_a1
