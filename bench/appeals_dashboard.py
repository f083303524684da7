"""The three-rates dashboard at 1,000,000 and 10,000,000 cases.

The dashboard reads only ``appeals.CaseStat`` (counters per day received × node × top
category, kept by the actions). So the benchmark writes the CaseStat rows that N cases
would produce: N cases spread over the last 3 years (weekday-heavy) across a city of
7 counties / 35 streets / 175 communities / 750 grids and 16 top categories, the counters
thinned from ``received`` with binomial draws (accepted 96 %, dispatched 95 %, acknowledged
on time 90 %, …) at grid level and summed up the tree, one row per (day, node, category)
that received at least one case — exactly the rows ``stats.count_received`` creates. On
PostgreSQL the rows go in with COPY. For 1M the raw Case rows are also inserted (server
side, ``INSERT … SELECT generate_series``; they are not read by the dashboard, so they only
make the database realistic); for 10M they are skipped by default (``--raw-10m`` to try):
the dashboard never reads them and 10M wide rows with four unique indexes take longer
than this benchmark's budget on 2 cores.

Timed, 50 repetitions each after 3 warm-ups, p50/p95: ``stats.rates_for(city, 1 year)``,
``stats.rates_by(the 7 counties)``, ``rates_by(the 750 grids)``, ``stats.counts_by_category``
and ``GET /appeals/figures/?range=year`` through Django's test client as the city admin.
Goal: p95 ≤ 100 ms at 10M, and ≤ 1.5× the 1M time. Nothing is asserted.

Run in its own process: ``python bench/appeals_dashboard.py [--sizes 1000000,10000000]
[--db postgres|sqlite]`` (``bench/run.py --only dashboard`` does that).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import appeals_common as C
import numpy as np

DAYS = 3 * 365 + 1
REPS = 50
THIN = (  # counter, parent counter, probability
    ("accepted", "received", 0.96),
    ("dispatched", "accepted", 0.95),
    ("ack_on_time", "dispatched", 0.90),
    ("handled", "dispatched", 0.93),
    ("reworked", "handled", 0.05),
    ("closed", "handled", 0.97),
    ("closed_on_time", "closed", 0.91),
    ("rated", "closed", 0.62),
    ("satisfied", "rated", 0.82),
)
ORDER = (
    "received",
    "accepted",
    "dispatched",
    "ack_on_time",
    "handled",
    "reworked",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied",
    "basic",
    "unsatisfied",
)


def build_city() -> dict:
    from dangjian.appeals.models import Category
    from dangjian.demo.citygen import Generator, grids_only
    from dangjian.territory.models import Node

    scale = dataclasses.replace(
        grids_only(750), name="bench-dashboard", counties=7, streets=35, communities=175
    )
    Generator(scale, seed=1).run()
    nodes = {n["id"]: n for n in Node.objects.values("id", "parent_id", "level")}

    def up(nid: int, level: str) -> int:
        while nodes[nid]["level"] != level:
            nid = nodes[nid]["parent_id"]
        return nid

    grids = sorted(
        (n for n in nodes if nodes[n]["level"] == "grid"),
        key=lambda g: (up(g, "county"), up(g, "street"), up(g, "community"), g),
    )
    tops = list(
        Category.objects.filter(level=1, enterprise=False).order_by("code").values_list("id", flat=True)[:16]
    )
    leaf = {
        t: Category.objects.filter(code__startswith=Category.objects.get(pk=t).code, level=3)
        .values_list("id", flat=True)
        .first()
        for t in tops
    }
    levels = {lvl: [up(g, lvl) for g in grids] for lvl in ("community", "street", "county", "city")}
    return {"grids": grids, "levels": levels, "tops": tops, "leaf": leaf}


def synthesize(n: int, city: dict, seed: int) -> dict[str, np.ndarray]:
    """Grid-level counters, shape (DAYS, grids, categories) each."""
    rng = np.random.default_rng(seed)
    g, k = len(city["grids"]), len(city["tops"])
    dow = np.array([1.15, 1.1, 1.05, 1.05, 1.0, 0.7, 0.6])
    w_day = dow[np.arange(DAYS) % 7] * np.linspace(0.8, 1.2, DAYS)
    per_day = rng.multinomial(n, w_day / w_day.sum())
    w_cell = np.outer(rng.lognormal(0, 0.6, g), rng.dirichlet(np.full(k, 2.0))).ravel()
    received = rng.multinomial(per_day, w_cell / w_cell.sum()).reshape(DAYS, g, k).astype(np.int32)
    c: dict[str, np.ndarray] = {"received": received}
    for name, parent, p in THIN:
        c[name] = rng.binomial(c[parent], p).astype(np.int32)
    c["basic"] = rng.binomial(c["rated"] - c["satisfied"], 0.6).astype(np.int32)
    c["unsatisfied"] = c["rated"] - c["satisfied"] - c["basic"]
    return c


def rows_by_level(c: dict[str, np.ndarray], city: dict):
    """Yield (node ids, stacked counters (DAYS, nodes, K, 12)) for grid … city."""
    grid_stack = np.stack([c[name] for name in ORDER], axis=-1)
    yield np.array(city["grids"]), grid_stack
    for lvl in ("community", "street", "county", "city"):
        parents = city["levels"][lvl]
        starts = [0] + [i for i in range(1, len(parents)) if parents[i] != parents[i - 1]]
        ids = np.array([parents[i] for i in starts])
        yield ids, np.add.reduceat(grid_stack, starts, axis=1)


def month_starts(start: date) -> tuple[list[int], list[date]]:
    """Indices of the first day of each month in the DAYS window (and those dates)."""
    idx, days = [0], [start.replace(day=1)]
    for d in range(1, DAYS):
        day = start + timedelta(days=d)
        if day.day == 1:
            idx.append(d)
            days.append(day)
    return idx, days


def load_stats(c: dict[str, np.ndarray], city: dict, start: date) -> int:
    """Write the day rows and the month rows (``monthly``, day = first of the month) that
    ``stats.count_received`` would have created for these cases."""
    from django.db import connection, transaction

    from dangjian.appeals.models import CaseStat

    CaseStat.objects.all().delete()
    tops = np.array(city["tops"])
    cols = "monthly, day, node_id, category_id, " + ", ".join(ORDER)
    total = 0
    pg = connection.vendor == "postgresql"
    m_idx, m_days = month_starts(start)

    def write(cur, buf: io.StringIO, monthly: bool, day: date, ids: np.ndarray, block: np.ndarray) -> int:
        """Rows per (node, category) with cases, and per node over all categories (NULL)."""
        ni, ki = np.nonzero(block[:, :, 0])
        if not len(ni):
            return 0
        arr = np.column_stack([ids[ni], tops[ki], block[ni, ki, :]])
        total = block.sum(axis=1)  # (nodes, 12)
        nz = np.nonzero(total[:, 0])[0]
        all_rows = np.column_stack([ids[nz], total[nz, :]])
        if pg:
            flag = "t" if monthly else "f"
            np.savetxt(buf, arr, fmt=f"{flag}\t{day.isoformat()}\t" + "\t".join(["%d"] * arr.shape[1]))
            np.savetxt(
                buf,
                all_rows,
                fmt=f"{flag}\t{day.isoformat()}\t%d\t\\N\t" + "\t".join(["%d"] * (all_rows.shape[1] - 1)),
            )
        else:
            marks = ", ".join(["%s"] * (arr.shape[1] + 2))
            cur.executemany(
                f"INSERT INTO appeals_casestat ({cols}) VALUES ({marks})",  # noqa: S608 - fixed names
                [(monthly, day.isoformat(), *r) for r in arr.tolist()]
                + [(monthly, day.isoformat(), r[0], None, *r[1:]) for r in all_rows.tolist()],
            )
        return len(arr) + len(all_rows)

    with transaction.atomic(), connection.cursor() as cur:
        for ids, stack in rows_by_level(c, city):
            buf = io.StringIO()
            for d in range(DAYS):
                total += write(cur, buf, False, start + timedelta(days=d), ids, stack[d])
            by_month = np.add.reduceat(stack, m_idx, axis=0)
            for m, first in enumerate(m_days):
                total += write(cur, buf, True, first, ids, by_month[m])
            if pg:
                with cur.cursor.copy(f"COPY appeals_casestat ({cols}) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
        if pg:
            cur.execute("ANALYZE appeals_casestat")
        else:
            cur.execute("ANALYZE")
    return total


def load_raw_cases(n: int, city: dict, start: date) -> None:
    """N raw Case rows generated inside PostgreSQL (the dashboard does not read them)."""
    from django.db import connection

    from dangjian.appeals.models import Case

    lv = city["levels"]
    arrays = {
        "grid": city["grids"],
        "community": lv["community"],
        "street": lv["street"],
        "county": lv["county"],
        "city": lv["city"],
    }
    g = len(city["grids"])
    tops = city["tops"]
    gi = f"(1 + (i * 7919) %% {g})"
    ki = f"(1 + (i * 31) %% {len(tops)})"
    exprs = {
        "number": "'BM-' || lpad(i::text, 9, '0')",
        "idempotency_key": "'bench-' || i",
        "tracking_token": "md5(i::text)",
        "channel": "'api'",
        "status": "(ARRAY['closed','closed','closed','handling','dispatched'])[1 + i %% 5]",
        "tier": "'grid'",
        "priority": "'normal'",
        "title": "'路灯不亮'",
        "description": "'压测生成的诉求'",
        "top_category_id": f"(ARRAY{tops})[{ki}]",
        "category_id": f"(ARRAY{[city['leaf'][t] for t in tops]})[{ki}]",
        "handling_node_id": f"(ARRAY{arrays['grid']})[{gi}]",
        "received_on": f"DATE '{start.isoformat()}' + (i %% {DAYS})::int",
        "created_at": f"TIMESTAMPTZ '{start.isoformat()}' + (i %% {DAYS})::int * INTERVAL '1 day'",
        "updated_at": "now()",
        "located": "true",
    }
    for lvl, ids in arrays.items():
        exprs[f"{lvl}_id"] = f"(ARRAY{ids})[{gi}]"
    cols, vals = [], []
    for f in Case._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.name in exprs or f.attname in exprs:
            expr = exprs.get(f.attname, exprs.get(f.name))
        elif f.null:
            expr = "NULL"
        elif f.has_default() and not callable(f.default):
            expr = "%s"
            vals.append(f.get_db_prep_value(f.default, connection))
        elif f.get_internal_type() in ("CharField", "TextField"):
            expr = "''"
        elif f.get_internal_type() == "BooleanField":
            expr = "false"
        else:
            expr = "0"
        cols.append((f.column, expr))
    sql = (
        f"INSERT INTO appeals_case ({', '.join(c for c, _ in cols)}) "  # noqa: S608 - generated from the model
        f"SELECT {', '.join(e for _, e in cols)} FROM generate_series(1::bigint, {n}) AS i"
    )
    with connection.cursor() as cur:
        cur.execute("DELETE FROM appeals_case")
        cur.execute(sql, vals)
        cur.execute("ANALYZE appeals_case")


def timed(fn, reps: int = REPS) -> dict:
    for _ in range(3):
        fn()
    xs = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t) * 1000)
    xs.sort()
    return {"p50_ms": round(statistics.median(xs), 2), "p95_ms": round(xs[int(len(xs) * 0.95) - 1], 2)}


def measure(city: dict, admin) -> dict:
    from django.test import Client, override_settings

    from dangjian.appeals import stats
    from dangjian.territory.models import Node

    city_id = city["levels"]["city"][0]
    end = date.today()
    start = end - timedelta(days=364)
    counties = list(Node.objects.filter(level="county").values_list("id", flat=True))
    client = Client()
    client.force_login(admin)
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    out = {
        "rates_for(city, 1 year)": timed(lambda: stats.rates_for(city_id, start, end)),
        "rates_by(7 counties)": timed(lambda: stats.rates_by(counties, start, end)),
        "rates_by(750 grids)": timed(lambda: stats.rates_by(city["grids"], start, end)),
        "counts_by_category(city)": timed(lambda: stats.counts_by_category(city_id, start, end)),
    }
    if os.environ.get("BENCH_EXPLAIN"):  # the plan of the largest read, to the log
        from django.db.models import Q, Sum

        from dangjian.appeals.models import CaseStat

        qs = (
            CaseStat.objects.filter(
                Q(node_id__in=city["grids"], category__isnull=True) & stats.period(start, end)
            )
            .values("node_id")
            .annotate(**{name: Sum(name) for name in stats.COUNTERS})
        )
        print(qs.explain(analyze=True, buffers=True), file=sys.stderr)
    with override_settings(STORAGES=plain):
        status = client.get("/appeals/figures/?range=year").status_code
        out["GET /appeals/figures/?range=year"] = timed(lambda: client.get("/appeals/figures/?range=year"))
        out["GET /appeals/figures/?range=year"]["status"] = status
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000000,10000000")
    parser.add_argument("--db", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw Case rows for 1M")
    parser.add_argument("--raw-10m", action="store_true", help="also insert 10M raw Case rows")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    tmp = tempfile.mkdtemp(prefix="dangjian-dash-")
    if args.db == "postgres":
        why = C.pg_reachable()
        if why:
            print(f"[dashboard] skipped: PostgreSQL unreachable ({why})")
            return
        C.pg_recreate()
        env = C.pg_env()
    else:
        env = C.sqlite_env(Path(tmp) / "dash.sqlite3")
    os.environ.update(env)
    sys.path.insert(0, str(C.ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from dangjian.accounts import actions as account_actions

    results: dict = {"db": args.db, "sizes": {}}
    try:
        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        city = build_city()
        print(
            f"[dashboard/{args.db}] city: 7 counties, 35 streets, 175 communities, 750 grids in "
            f"{time.perf_counter() - t0:.0f} s",
            flush=True,
        )
        admin = account_actions.create_user(
            phone="13900000002", password="Bench#2026pw", name="压测管理员", acting_user=None
        )
        account_actions.assign_role(user=admin, role="city_admin", node=_node(city), acting_user=None)
        start = date.today() - timedelta(days=DAYS - 1)
        for n in sizes:
            entry: dict = {}
            t0 = time.perf_counter()
            counters = synthesize(n, city, seed=n % 9973)
            entry["synthesize_s"] = round(time.perf_counter() - t0, 1)
            t0 = time.perf_counter()
            entry["stat_rows"] = load_stats(counters, city, start)
            entry["load_stats_s"] = round(time.perf_counter() - t0, 1)
            del counters
            print(
                f"[dashboard/{args.db}] {n:,} cases → {entry['stat_rows']:,} CaseStat rows "
                f"({entry['synthesize_s']} s + {entry['load_stats_s']} s)",
                flush=True,
            )
            raw = args.db == "postgres" and ((n <= 1_000_000 and not args.no_raw) or args.raw_10m)
            if raw:
                t0 = time.perf_counter()
                load_raw_cases(n, city, start)
                entry["raw_cases_s"] = round(time.perf_counter() - t0, 1)
                print(f"[dashboard/{args.db}] {n:,} raw Case rows in {entry['raw_cases_s']} s", flush=True)
            entry["raw_cases"] = n if raw else 0
            entry["timings"] = measure(city, admin)
            results["sizes"][str(n)] = entry
            print(json.dumps(entry["timings"], ensure_ascii=False), flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if args.db == "postgres":
            C.pg_drop()
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2))


def _node(city: dict):
    from dangjian.territory.models import Node

    return Node.objects.get(pk=city["levels"]["city"][0])


def report(r: dict) -> str:
    lines = ["", f"Three-rates dashboard on {r['db']} (reads CaseStat only; 1-year range; {REPS} reps)"]
    sizes = r["sizes"]
    for n, e in sizes.items():
        raw = f"{e['raw_cases']:,} raw Case rows" if e["raw_cases"] else "raw Case rows skipped"
        lines.append(
            f" {int(n):,} cases: {e['stat_rows']:,} CaseStat rows (load {e['load_stats_s']} s), {raw}"
        )
        for name, t in e["timings"].items():
            lines.append(f"  {name:<36} p50 {t['p50_ms']:>8.2f} ms   p95 {t['p95_ms']:>8.2f} ms")
    big, small = sizes.get("10000000"), sizes.get("1000000")
    if big:
        for name, t in big["timings"].items():
            lines.append(C.goal(f"10M p95 {name}", f"{t['p95_ms']:.1f} ms", "≤ 100 ms", t["p95_ms"] <= 100))
    if big and small:
        for name, t in big["timings"].items():
            ratio = t["p95_ms"] / max(small["timings"][name]["p95_ms"], 1e-9)
            lines.append(C.goal(f"10M ÷ 1M p95 {name}", f"{ratio:.2f}×", "≤ 1.5×", ratio <= 1.5))
    return "\n".join(lines)


if __name__ == "__main__":
    main()
