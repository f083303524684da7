"""Units: the list with its filters, the unit page, the logged contact reveal, scope."""

from __future__ import annotations

from django.urls import reverse

from dangjian.core.models import RevealLog
from dangjian.party import actions as party_actions
from dangjian.party.models import PartyMember
from dangjian.units import actions as unit_actions
from dangjian.venues import actions as venue_actions


def units(world):
    school = unit_actions.create_unit(
        name="北流市第一中学",
        kind="school",
        node=world.community_a,
        contact_phone="13612345678",
        acting_user=world.admin,
    )
    firm = unit_actions.create_unit(
        name="红星科技公司", kind="private", node=world.grid_a1, acting_user=world.admin
    )
    other = unit_actions.create_unit(
        name="城南物业", kind="property", node=world.community_b, acting_user=world.admin
    )
    return school, firm, other


def names(response):
    return sorted(row.obj.name for row in response.context["rows"])


def test_it_lists_units_in_scope_with_filters(world, login):
    units(world)
    c = login(world.street_officer)
    url = reverse("units:unit_list")
    assert names(c.get(url)) == ["北流市第一中学", "红星科技公司"]
    assert names(c.get(url, {"two_new": "1"})) == ["红星科技公司"]
    assert names(c.get(url, {"two_new": "0"})) == ["北流市第一中学"]
    assert names(c.get(url, {"kind": "school"})) == ["北流市第一中学"]
    body = c.get(url).content.decode()
    assert "136****5678" in body and "13612345678" not in body
    assert names(login(world.outsider).get(url)) == ["城南物业"]


def test_it_pins_the_query_count(world, login, django_assert_max_num_queries):
    for i in range(25):
        unit_actions.create_unit(
            name=f"单位{i:02d}", kind="agency", node=world.community_a, acting_user=world.admin
        )
    c = login(world.street_officer)
    with django_assert_max_num_queries(10):
        response = c.get(reverse("units:unit_list"))
    assert len(response.context["rows"]) == 20


def test_it_shows_a_unit_with_organisations_members_and_venues(world, login):
    school, _firm, _other = units(world)
    party_actions.create_organization(
        name="第一中学党总支",
        kind="general_branch",
        node=world.community_a,
        unit=school,
        acting_user=world.admin,
    )
    member = PartyMember.objects.get(person=world.member_person)
    PartyMember.objects.filter(pk=member.pk).update(work_unit=school)  # no action sets a work unit yet
    venue_actions.create_position(
        name="一中运动场",
        node=world.community_a,
        floor_area=800,
        kind="unit_venue",
        unit=school,
        acting_user=world.admin,
    )
    response = login(world.street_officer).get(reverse("units:unit_detail", args=[school.pk]))
    body = response.content.decode()
    assert "第一中学党总支" in body and "陈建华" in body and "一中运动场" in body
    assert response.context["d"].member_count == 1


def test_it_hides_units_outside_the_scope(world, login):
    school, _firm, other = units(world)
    c = login(world.outsider)
    assert c.get(reverse("units:unit_detail", args=[school.pk])).status_code == 404
    assert c.get(reverse("units:unit_detail", args=[other.pk])).status_code == 200
    assert c.post(reverse("units:reveal", args=[school.pk])).status_code == 404
    assert not RevealLog.objects.exists()


def test_it_reveals_the_contact_phone_with_a_log(world, login):
    school, _firm, _other = units(world)
    response = login(world.street_officer).post(reverse("units:reveal", args=[school.pk]))
    assert "13612345678" in response.content.decode()
    log = RevealLog.objects.get()
    assert (log.model, log.field, log.actor) == ("units.unit", "contact_phone", world.street_officer)
