"""The party-member page: organisation, transfer history, scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.party import actions as party_actions
from dangjian.party.models import PartyMember


def test_it_shows_the_member_and_the_transfer_history(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    second = party_actions.create_organization(
        name="桂塘第二网格党支部",
        kind="branch",
        node=world.grid_a2,
        parent=world.branch_a1.parent,
        acting_user=world.admin,
    )
    party_actions.transfer_member(member, to=second, reason="居住地变更", acting_user=world.street_officer)
    response = login(world.street_officer).get(reverse("party:member_detail", args=[member.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "桂塘第二网格党支部" in body and "居住地变更" in body and "建立档案" in body
    assert [t.to_org.name for t in response.context["transfers"]] == [
        "东湖一号小区党支部",
        "桂塘第二网格党支部",
    ]
    assert "139****5678" in body and "13900005678" not in body


def test_it_hides_members_outside_the_scope(world, login):
    member = PartyMember.objects.get(person=world.member_person)
    assert login(world.outsider).get(reverse("party:member_detail", args=[member.pk])).status_code == 404
    assert login(world.grid_worker).get(reverse("party:member_detail", args=[member.pk])).status_code == 200


def test_it_lets_a_member_see_their_own_record_only(world, login):
    own = PartyMember.objects.get(person=world.member_person)
    other = PartyMember.objects.get(person__name="周强")
    c = login(world.member)
    assert c.get(reverse("party:member_detail", args=[own.pk])).status_code == 200
    assert c.get(reverse("party:member_detail", args=[other.pk])).status_code == 404
