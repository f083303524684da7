"""The resident list: scope, masked data, residence-type and tag filters, query count."""

from __future__ import annotations

from django.urls import reverse

from dangjian.people import actions as people_actions

URL = "people:resident_list"


def add_resident(world, name, *, home=None, residence_type="registered", tags=None):
    home = home or world.compound_a1
    person = people_actions.create_person(name=name, home=home, acting_user=world.admin)
    return people_actions.register_resident(
        person=person, household=home, residence_type=residence_type, tags=tags or [], acting_user=world.admin
    )


def names(response):
    return sorted(row.obj.person.name for row in response.context["rows"])


def test_it_lists_only_residents_in_scope(world, login):
    assert names(login(world.street_officer).get(reverse(URL))) == ["李秀英", "陈建华"]
    assert names(login(world.grid_worker).get(reverse(URL))) == ["李秀英", "陈建华"]
    assert names(login(world.outsider).get(reverse(URL))) == ["黄丽"]


def test_it_shows_personal_data_masked(world, login):
    body = login(world.street_officer).get(reverse(URL)).content.decode()
    assert "138****1234" in body and "4509**********1236" in body
    assert "13800001234" not in body and "450981198001011236" not in body and "3栋201" not in body


def test_it_filters_by_residence_type_and_tag(world, login):
    add_resident(world, "流动人口甲", residence_type="floating")
    add_resident(world, "空巢老人乙", tags=["elderly", "empty_nest"])
    add_resident(world, "老人丙", tags=["elderly"])
    add_resident(world, "城南老人", home=world.compound_b1, tags=["elderly"])
    c = login(world.street_officer)
    assert names(c.get(reverse(URL), {"residence_type": "floating"})) == ["流动人口甲"]
    assert names(c.get(reverse(URL), {"tag": "elderly"})) == ["空巢老人乙", "老人丙"]
    assert names(c.get(reverse(URL), {"tag": "empty_nest"})) == ["空巢老人乙"]
    assert names(c.get(reverse(URL), {"tag": "elderly", "q": "空巢"})) == ["空巢老人乙"]
    assert names(c.get(reverse(URL), {"community": world.community_b.pk})) == []


def test_it_offers_only_visible_territory_in_the_filter_bar(world, login):
    selects = login(world.street_officer).get(reverse(URL)).context["territory_selects"]
    options = {s["param"]: [label for _v, label in s["options"]] for s in selects}
    assert options["street"] == ["陵城街道"]
    assert options["community"] == ["桂塘社区"]
    assert "城南第一网格" not in options.get("grid", [])


def test_it_pins_the_query_count(world, login, django_assert_max_num_queries):
    for i in range(30):
        add_resident(world, f"居民{i:02d}", tags=["elderly"])
    c = login(world.street_officer)
    with django_assert_max_num_queries(10):
        response = c.get(reverse(URL), {"tag": "elderly"})
    assert len(response.context["rows"]) == 20
