"""axe-core over the main pages of each persona, on a 390 px phone and a 1366 px desktop:
no "critical" or "serious" WCAG 2 A/AA violation (issue 11). Lesser impacts ("moderate",
"minor") are printed, not failed.

One test per persona and screen walks that persona's pages in one browser context, so a
failure lists every page and rule at once; the city is built once for the module (``cast``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser

from dangjian.browser_tests.conftest import (
    AXE_TAGS,
    BLOCKING,
    PERSONAS,
    SHOTS,
    VIEWPORTS,
    Cast,
    _context,
    axe_violations,
    describe_violations,
)

# ``django_db`` (not transactional): what a test's requests write is rolled back after it,
# while the module's committed ``cast`` stays for the next test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# persona → the pages of its work: home, queue, case page, forms, wall, points, figures, lists
PAGES: dict[str, Callable[[Cast], list[str]]] = {
    "resident": lambda c: [
        "/",
        "/appeals/report/",
        "/appeals/mine/",
        f"/appeals/t/{c.objects['case_to_rate'].tracking_token}/",
        f"/needs/wall/{c.world.community_a.pk}/",
        "/needs/new/",
        "/needs/mine/",
        "/points/",
        "/points/shop/",
        "/notifications/",
        "/people/me/",
    ],
    "member": lambda c: [
        "/",
        f"/needs/wall/{c.world.community_a.pk}/",
        f"/needs/{c.objects['wish'].pk}/",
        "/service/",
        "/points/",
        "/points/shop/",
    ],
    "grid_worker": lambda c: [
        "/",
        "/appeals/staff/",
        f"/appeals/staff/case/{c.objects['case_at_grid'].pk}/",
        "/needs/queue/",
        "/people/residents/",
    ],
    "community_worker": lambda c: [
        "/",
        "/appeals/staff/",
        f"/appeals/staff/case/{c.objects['case_to_rate'].pk}/",
        "/needs/queue/",
        "/service/queue/",
        "/points/counter/",
        "/party/members/",
    ],
    "street_chief": lambda c: [
        "/",
        "/appeals/staff/?tab=whistle",
        f"/appeals/staff/case/{c.objects['case_whistled'].pk}/",
        "/appeals/staff/street-tasks/",
        "/appeals/figures/",
    ],
    "department": lambda c: [
        "/",
        "/appeals/staff/",
        f"/appeals/staff/case/{c.objects['case_whistled'].pk}/",
    ],
    "leader": lambda c: [
        "/",
        "/appeals/figures/",
        "/appeals/figures/departments/",
        "/points/figures/",
        "/service/figures/",
        "/dispatch/hotspots/",
    ],
    "city_admin": lambda c: [
        "/",
        "/appeals/staff/",
        "/territory/",
        "/party/members/",
        "/people/residents/",
        "/units/",
        "/venues/",
        "/dispatch/rules/",
        "/exchange/",
    ],
}


@pytest.fixture(scope="module")
def axe_report() -> Iterator[dict[str, Any]]:
    """Every page's violations, written to ``$BROWSER_SHOTS_DIR/axe-report.json`` at the end
    of the module: the figures of the README (pages with critical/serious violations)."""
    report: dict[str, Any] = {}
    yield report
    pages = list(report.values())
    summary = {
        "rules": AXE_TAGS,
        "pages": len(pages),
        "pages_with_blocking": sum(1 for e in pages if e["blocking"]),
        "pages_with_any": sum(1 for e in pages if e["rules"]),
        "blocking_by_rule": dict(sorted(Counter(r for e in pages for r in e["blocking"]).most_common())),
        "by_page": report,
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "axe-report.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def audit(browser: Browser, cast: Cast, persona: str, screen: str) -> dict[str, list[dict[str, Any]]]:
    """Every page of ``persona`` on ``screen``: url → its axe violations (all impacts)."""
    ctx = _context(browser, VIEWPORTS[screen], mobile=screen == "phone")
    try:
        page = ctx.new_page()
        cast.log_in(page, persona)
        found = {}
        for path in PAGES[persona](cast):
            response = page.goto(cast.url + path)
            assert response is not None and response.status == 200, (
                persona,
                path,
                response and response.status,
            )
            found[path] = axe_violations(page)
        return found
    finally:
        ctx.close()


@pytest.mark.parametrize("screen", list(VIEWPORTS))
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_it_has_no_serious_violations(
    browser: Browser, cast: Cast, axe_report: dict[str, Any], persona: str, screen: str
) -> None:
    found = audit(browser, cast, persona, screen)
    for path, violations in found.items():
        axe_report[f"{persona} {screen} {path}"] = {
            "rules": {v["id"]: v["impact"] for v in violations},
            "blocking": sorted(v["id"] for v in violations if v["impact"] in BLOCKING),
        }
    report = [
        describe_violations(f"{PERSONAS[persona]} · {screen} · {path}", v) for path, v in found.items() if v
    ]
    if report:
        print("\n".join(report))
    blocking = {
        path: [v for v in violations if v["impact"] in BLOCKING] for path, violations in found.items()
    }
    failed = [
        describe_violations(f"{PERSONAS[persona]} · {screen} · {p}", v) for p, v in blocking.items() if v
    ]
    assert not failed, "axe-core 发现严重（critical/serious）的无障碍问题：\n" + "\n".join(failed)
