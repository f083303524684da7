"""工委清单 (.xlsx) writes a wish titled like a formula as text (``core.xlsx``)."""

from django.urls import reverse

from dangjian.core.tests.xlsx_checks import HOSTILE, assert_no_formula, workbook
from dangjian.needs.tests.conftest import published_wish


def test_the_ledger_writes_the_title_as_text(world, login):
    published_wish(world, HOSTILE)
    assert_no_formula(workbook(login(world.street_officer).get(reverse("needs:ledger_export"))))
