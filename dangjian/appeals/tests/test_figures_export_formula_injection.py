"""诉求统计 (.xlsx) writes a grid named like a formula (grids are named by street staff) as
text; the 12345 import template and every other writer go through ``core.xlsx``."""

from dangjian.appeals import hotline
from dangjian.conftest import square
from dangjian.core.tests.xlsx_checks import HOSTILE, assert_no_formula, workbook
from dangjian.territory import actions as territory_actions


def test_the_figures_export_writes_a_hostile_grid_name_as_text(world, login, report):
    territory_actions.create_node(
        parent=world.community_a, level="grid", name=HOSTILE, boundary=square(110.37, 22.70), acting_user=None
    )
    report()
    client = login(world.admin)
    book = workbook(client.get(f"/appeals/figures/?node={world.community_a.pk}&export=xlsx"))
    assert_no_formula(book)


def test_the_hotline_template_has_no_formula(world):
    assert_no_formula(workbook(hotline.template_workbook()), expect="小区门口路灯不亮")
