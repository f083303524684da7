import pytest
from django.core.exceptions import ValidationError

from dangjian.party import actions
from dangjian.party.models import Organization, OrgTransfer, PartyMember


def test_it_refuses_to_move_an_organisation_under_its_own_descendant(world):
    committee = world.branch_a1.parent
    group = actions.create_organization(
        name="3栋党小组",
        kind="group",
        node=world.compound_a1,
        parent=world.branch_a1,
        acting_user=world.admin,
    )
    with pytest.raises(ValidationError, match="循环"):
        actions.move_organization(committee, new_parent=world.branch_a1, acting_user=world.admin)
    with pytest.raises(ValidationError, match="循环"):
        actions.move_organization(committee, new_parent=committee, acting_user=world.admin)
    assert Organization.objects.get(pk=committee.pk).parent_id is None
    assert Organization.objects.get(pk=group.pk).path.startswith(committee.path)


def test_it_moves_a_subtree_and_keeps_paths_consistent(world):
    street_committee = actions.create_organization(
        name="陵城街道党工委",
        kind="work_committee",
        node=world.street_a,
        is_joint=True,
        acting_user=world.admin,
    )
    committee = world.branch_a1.parent
    actions.move_organization(committee, new_parent=street_committee, acting_user=world.admin)
    branch = Organization.objects.get(pk=world.branch_a1.pk)
    assert branch.path == f"{street_committee.path}{committee.pk}/{branch.pk}/"
    assert branch.depth == 2


def test_it_enforces_which_kinds_nest(world):
    with pytest.raises(ValidationError, match="党小组下不能设立"):
        group = actions.create_organization(
            name="党小组",
            kind="group",
            node=world.compound_a1,
            parent=world.branch_a1,
            acting_user=world.admin,
        )
        actions.create_organization(
            name="支部", kind="branch", node=world.compound_a1, parent=group, acting_user=world.admin
        )


def test_part_time_seats_only_on_joint_committees(world):
    from dangjian.units.actions import create_unit

    unit = create_unit(
        name="北流市人民医院", kind="hospital", node=world.community_a, acting_user=world.admin
    )
    with pytest.raises(ValidationError, match="大党委"):
        actions.add_seat(
            organization=world.branch_a1,
            person=world.member_person,
            title="part_time",
            from_unit=unit,
            acting_user=world.admin,
        )
    big = actions.create_organization(
        name="桂塘社区大党委",
        kind="committee",
        node=world.community_a,
        is_joint=True,
        acting_user=world.admin,
    )
    seat = actions.add_seat(
        organization=big,
        person=world.member_person,
        title="part_time",
        from_unit=unit,
        acting_user=world.admin,
    )
    assert seat.from_unit == unit and big.joint_label == "大党委"


def test_alliances_cannot_form_cycles(world):
    lead = world.branch_a1.parent
    county = actions.create_alliance(
        name="北流市层级党建联盟",
        kind="hierarchical",
        tier="county",
        node=world.county,
        lead=lead,
        acting_user=world.admin,
    )
    town = actions.create_alliance(
        name="陵城街道党建联盟",
        kind="hierarchical",
        tier="town",
        node=world.street_a,
        lead=lead,
        parent=county,
        acting_user=world.admin,
    )
    with pytest.raises(ValidationError, match="循环"):
        actions.set_alliance_parent(county, parent=town, acting_user=world.admin)


def test_a_transfer_keeps_the_history_and_moves_the_scope(world):
    member = PartyMember.objects.get(person=world.member_person)
    actions.transfer_member(member, to=world.branch_b1, reason="搬家", acting_user=world.admin)
    member.refresh_from_db()
    assert member.street_id == world.street_b.pk
    history = list(OrgTransfer.objects.filter(member=member).values_list("from_org_id", "to_org_id"))
    assert history == [(None, world.branch_a1.pk), (world.branch_a1.pk, world.branch_b1.pk)]
    assert not PartyMember.objects.restrict(world.street_officer).filter(pk=member.pk).exists()
    assert PartyMember.objects.restrict(world.outsider).filter(pk=member.pk).exists()
