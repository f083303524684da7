"""Service positions: the list with the area-standard filter (agreeing with area_check()),
the position page with its badge and rule, scope."""

from __future__ import annotations

from django.db.models import F
from django.urls import reverse

from dangjian.units import actions as unit_actions
from dangjian.venues import actions as venue_actions
from dangjian.venues.lists import with_area_status
from dangjian.venues.models import ServicePosition

URL = "venues:position_list"


def positions(world):
    """compound_a1 has 600 households (needs 180 m²); compound_b1 has 1,200 (capped at 300 m²)."""
    create = venue_actions.create_position
    unit = unit_actions.create_unit(
        name="桂塘小学", kind="school", node=world.community_a, acting_user=world.admin
    )
    specs = [
        ("桂塘社区党群服务中心", world.community_a, 520, "center", "community"),
        ("桂塘社区老中心", world.community_a, 499.99, "center", "community"),
        ("东湖一号服务站", world.compound_a1, 180, "center", "compound"),
        ("东湖一号小站", world.compound_a1, 179.5, "center", "compound"),
        ("桂塘小学操场", world.community_a, 50, "unit_venue", ""),
        ("陵城街道党群服务中心", world.street_a, 100, "center", "street"),
        ("滨江华府服务站", world.compound_b1, 300, "center", "compound"),
        ("滨江华府小站", world.compound_b1, 299, "center", "compound"),
    ]
    for name, node, area, kind, level in specs:
        create(
            name=name,
            node=node,
            floor_area=area,
            kind=kind,
            level=level,
            unit=unit if kind == "unit_venue" else None,
            functions=["党员活动室"],
            acting_user=world.admin,
        )


def names(response):
    return sorted(row.obj.name for row in response.context["rows"])


def test_it_filters_by_area_standard_like_area_check(world, login):
    positions(world)
    c = login(world.street_officer)
    assert names(c.get(reverse(URL), {"area": "ok"})) == ["东湖一号服务站", "桂塘社区党群服务中心"]
    assert names(c.get(reverse(URL), {"area": "bad"})) == ["东湖一号小站", "桂塘社区老中心"]
    assert names(c.get(reverse(URL), {"area": "na"})) == ["桂塘小学操场", "陵城街道党群服务中心"]
    # The SQL rule and the Python rule agree on every position, including the 300 m² cap.
    label = {"ok": "达标", "bad": "未达标", "na": "不适用"}
    for p in with_area_status(ServicePosition.objects.select_related("node")).annotate(
        status=F("area_status")
    ):
        assert label[p.status] == p.area_check().label, p.name


def test_it_lists_positions_in_scope_with_filters(world, login):
    positions(world)
    c = login(world.street_officer)
    assert names(c.get(reverse(URL), {"kind": "unit_venue"})) == ["桂塘小学操场"]
    assert names(c.get(reverse(URL), {"level": "street"})) == ["陵城街道党群服务中心"]
    assert names(login(world.outsider).get(reverse(URL))) == ["滨江华府小站", "滨江华府服务站"]


def test_it_pins_the_query_count(world, login, django_assert_max_num_queries):
    for i in range(25):
        venue_actions.create_position(
            name=f"服务站{i:02d}",
            node=world.compound_a1,
            floor_area=100 + i * 5,
            level="compound",
            acting_user=world.admin,
        )
    c = login(world.street_officer)
    with django_assert_max_num_queries(10):
        response = c.get(reverse(URL), {"area": "bad"})
    assert len(response.context["rows"]) == 16


def test_it_shows_the_area_badge_and_rule(world, login):
    positions(world)
    c = login(world.street_officer)
    ok = ServicePosition.objects.get(name="东湖一号服务站")
    body = c.get(reverse("venues:position_detail", args=[ok.pk])).content.decode()
    assert "达标" in body and "每百户 30 m²" in body and "党员活动室" in body and "600" in body
    bad = ServicePosition.objects.get(name="桂塘社区老中心")
    body = c.get(reverse("venues:position_detail", args=[bad.pk])).content.decode()
    assert "未达标" in body and "不少于 500 m²" in body


def test_it_hides_positions_outside_the_scope(world, login):
    positions(world)
    theirs = ServicePosition.objects.get(name="滨江华府服务站")
    ours = ServicePosition.objects.get(name="东湖一号服务站")
    c = login(world.outsider)
    assert c.get(reverse("venues:position_detail", args=[ours.pk])).status_code == 404
    assert c.get(reverse("venues:position_detail", args=[theirs.pk])).status_code == 200
