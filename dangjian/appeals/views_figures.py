"""The figures pages (F2.6–F2.7): the five rates for a node with a drill-down ranking of its
children, the monthly trend, counts by category, and the department (部门报到) ranking.

Every table is also a spreadsheet: the same page with ``?export=xlsx`` (``&table=`` for one
table), built from the same rows the page shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dangjian.appeals import figures, stats
from dangjian.appeals.figures import RATES, ChildRow, DepartmentRow
from dangjian.core import periods, xlsx
from dangjian.core.pages import page
from dangjian.core.periods import Period
from dangjian.core.xlsx import Table

# --- tables (the page and the export share them) --------------------------------------


def rates_table(cells: Sequence[figures.RateCell]) -> Table:
    rows = [
        [c.label, c.pct, c.numerator_label, c.numerator, c.denominator_label, c.denominator] for c in cells
    ]
    return "五项指标", ["指标", "比率(%)", "分子", "分子数", "分母", "分母数"], rows


def children_table(level_label: str, rows: Sequence[ChildRow]) -> Table:
    headers = [level_label, "受理", "办结"] + [f"{d.label}(%)" for d in RATES]
    body = [
        [r.node.name, r.rates.counts["received"], r.rates.counts["closed"], *[c.pct for c in r.cells]]
        for r in rows
    ]
    return f"{level_label}排名", headers, body


def categories_table(rows: Sequence[dict[str, Any]]) -> Table:
    return "分类统计", ["一级分类", "受理", "办结"], [[r["name"], r["received"], r["closed"]] for r in rows]


def monthly_table(series: Sequence[dict[str, Any]]) -> Table:
    rows = [
        [m["month"], m["received"], m["closed"], m["rated"], figures.percent(m["satisfaction_rate"])]
        for m in series
    ]
    return "月度趋势", ["月份", "受理", "办结", "已评价", "满意率(%)"], rows


def departments_table(rows: Sequence[DepartmentRow]) -> Table:
    headers = [
        "部门",
        "吹哨召集",
        "按时报到",
        "报到及时率(%)",
        "按期完成",
        "按期完成率(%)",
        "街道平均评分",
        "在办诉求",
        "已办结诉求",
        "承办诉求合计",
    ]
    body = [
        [
            r.unit.name,
            r.tasks,
            r.reported_on_time,
            r.report_pct,
            r.done_on_time,
            r.done_pct,
            r.avg_score,
            r.cases_open,
            r.cases_done,
            r.cases_total,
        ]
        for r in rows
    ]
    return "部门报到排名", headers, body


def xlsx_response(tables: Sequence[Table], filename: str) -> FileResponse:
    return xlsx.tables_response(tables, filename)


def _export_name(what: str, period: Period) -> str:
    return f"{what}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


def _qs(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _range_params(period: Period) -> dict[str, str]:
    return period.params()


# --- pages ----------------------------------------------------------------------------


@page("appeals:figures")
def figures_page(request: HttpRequest) -> HttpResponse | FileResponse:
    user = request.user
    node, roots = figures.figures_node(user, request.GET.get("node"))
    period = periods.parse_period(request.GET)
    sort = request.GET.get("sort", "")
    rates = stats.rates_for(node.pk, period.start, period.end)
    cells = figures.rate_cells(rates)
    rows = figures.children_rows(user, node, period.start, period.end, sort)
    cats = figures.category_rows(node.pk, period.start, period.end)
    series = figures.monthly_series(node.pk, period.end)
    child_level = figures.CHILD_LEVEL.get(node.level, "")
    child_label = figures.LEVEL_LABELS.get(child_level, "")

    if request.GET.get("export") == "xlsx":
        tables = {
            "rates": rates_table(cells),
            "children": children_table(child_label or "下级", rows),
            "categories": categories_table(cats),
            "monthly": monthly_table(series),
        }
        chosen = request.GET.get("table")
        picked = [tables[chosen]] if chosen in tables else list(tables.values())
        return xlsx_response(picked, _export_name(f"诉求统计-{node.name}", period))

    range_params = _range_params(period)
    base = {"node": node.pk, **range_params}
    sort_links = {}
    for key in figures.SORT_KEYS:
        desc_first = not (key in figures.RATES_BY_KEY and figures.RATES_BY_KEY[key].lower_is_better)
        current = sort.lstrip("-") == key
        if current:
            next_sort = key if sort.startswith("-") else f"-{key}"
        else:
            next_sort = f"-{key}" if desc_first else key
        sort_links[key] = {
            "url": "?" + _qs(**base, sort=next_sort),
            "active": current,
            "desc": current and sort.startswith("-"),
        }
    chart = {
        "children": {
            "names": [r.node.name for r in rows],
            "series": [{"name": d.label, "data": [c.pct for c in r_cells]} for d, r_cells in _by_rate(rows)],
        },
        "monthly": series,
        "categories": [{"name": c["name"], "value": c["received"]} for c in cats if c["received"]],
    }
    return render(
        request,
        "appeals/figures/figures.html",
        {
            "node": node,
            "roots": roots,
            "crumbs": figures.breadcrumbs(node, roots),
            "period": period,
            "presets": periods.PRESETS,
            "preset_links": {k: "?" + _qs(node=node.pk, range=k) for k in periods.PRESETS if k != "custom"},
            "rates": rates,
            "cells": cells,
            "rows": rows,
            "child_label": child_label,
            "sort": sort,
            "sort_links": sort_links,
            "cats": cats,
            "sentence": figures.category_sentence(cats, rates),
            "series": series,
            "monthly_rows": monthly_table(series)[2],
            "definitions": figures.definitions(),
            "rate_defs": RATES,
            "export_qs": _qs(**base, sort=sort, export="xlsx"),
            "node_qs": _qs(**range_params),
            "chart": chart,
            "today": timezone.localdate(),
        },
    )


def _by_rate(rows: Sequence[ChildRow]) -> list[tuple[Any, list[Any]]]:
    return [(d, [r.cells[i] for r in rows]) for i, d in enumerate(RATES)]


@page("appeals:figures_departments")
def departments_page(request: HttpRequest) -> HttpResponse | FileResponse:
    user = request.user
    period = periods.parse_period(request.GET)
    sort = request.GET.get("sort", "")
    rows = figures.department_rows(user, period.start, period.end, sort)
    if request.GET.get("export") == "xlsx":
        return xlsx_response([departments_table(rows)], _export_name("部门报到排名", period))
    range_params = _range_params(period)
    sort_links = {}
    for key in figures.DEPT_SORT_KEYS:
        current = (sort or "-report_rate").lstrip("-") == key
        desc_now = current and (sort or "-report_rate").startswith("-")
        next_sort = key if desc_now else f"-{key}"
        sort_links[key] = {
            "url": "?" + _qs(**range_params, sort=next_sort),
            "active": current,
            "desc": desc_now,
        }
    return render(
        request,
        "appeals/figures/departments.html",
        {
            "rows": rows,
            "period": period,
            "presets": periods.PRESETS,
            "preset_links": {k: "?" + _qs(range=k) for k in periods.PRESETS if k != "custom"},
            "sort_links": sort_links,
            "export_qs": _qs(**range_params, sort=sort, export="xlsx"),
            "chart": {
                "names": [r.unit.name for r in rows],
                "report": [r.report_pct for r in rows],
                "done": [r.done_pct for r in rows],
                "score": [r.avg_score for r in rows],
            },
        },
    )
