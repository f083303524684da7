"""Template downloads open in openpyxl, explain every column, and their examples are valid."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from dangjian.exchange.importers import KINDS, read_book


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
def test_it_serves_a_template_per_kind(world, login, kind):
    response = login(world.grid_worker).get(reverse("exchange:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    spec = next(k for k in KINDS if k.key == kind)
    assert wb.sheetnames == [spec.sheet, "说明"]
    headers = [c.value for c in wb[spec.sheet][1]]
    assert headers == [c.header for c in spec.columns]
    example = [c.value for c in wb[spec.sheet][2]]
    assert any(example)
    help_text = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    for col in spec.columns:
        assert col.header in help_text
    if spec.key == "members":
        assert "在职党员、离退休党员、流动党员、口袋党员" in help_text
    # The parser reads the downloaded template without header problems.
    book = read_book(io.BytesIO(response.content))
    assert book.problems == [] and book.total_rows == 1


def test_it_serves_all_kinds_in_one_workbook(world, login):
    response = login(world.admin).get(reverse("exchange:template", args=["all"]))
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [k.sheet for k in KINDS] + ["说明"]


def test_it_answers_404_for_an_unknown_kind(world, login):
    assert login(world.admin).get(reverse("exchange:template", args=["cats"])).status_code == 404
