"""Every figures table exports to .xlsx with the same numbers the page shows."""

import io

import openpyxl

from dangjian.appeals.tests.test_figures_page import cases  # noqa: F401 - the hand-made set


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_it_exports_the_ranking_with_the_numbers_of_the_page(world, login, cases):  # noqa: F811
    client = login(world.street_officer)
    page = client.get(f"/appeals/figures/?node={world.community_a.pk}&sort=-response")
    wb = _book(
        client.get(f"/appeals/figures/?node={world.community_a.pk}&sort=-response&export=xlsx&table=children")
    )
    assert wb.sheetnames == ["网格排名"]
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == (
        "网格",
        "受理",
        "办结",
        "响应率(%)",
        "解决率(%)",
        "满意率(%)",
        "按期办结率(%)",
        "返工率(%)",
    )
    expected = [
        (r.node.name, r.rates.counts["received"], r.rates.counts["closed"], *[c.pct for c in r.cells])
        for r in page.context["rows"]
    ]
    assert rows[1:] == expected
    assert rows[1:] == [
        ("桂塘第二网格", 1, 1, 100.0, 100.0, 100.0, 100.0, 0.0),
        ("桂塘第一网格", 5, 2, 66.7, 50.0, 50.0, 100.0, 33.3),
    ]


def test_it_exports_every_table_of_the_page(world, login, cases):  # noqa: F811
    client = login(world.street_officer)
    wb = _book(client.get("/appeals/figures/?export=xlsx"))
    assert wb.sheetnames == ["五项指标", "社区排名", "分类统计", "月度趋势"]
    rates = {row[0]: row for row in wb["五项指标"].iter_rows(min_row=2, values_only=True)}
    assert rates["响应率"] == ("响应率", 75.0, "签收及时", 3, "派遣", 4)
    assert rates["返工率"] == ("返工率", 25.0, "返工", 1, "处置反馈", 4)
    cats = list(wb["分类统计"].iter_rows(min_row=2, values_only=True))
    assert sum(r[1] for r in cats) == 6 and sum(r[2] for r in cats) == 3
    months = list(wb["月度趋势"].iter_rows(min_row=2, values_only=True))
    assert len(months) == 12 and months[-1][1:] == (6, 3, 3, 66.7)
    page = client.get("/appeals/figures/")
    assert [list(m) for m in months] == page.context["monthly_rows"]
