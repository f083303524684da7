"""The staff work queue: every tab for each persona, department users, search and paging."""

import re

from django.urls import reverse

from dangjian.appeals import actions
from dangjian.appeals.actions import Summons

QUEUE = reverse("appeals:queue")


def numbers(response):
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


def count(response, tab):
    found = re.search(rf'data-count="{tab}">(\d+)<', response.content.decode())
    assert found is not None
    return int(found.group(1))


def test_it_shows_the_grid_workers_submitted_cases_and_none_to_the_outsider(world, report, login):
    case = report()
    client = login(world.grid_worker)
    r = client.get(QUEUE)
    assert r.status_code == 200 and case.number in numbers(r) and count(r, "submitted") == 1
    client = login(world.outsider)
    for tab in ("submitted", "accepted", "dispatched", "in_progress", "handled", "whistle", "overdue", "all"):
        r = client.get(QUEUE, {"tab": tab})
        assert r.status_code == 200 and case.number not in numbers(r), tab
        assert count(r, tab) == 0


def test_it_moves_a_case_through_the_tabs(world, report, login):
    gw = world.grid_worker
    case = report()
    client = login(gw)
    case = actions.accept_case(case, acting_user=gw)
    assert case.number in numbers(client.get(QUEUE, {"tab": "accepted"}))
    assert case.number not in numbers(client.get(QUEUE, {"tab": "submitted"}))
    case = actions.dispatch_case(case, to_node=world.grid_a1, acting_user=gw)
    assert case.number in numbers(client.get(QUEUE, {"tab": "dispatched"}))
    case = actions.acknowledge_case(case, acting_user=gw)
    assert case.number in numbers(client.get(QUEUE, {"tab": "in_progress"}))
    case = actions.feedback_case(case, result="已修复", acting_user=gw)
    r = client.get(QUEUE, {"tab": "handled"})
    assert case.number in numbers(r) and count(r, "handled") == 1
    # The street above sees it to verify too; the other street does not.
    assert case.number in numbers(login(world.street_officer).get(QUEUE, {"tab": "handled"}))
    assert case.number not in numbers(login(world.outsider).get(QUEUE, {"tab": "all"}))


def test_it_shows_a_department_its_assigned_cases_and_whistle_tasks(world, report, departments, login):
    so = world.street_officer
    (cg, cg_user), (hw, hw_user) = departments["城市管理局"], departments["环境卫生管理站"]
    assigned = actions.accept_case(report(), acting_user=so)
    assigned = actions.dispatch_case(assigned, to_unit=cg, acting_user=so)
    whistled = actions.accept_case(report(title="违建"), acting_user=so)
    actions.whistle_case(whistled, summons=[Summons(hw, "清运")], reason="违建", acting_user=so)
    r = login(cg_user).get(QUEUE, {"tab": "dispatched"})
    assert numbers(r) == {assigned.number}
    assert whistled.number not in numbers(login(cg_user).get(QUEUE, {"tab": "whistle"}))
    r = login(hw_user).get(QUEUE, {"tab": "whistle"})
    assert numbers(r) == {whistled.number} and count(r, "whistle") == 1
    assert assigned.number not in numbers(login(hw_user).get(QUEUE, {"tab": "dispatched"}))
    r = login(so).get(QUEUE, {"tab": "whistle"})
    assert numbers(r) == {whistled.number}


def test_it_includes_unit_cases_outside_the_departments_territory(world, report, login):
    """A department assigned at street B still sees a street-A case assigned to its unit."""
    from dangjian.accounts import actions as account_actions
    from dangjian.units.actions import create_unit

    unit = create_unit(name="城南供电所", kind="department", node=world.street_b, acting_user=None)
    user = account_actions.create_user(
        phone="13500000077", password="Dept#2026x", name="供电联络员", acting_user=None
    )
    account_actions.assign_role(
        user=user, role="department", node=world.street_b, unit=unit, acting_user=None
    )
    case = actions.accept_case(report(), acting_user=world.street_officer)
    actions.dispatch_case(case, to_unit=unit, acting_user=world.street_officer)
    client = login(user)
    assert case.number in numbers(client.get(QUEUE, {"tab": "dispatched"}))
    assert client.get(reverse("appeals:case", args=[case.pk])).status_code == 200
    other = report(title="另一件")
    assert other.number not in numbers(client.get(QUEUE, {"tab": "all"}))
    assert client.get(reverse("appeals:case", args=[other.pk])).status_code == 404


def test_it_searches_and_filters_all_cases(world, report, login):
    a = report(title="路灯不亮")
    b = report(title="井盖缺失")
    client = login(world.street_officer)
    assert numbers(client.get(QUEUE, {"tab": "all", "q": "井盖"})) == {b.number}
    # A whole number jumps to the case (issue 11); a part of one still lists what matches.
    assert client.get(QUEUE, {"tab": "all", "q": a.number})["Location"] == reverse(
        "appeals:case", args=[a.pk]
    )
    assert numbers(client.get(QUEUE, {"tab": "all", "q": a.number[3:]})) == {a.number}
    assert numbers(client.get(QUEUE, {"tab": "all", "status": "submitted", "grid": world.grid_a1.pk})) == {
        a.number,
        b.number,
    }
    assert numbers(client.get(QUEUE, {"tab": "all", "grid": world.grid_b1.pk})) == set()
    r = client.get(QUEUE, {"tab": "all", "status": "nonsense", "from": "2026-13-01"})
    assert numbers(r) == {a.number, b.number}
    assert "状态筛选条件无效" in r.content.decode() and "起始日期格式" in r.content.decode()


def test_it_keeps_residents_and_anonymous_users_out(world, login, client):
    assert client.get(QUEUE).status_code == 302
    assert login(world.resident).get(QUEUE).status_code == 404


def test_it_answers_the_queue_in_a_fixed_number_of_queries(
    world, report, login, django_assert_max_num_queries
):
    for i in range(25):
        case = report(title=f"问题{i}")
        if i % 2:
            case = actions.accept_case(case, acting_user=world.grid_worker)
            actions.dispatch_case(case, to_node=world.grid_a1, acting_user=world.grid_worker)
    client = login(world.street_officer)
    client.get(QUEUE, {"tab": "all"})  # warm the calendar cache
    with django_assert_max_num_queries(19):
        r = client.get(QUEUE, {"tab": "all"})
    assert len(numbers(r)) == 20
    with django_assert_max_num_queries(19):
        r = client.get(QUEUE, {"tab": "all", "page": 2})
    assert len(numbers(r)) == 5


def test_a_department_stationed_at_the_county_sees_only_its_own_cases(world, report, departments):
    from dangjian.appeals.models import Case

    cg, cg_user = departments["城市管理局"]
    mine = actions.accept_case(report(title="占道经营"), acting_user=world.grid_worker)
    mine = actions.dispatch_case(mine, to_unit=cg, acting_user=world.grid_worker)
    report(title="别的问题")
    assert list(Case.objects.restrict(cg_user, "view")) == []
    from dangjian.appeals.selectors import visible_cases

    assert list(visible_cases(cg_user).values_list("title", flat=True)) == ["占道经营"]
