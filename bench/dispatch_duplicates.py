"""Duplicate look-up (疑似重复) at 1,000,000 cases, on SQLite and on PostgreSQL.

The look-up reads only ``dispatch.CaseSignature`` (day, ≈300 m cell, point, categories,
normalised text; index ``(cell, day)``), so the benchmark loads **signature rows alone**
(no Case rows; the table has no database foreign key): 1,000,000 rows over 3 years in a
city of about 20 km × 20 km (Beiliu's built-up area is smaller; this spreads the load
thinner than reality would in the centre but keeps dense clusters: 30 % of the reports
fall in 60 hot spots of 300 m). Texts are drawn from 40 templated complaints × 16 roads,
so candidates share words as real ones do. Rows go in with ``executemany`` in batches on
SQLite and with ``COPY`` on PostgreSQL.

Timed: ``duplicates.find`` (SQL candidate pruning by cell × day window, then scoring in
Python) for 500 random query points (half of them inside hot spots), p50/p95/p99 and the
mean number of candidates scored. Goal: < 50 ms. Nothing is asserted.

Run: ``python bench/dispatch_duplicates.py [--rows 1000000] [--db sqlite,postgres]``
(``bench/run.py --only dispatch`` runs it in its own process).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DAYS = 3 * 365
CENTRE = (110.354, 22.708)
SPAN_DEG = 0.18  # ≈ 18–20 km
QUERIES = 500
GOAL_MS = 50.0
PROBLEMS = (
    "{r}路灯不亮晚上很黑",
    "{r}井盖缺失很危险",
    "{r}垃圾堆积发臭没人清运",
    "{r}占道经营摊贩堵路",
    "{r}工地夜间施工噪音扰民",
    "{r}餐馆油烟直排熏到居民楼",
    "{r}下水道堵塞污水外溢",
    "{r}车辆乱停放堵住消防通道",
    "{r}路口缺少红绿灯早晚高峰拥堵",
    "{r}公交站台雨棚破损",
    "{r}行道树断枝随时会掉下来",
    "{r}停水没有提前通知",
    "{r}自来水发黄有异味",
    "{r}广场舞音响太大",
    "{r}小区电梯经常坏物业不修",
    "{r}物业乱收停车费",
    "{r}流动摊贩卖三无食品",
    "{r}有人露天焚烧垃圾",
    "{r}路面坑洼一下雨就积水",
    "{r}护栏被撞坏一直没修",
)
ROADS = (
    "新荣路",
    "城东路",
    "广场路",
    "北流大道",
    "金融路",
    "西外街",
    "东外街",
    "河堤路",
    "永丰路",
    "城南一路",
    "城北二路",
    "陵宁路",
    "松花路",
    "凤凰路",
    "荔园路",
    "圭江大道",
)
TAILS = ("", "已经好几天了", "希望尽快处理", "老人小孩出行不便", "多次反映没有结果", "请有关部门管一管")


def _text(rng: random.Random) -> str:
    from dangjian.dispatch import similarity as sim

    p = rng.choice(PROBLEMS).format(r=rng.choice(ROADS))
    return sim.normalise(p, p + rng.choice(TAILS))


def _point(rng: random.Random, hot: list[tuple[float, float]]) -> tuple[float, float]:
    if hot and rng.random() < 0.3:
        lng, lat = rng.choice(hot)
        return lng + rng.uniform(-0.0015, 0.0015), lat + rng.uniform(-0.0015, 0.0015)
    return CENTRE[0] + rng.uniform(-SPAN_DEG / 2, SPAN_DEG / 2), CENTRE[1] + rng.uniform(
        -SPAN_DEG / 2, SPAN_DEG / 2
    )


def load(n: int, seed: int) -> tuple[float, list[tuple[float, float]], date]:
    from django.db import connection, transaction

    from dangjian.dispatch import similarity as sim
    from dangjian.dispatch.models import CaseSignature

    rng = random.Random(seed)
    hot = [_point(random.Random(seed + i), []) for i in range(60)]
    start = date(2023, 1, 1)
    table = CaseSignature._meta.db_table
    cols = "case_id, day, cell, lng, lat, category_ref, top_ref, text"
    texts = [_text(rng) for _ in range(5000)]
    t0 = time.perf_counter()
    batch = 50_000
    with transaction.atomic():
        for offset in range(0, n, batch):
            rows = []
            for i in range(offset, min(n, offset + batch)):
                lng, lat = _point(rng, hot)
                cat = rng.randrange(1, 400)
                rows.append(
                    (
                        i + 1,
                        start + timedelta(days=rng.randrange(DAYS)),
                        sim.cell_of(lng, lat),
                        lng,
                        lat,
                        cat,
                        1 + cat % 16,
                        texts[rng.randrange(len(texts))],
                    )
                )
            if connection.vendor == "postgresql":
                buf = io.StringIO()
                for r in rows:
                    buf.write("\t".join(str(v) for v in r) + "\n")
                buf.seek(0)
                with (
                    connection.cursor() as cur,
                    cur.connection.cursor().copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
                ):  # type: ignore[attr-defined]
                    copy.write(buf.getvalue())
            else:
                with connection.cursor() as cur:
                    cur.executemany(f"INSERT INTO {table} ({cols}) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)", rows)  # noqa: S608
    seconds = time.perf_counter() - t0
    with connection.cursor() as cur:
        cur.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {table}")
    return seconds, hot, start


def measure(hot: list[tuple[float, float]], start: date, seed: int) -> dict:
    from dangjian.dispatch import duplicates
    from dangjian.dispatch import similarity as sim
    from dangjian.dispatch.models import CaseSignature

    rng = random.Random(seed + 7)
    queries = []
    for i in range(QUERIES):
        # Half the queries in a hot spot (the worst case: many candidates), half anywhere.
        lng, lat = rng.choice(hot) if i % 2 else _point(rng, [])
        queries.append((lng, lat, start + timedelta(days=rng.randrange(30, DAYS)), _text(rng)))
    for q in queries[:20]:
        duplicates.find(lng=q[0], lat=q[1], day=q[2], text=q[3])
    times, found, candidates = [], 0, []
    for lng, lat, day, text in queries:
        t0 = time.perf_counter()
        hits = duplicates.find(lng=lng, lat=lat, day=day, text=text)
        times.append((time.perf_counter() - t0) * 1000)
        found += bool(hits)
    for lng, lat, day, _ in queries[::10]:
        window = timedelta(days=sim.WINDOW_DAYS)
        candidates.append(
            CaseSignature.objects.filter(
                cell__in=sim.cells_around(lng, lat, sim.RADIUS_M),
                day__gte=day - window,
                day__lte=day + window,
            ).count()
        )
    times.sort()

    def pct(p: float) -> float:
        return round(times[min(len(times) - 1, int(len(times) * p))], 2)

    return {
        "queries": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "max_ms": round(times[-1], 2),
        "mean_candidates": round(statistics.mean(candidates), 1),
        "max_candidates": max(candidates),
        "queries_with_duplicates": found,
        "goal_ms": GOAL_MS,
    }


def run_one(db: str, rows: int, seed: int) -> dict:
    """In this process: set up Django against ``db``, load, measure."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection

    load_s, hot, start = load(rows, seed)
    result = {"db": connection.vendor, "rows": rows, "load_s": round(load_s, 1)}
    result.update(measure(hot, start, seed))
    return result


