"""The organisation tree and the organisation page, inside and outside the scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.party import actions as party_actions
from dangjian.people import actions as people_actions
from dangjian.units import actions as unit_actions


def joint_committee(world):
    """A 大党委 at street A's community with a part-time member from a resident unit."""
    unit = unit_actions.create_unit(
        name="北流市人民医院", kind="hospital", node=world.community_a, acting_user=world.admin
    )
    joint = party_actions.create_organization(
        name="桂塘社区大党委",
        kind="committee",
        node=world.community_a,
        is_joint=True,
        acting_user=world.admin,
    )
    person = people_actions.create_person(name="院长老刘", home=world.community_a, acting_user=world.admin)
    party_actions.add_seat(
        organization=joint, person=person, title="part_time", from_unit=unit, acting_user=world.admin
    )
    return joint, unit


def test_it_shows_the_tree_within_scope(world, login):
    body = login(world.street_officer).get(reverse("party:org_tree")).content.decode()
    assert "桂塘社区党委" in body and "东湖一号小区党支部" in body
    assert "城南社区党委" not in body and "滨江华府小区党支部" not in body


def test_it_counts_members_through_the_subtree(world, login):
    response = login(world.street_officer).get(reverse("party:org_tree"))
    (root,) = response.context["roots"]
    assert root.org.name == "桂塘社区党委"
    assert (root.members, root.total) == (0, 1)
    assert root.children[0].members == 1
    assert response.context["member_count"] == 1


def test_it_marks_joint_committees_and_lists_alliances(world, login):
    joint, _unit = joint_committee(world)
    party_actions.create_alliance(
        name="桂塘社区党建联盟",
        kind="community",
        node=world.community_a,
        lead=joint,
        members=[world.branch_a1],
        acting_user=world.admin,
    )
    party_actions.create_alliance(
        name="城南行业联盟",
        kind="industry",
        node=world.community_b,
        lead=world.branch_b1,
        acting_user=world.admin,
    )
    body = login(world.street_officer).get(reverse("party:org_tree")).content.decode()
    assert "大党委" in body
    assert "桂塘社区党建联盟" in body and "社区党建联盟" in body
    assert "城南行业联盟" not in body


def test_it_pins_the_tree_query_count(world, login, django_assert_max_num_queries):
    for i in range(15):
        party_actions.create_organization(
            name=f"第{i}党支部",
            kind="branch",
            node=world.grid_a1,
            parent=world.branch_a1.parent,
            acting_user=world.admin,
        )
    c = login(world.street_officer)
    with django_assert_max_num_queries(8):
        response = c.get(reverse("party:org_tree"))
    assert len(response.context["roots"][0].children) == 16


def test_it_shows_an_organisation_with_parent_children_and_seats(world, login):
    joint, unit = joint_committee(world)
    c = login(world.street_officer)
    body = c.get(reverse("party:org_detail", args=[joint.pk])).content.decode()
    assert "兼职委员" in body and "院长老刘" in body and unit.name in body and "大党委" in body
    branch = c.get(reverse("party:org_detail", args=[world.branch_a1.pk]))
    assert [a.name for a, _visible in branch.context["d"].ancestors] == ["桂塘社区党委"]
    assert branch.context["d"].direct_members == 1
    committee = c.get(reverse("party:org_detail", args=[world.branch_a1.parent_id]))
    assert [o.name for o in committee.context["d"].children] == ["东湖一号小区党支部"]
    assert committee.context["d"].subtree_members == 1


def test_it_hides_organisations_outside_the_scope(world, login):
    c = login(world.outsider)
    assert c.get(reverse("party:org_detail", args=[world.branch_a1.pk])).status_code == 404
    assert c.get(reverse("party:org_detail", args=[999999])).status_code == 404
    assert c.get(reverse("party:org_detail", args=[world.branch_b1.pk])).status_code == 200
