"""街长制 task list: the street edits its own list; the seed command loads 40 items once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dangjian.appeals import street_actions
from dangjian.appeals.models import StreetTaskItem
from dangjian.core.access import ScopeError
from dangjian.core.models import AuditEvent
from dangjian.units.actions import create_unit

URL = reverse("appeals:street_tasks")


@pytest.fixture
def six(world):
    names = [
        "北流市公安局",
        "北流市公安局交通警察大队",
        "北流市消防救援大队",
        "北流市市场监督管理局",
        "北流市城市管理局",
        "北流市环境卫生管理站",
    ]
    return {n: create_unit(name=n, kind="department", node=world.county, acting_user=None) for n in names}


def test_it_seeds_forty_items_once(world, six):
    out = StringIO()
    call_command("seed_street_tasks", world.street_a.code, stdout=out)
    items = StreetTaskItem.objects.filter(street=world.street_a)
    assert items.count() == 40 and "新增 40 项" in out.getvalue()
    assert {i.area for i in items} == {"enforcement", "emergency", "order"}
    fire = items.get(name="火灾隐患")
    assert [u.name for u in fire.departments.all()] == ["北流市消防救援大队"]
    jam = items.get(name="交通拥堵疏导")
    assert [u.name for u in jam.departments.all()] == ["北流市公安局交通警察大队"]
    noise = items.get(name="噪音扰民")
    assert {u.name for u in noise.departments.all()} == {"北流市公安局", "北流市城市管理局"}
    out = StringIO()
    call_command("seed_street_tasks", world.street_a.code, stdout=out)
    assert items.count() == 40 and "新增 0 项，已有 40 项" in out.getvalue()
    assert not StreetTaskItem.objects.filter(street=world.street_b).exists()
    with pytest.raises(CommandError):
        call_command("seed_street_tasks", world.community_a.code)
    with pytest.raises(CommandError):
        call_command("seed_street_tasks", "000")


def test_it_lets_the_street_add_edit_reorder_and_delete(world, six, login):
    client = login(world.street_officer)
    police = six["北流市公安局"]
    r = client.post(URL, {"op": "save", "area": "order", "name": "广场舞噪音", "departments": [police.pk]})
    assert r.status_code == 302
    first = StreetTaskItem.objects.get(name="广场舞噪音")
    assert first.street == world.street_a and list(first.departments.all()) == [police]
    client.post(URL, {"op": "save", "area": "order", "name": "夜间施工"})
    second = StreetTaskItem.objects.get(name="夜间施工")
    assert second.sort > first.sort
    client.post(URL, {"op": "up", "item": second.pk})
    assert [i.name for i in StreetTaskItem.objects.filter(street=world.street_a)] == [
        "夜间施工",
        "广场舞噪音",
    ]
    r = client.get(URL, {"edit": first.pk})
    assert r.status_code == 200 and "编辑事项" in r.content.decode()
    client.post(
        URL,
        {"op": "save", "item": first.pk, "area": "enforcement", "name": "广场舞音响扰民", "departments": []},
    )
    first.refresh_from_db()
    assert first.name == "广场舞音响扰民" and first.area == "enforcement" and not first.departments.exists()
    client.post(URL, {"op": "delete", "item": second.pk})
    assert not StreetTaskItem.objects.filter(pk=second.pk).exists()
    assert (
        AuditEvent.objects.filter(action__startswith="appeals.street_task.").count() == 5
    )  # 2 creates, move, update, delete
    html = client.get(URL).content.decode()
    assert "广场舞音响扰民" in html and "陵城街道" in html


def test_it_rejects_bad_input_in_chinese(world, six, login):
    client = login(world.street_officer)
    r = client.post(URL, {"op": "save", "area": "order", "name": ""})
    assert r.status_code == 400 and "请填写事项名称" in r.content.decode()
    other = create_unit(name="外县城管", kind="department", node=world.city, acting_user=None)
    r = client.post(URL, {"op": "save", "area": "order", "name": "x", "departments": [other.pk]})
    assert r.status_code == 400 and "所选部门无效" in r.content.decode()
    client.post(URL, {"op": "save", "area": "order", "name": "噪音"})
    r = client.post(URL, {"op": "save", "area": "order", "name": "噪音"})
    assert "该领域已有同名事项" in r.content.decode()
    assert StreetTaskItem.objects.count() == 1


def test_it_keeps_other_streets_and_roles_out(world, six, login):
    item = street_actions.create_street_task(
        street=world.street_a, area="order", name="噪音", acting_user=None
    )
    client = login(world.outsider)
    assert client.get(URL).status_code == 200  # the outsider's own street
    assert client.get(URL, {"street": world.street_a.pk}).status_code == 404
    assert client.post(URL, {"op": "delete", "item": item.pk}).status_code == 404
    assert StreetTaskItem.objects.filter(pk=item.pk).exists()
    for user in (world.grid_worker, world.resident):
        assert login(user).get(URL).status_code == 404
    with pytest.raises(ScopeError):
        street_actions.delete_street_task(item, acting_user=world.outsider)
    with pytest.raises(ScopeError):
        street_actions.create_street_task(
            street=world.street_a, area="order", name="y", acting_user=world.grid_worker
        )
