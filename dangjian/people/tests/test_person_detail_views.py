"""The person page: roles, masked data with a reveal button, scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.people import actions as people_actions


def test_it_shows_the_person_with_roles_and_masked_data(world, login):
    people_actions.hire_community_worker(
        person=world.member_person,
        community=world.community_a,
        post="principal",
        level=2,
        acting_user=world.admin,
    )
    response = login(world.street_officer).get(reverse("people:person_detail", args=[world.member_person.pk]))
    assert response.status_code == 200
    assert response.context["roles"].labels == ["居民", "党员", "社区工作者"]
    body = response.content.decode()
    assert "139****5678" in body and "13900005678" not in body
    assert "第 2 级" in body
    assert reverse("people:reveal", args=[world.member_person.pk]) in body


def test_it_offers_no_reveal_to_view_only_roles(world, login):
    from dangjian.accounts import actions as account_actions

    leader = account_actions.create_user(
        phone="13000000009", password="x" * 12, name="领导", acting_user=None
    )
    account_actions.assign_role(user=leader, role="leader", node=world.county, acting_user=None)
    # The leader's residents register is closed (accounts.privacy); a party member reads basic.
    assert (
        login(leader).get(reverse("people:person_detail", args=[world.resident_person.pk])).status_code == 404
    )
    response = login(leader).get(reverse("people:person_detail", args=[world.member_person.pk]))
    assert response.status_code == 200
    assert response.context["reveal_url"] == ""
    assert "查看</button>" not in response.content.decode()


def test_it_hides_people_outside_the_scope(world, login):
    c = login(world.outsider)
    assert c.get(reverse("people:person_detail", args=[world.resident_person.pk])).status_code == 404
    assert c.get(reverse("people:person_detail", args=[world.other_person.pk])).status_code == 200
    assert (
        login(world.resident).get(reverse("people:person_detail", args=[world.other_person.pk])).status_code
        == 404
    )