def run(rows: int = 1_000_000, dbs: tuple[str, ...] = ("sqlite", "postgres"), seed: int = 1) -> dict:
    """Each database in its own subprocess (Django is set up once per process)."""
    import appeals_common as C

    out: dict = {}
    for db in dbs:
        with tempfile.TemporaryDirectory(prefix="dangjian-dup-") as tmp:
            if db == "postgres":
                why = C.pg_reachable()
                if why:
                    out[db] = {"skipped": why}
                    continue
                C.pg_recreate("dangjian_bench_dup")
                env = C.pg_env("dangjian_bench_dup")
            else:
                env = C.sqlite_env(Path(tmp) / "dup.sqlite3")
            res = Path(tmp) / "result.json"
            print(f"dispatch duplicates: {rows:,} signatures on {db} …", flush=True)
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--one",
                    db,
                    "--rows",
                    str(rows),
                    "--seed",
                    str(seed),
                    "--json",
                    str(res),
                ],
                env=env,
                cwd=ROOT,
                check=False,
            )
            out[db] = json.loads(res.read_text()) if res.exists() else {"failed": True}
            if db == "postgres":
                C.pg_drop("dangjian_bench_dup")
    return out


def summary(r: dict) -> str:
    lines = []
    for db, v in r.items():
        if "p50_ms" not in v:
            lines.append(f"duplicates {db}: {v}")
            continue
        ok = "goal met" if v["p99_ms"] < GOAL_MS else "goal NOT met"
        lines.append(
            f"duplicates {db}: {v['rows']:,} rows loaded in {v['load_s']} s; look-up p50 {v['p50_ms']} ms, "
            f"p95 {v['p95_ms']} ms, p99 {v['p99_ms']} ms (goal < {GOAL_MS:g} ms: {ok}); "
            f"candidates scored ≈ {v['mean_candidates']} (max {v['max_candidates']})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
        result = run_one(args.one, args.rows, args.seed)
        if args.json:
            Path(args.json).write_text(json.dumps(result))
        return
    results = run(args.rows, tuple(d.strip() for d in args.db.split(",") if d.strip()), args.seed)
    print(json.dumps(results, ensure_ascii=False, indent=2))
    print(summary(results))


if __name__ == "__main__":
    main()
