import pytest
from django.core.exceptions import ValidationError

from dangjian.core.models import AuditEvent
from dangjian.territory import actions
from dangjian.territory.codes import check_code, next_code
from dangjian.territory.models import Node


def test_it_builds_15_digit_grid_codes_from_county_street_community_sequence(world):
    grid = Node.objects.get(pk=world.grid_b1.pk)
    assert grid.code == "450981002001001"
    assert len(grid.code) == 15
    assert grid.code[:6] == world.county.code and grid.code[6:9] == "002" and grid.code[9:12] == "001"


def test_it_never_reuses_a_code_after_a_grid_is_retired(world):
    g = actions.create_node(parent=world.community_a, level="grid", name="临时网格", acting_user=world.admin)
    assert g.code == "450981001001003"
    actions.retire_node(g, acting_user=world.admin)
    g2 = actions.create_node(parent=world.community_a, level="grid", name="新网格", acting_user=world.admin)
    assert g2.code == "450981001001004"
    with pytest.raises(ValidationError, match="永不复用"):
        actions.create_node(
            parent=world.community_a, level="grid", name="重复", code=g.code, acting_user=world.admin
        )


def test_it_checks_codes_against_gb2260_and_the_parent():
    assert check_code("county", "450981", "450900") == []
    assert check_code("county", "459981", "450900")  # wrong prefecture prefix
    assert check_code("county", "4509811", "450900")  # wrong length
    assert check_code("grid", "450981001001000", "450981001001")  # zero sequence
    assert check_code("grid", "450981001002001", "450981001001")  # not under parent
    assert check_code("grid", "450981001001007", "450981001001") == []
    assert next_code("450981001001", "grid", ["450981001001001", "450981001001009"]) == "450981001001010"


def test_it_refuses_a_child_at_the_wrong_level_and_writes_nothing(world):
    before = Node.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.create_node(parent=world.street_a, level="grid", name="跳级网格", acting_user=world.admin)
    assert "网格的上级必须是社区" in str(exc.value)
    assert (Node.objects.count(), AuditEvent.objects.count()) == before


def test_it_refuses_invalid_polygons(world):
    bow_tie = {
        "type": "Polygon",
        "coordinates": [[[110.3, 22.7], [110.31, 22.71], [110.31, 22.7], [110.3, 22.71], [110.3, 22.7]]],
    }
    with pytest.raises(ValidationError, match="无效"):
        actions.create_node(
            parent=world.community_a, level="grid", name="坏边界", boundary=bow_tie, acting_user=world.admin
        )
    swapped = {
        "type": "Polygon",
        "coordinates": [[[22.7, 110.3], [22.71, 110.3], [22.71, 110.31], [22.7, 110.3]]],
    }
    with pytest.raises(ValidationError, match="超出中国范围"):
        actions.create_node(
            parent=world.community_a,
            level="grid",
            name="经纬度颠倒",
            boundary=swapped,
            acting_user=world.admin,
        )


def test_it_rechecks_scope_inside_the_write(world):
    from dangjian.core.access import ScopeError

    with pytest.raises(ScopeError):
        actions.create_node(
            parent=world.community_a, level="grid", name="越权网格", acting_user=world.outsider
        )
    with pytest.raises(ScopeError):
        actions.update_node(world.grid_a1, name="改名", acting_user=world.outsider)
    assert Node.objects.get(pk=world.grid_a1.pk).name == "桂塘第一网格"


def test_it_audits_every_write_with_before_and_after(world):
    actions.update_node(world.grid_a1, name="桂塘一网格", acting_user=world.street_officer)
    event = AuditEvent.objects.filter(action="territory.update").latest("id")
    assert event.actor == world.street_officer
    assert event.before is not None and event.after is not None
    assert event.before["name"] == "桂塘第一网格" and event.after["name"] == "桂塘一网格"
    assert event.object_id == str(world.grid_a1.pk)


def test_locate_follows_boundary_changes(world):
    from dangjian.conftest import square
    from dangjian.territory import geo

    assert geo.locate(110.405, 22.705) is None
    actions.update_node(world.grid_a2, boundary=square(110.40, 22.70), acting_user=world.admin)
    geo.invalidate()  # on_commit does this in production; the test transaction never commits
    assert geo.locate(110.405, 22.705) == world.grid_a2
    assert geo.locate_many([(110.405, 22.705), (110.355, 22.705), (120.0, 30.0)]) == [
        world.grid_a2.pk,
        world.grid_a1.pk,
        None,
    ]
