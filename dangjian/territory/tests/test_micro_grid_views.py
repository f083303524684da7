from dangjian.party.models import PartyMember
from dangjian.territory.actions import create_micro_grid


def test_it_lists_micro_grids_on_the_node_page_within_scope(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    create_micro_grid(
        kind="member_zone",
        name="东湖一号小区3栋责任区",
        area=world.compound_a1,
        member=member,
        households=24,
        acting_user=world.admin,
    )
    create_micro_grid(
        kind="group_compound",
        name="滨江华府党小组微网格",
        area=world.compound_b1,
        organization=world.branch_b1,
        acting_user=world.admin,
    )
    body = login(world.street_officer).get(f"/territory/{world.grid_a1.pk}/").content.decode()
    assert "东湖一号小区3栋责任区" in body and "责任党员 陈建华" in body and "24 户" in body
    assert "滨江华府党小组微网格" not in body
    assert login(world.street_officer).get(f"/territory/{world.compound_b1.pk}/").status_code == 404
