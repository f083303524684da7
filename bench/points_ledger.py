"""Points ledger (issue 5, F6): what one award, one redemption and the full ledger check cost.

A fresh SQLite database (or PostgreSQL with DATABASE_URL) with the test world, then
N awards on distinct sources spread over 50 people, N/10 redemptions, and
``check_ledger`` over everything (sums, cached balances, ledger totals).

    .venv/bin/python bench/points_ledger.py [N]     (or: bench/run.py --only points)
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(n: int = 3000) -> dict:
    tmp = tempfile.mkdtemp(prefix="points-bench-")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tmp) / "points.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from dangjian.conftest import build_world
    from dangjian.people import actions as people_actions
    from dangjian.points import actions, selectors
    from dangjian.points.models import Grant, Rule

    world = build_world()
    actions.set_budget(
        issuer=world.community_a, year=time.localtime().tm_year, amount=10**9, acting_user=None
    )
    people = [
        people_actions.create_person(name=f"志愿者{i}", home=world.compound_a1, acting_user=None)
        for i in range(50)
    ]
    rule = Rule.objects.get(code="service_hour")
    # distinct sources: one hand-entered grant row per award (what the staff desk creates)
    grants = [
        Grant(
            rule=rule,
            person=people[i % 50],
            quantity=1,
            reason="bench",
            operator=world.admin,
            community=world.community_a,
        )
        for i in range(n)
    ]
    Grant.objects.bulk_create(grants)
    grants = list(Grant.objects.order_by("pk"))
    out: dict = {"database": connection.vendor, "awards": n}
    t = time.perf_counter()
    for g in grants:
        actions.award(rule="service_hour", person=g.person, source=g, acting_user=None)
    spent = time.perf_counter() - t
    out["award_ms"] = round(spent * 1000 / n, 2)
    out["awards_per_s"] = round(n / spent, 1)
    t = time.perf_counter()
    for g in grants[: n // 10]:
        actions.award(rule="service_hour", person=g.person, source=g, acting_user=None)
    out["repeat_award_ms (idempotent, pays nothing)"] = round((time.perf_counter() - t) * 1000 / (n // 10), 2)
    item = actions.create_item(shop=world.community_a, name="大米", cost=5, stock=100000, acting_user=None)
    k = n // 10
    t = time.perf_counter()
    for i in range(k):
        actions.redeem(person=people[i % 50], item=item, acting_user=None)
    out["redeem_ms"] = round((time.perf_counter() - t) * 1000 / k, 2)
    t = time.perf_counter()
    check = selectors.check_ledger()
    out["check_ledger_ms"] = round((time.perf_counter() - t) * 1000, 1)
    out["check_ok"] = check.ok
    out["movements"] = check.movements
    t = time.perf_counter()
    for p in people:
        selectors.balance(p, "honour")
    out["balance_ms"] = round((time.perf_counter() - t) * 1000 / len(people), 2)
    return out


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 3000), ensure_ascii=False, indent=2))
