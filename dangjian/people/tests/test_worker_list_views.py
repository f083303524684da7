"""Grid-worker and community-worker lists: scope, filters, grade and pay, query count."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from dangjian.people import actions as people_actions
from dangjian.people.models import PayScale


def person(world, name, home=None):
    return people_actions.create_person(name=name, home=home or world.compound_a1, acting_user=world.admin)


def names(response):
    return sorted(row.obj.person.name for row in response.context["rows"])


def test_it_lists_grid_workers_in_scope_with_filters(world, login):
    people_actions.assign_grid_worker(
        person=person(world, "网格长老张"),
        grid=world.grid_a2,
        role="chief",
        full_time=False,
        acting_user=world.admin,
    )
    people_actions.assign_grid_worker(
        person=person(world, "城南网格员", world.compound_b1), grid=world.grid_b1, acting_user=world.admin
    )
    c = login(world.street_officer)
    url = reverse("people:grid_worker_list")
    assert names(c.get(url)) == ["网格员小王", "网格长老张"]
    assert names(c.get(url, {"role": "chief"})) == ["网格长老张"]
    assert names(c.get(url, {"full_time": "1"})) == ["网格员小王"]
    assert names(c.get(url, {"q": world.grid_a2.code})) == ["网格长老张"]
    assert names(login(world.outsider).get(url)) == ["城南网格员"]


def test_it_shows_grade_and_pay_of_community_workers(world, login):
    PayScale.objects.create(post="deputy", level=3, monthly_pay=Decimal("4200.00"))
    people_actions.hire_community_worker(
        person=person(world, "副主任小林"),
        community=world.community_a,
        post="deputy",
        level=3,
        acting_user=world.admin,
    )
    people_actions.hire_community_worker(
        person=person(world, "社工小赵"),
        community=world.community_a,
        post="staff",
        level=1,
        acting_user=world.admin,
    )
    people_actions.hire_community_worker(
        person=person(world, "城南书记", world.compound_b1),
        community=world.community_b,
        post="principal",
        acting_user=world.admin,
    )
    c = login(world.street_officer)
    url = reverse("people:community_worker_list")
    response = c.get(url)
    assert names(response) == ["副主任小林", "社工小赵"]
    cells = {
        row.obj.person.name: dict((col.header, v) for col, v in row.cells) for row in response.context["rows"]
    }
    assert cells["副主任小林"]["等级(1-18)"] == 9
    assert cells["副主任小林"]["月基本报酬(元)"] == Decimal("4200.00")
    assert cells["社工小赵"]["等级(1-18)"] == 13
    assert cells["社工小赵"]["月基本报酬(元)"] == ""
    assert names(c.get(url, {"post": "deputy"})) == ["副主任小林"]
    assert names(c.get(url, {"level": "1"})) == ["社工小赵"]
    assert names(login(world.outsider).get(url)) == ["城南书记"]


def test_it_pins_the_query_counts(world, login, django_assert_max_num_queries):
    for i in range(25):
        p = person(world, f"社工{i:02d}")
        people_actions.hire_community_worker(
            person=p, community=world.community_a, post="staff", level=1 + i % 6, acting_user=world.admin
        )
        people_actions.assign_grid_worker(person=p, grid=world.grid_a2, acting_user=world.admin)
    c = login(world.street_officer)
    for name in ("people:community_worker_list", "people:grid_worker_list"):
        with django_assert_max_num_queries(10):
            response = c.get(reverse(name))
        assert len(response.context["rows"]) == 20
