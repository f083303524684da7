"""Benchmarks: grid location at city scale and generating a Yulin-sized city.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py [--quick]``). Nothing is
asserted; the figures are printed as a table and written to ``bench/out/results.json``
(git-ignored). Each part uses its own temporary SQLite database, never ``var/``.

(a) ``locate`` — the point-in-grid look-up every appeal, patrol and import makes.
    6,000 grid polygons (a jittered lattice, as ``gen_city`` makes them) are inserted,
    then ``territory.geo.locate_id`` is timed one call at a time over 50,000 random points
    in the area (throughput, p50 and p99 latency in µs) and ``geo.locate_many`` over the
    same points as one batch. The STRtree index build time is reported too.

(b) ``gen_city --scale city`` — seed 001's city: 750 grids, 1,000,000 residents,
    225,000 in-service members, 2,108 units, households and organisations — in a
    subprocess with its own database: wall time and database size on disk.
    ``--quick`` uses ``--scale small`` (1/50) instead.

Appeals (issue 3), each its own module, each printing its goals next to the figures:

(c) ``intake``    — bench/appeals_intake.py: the full POST /api/v1/appeals/cases path under
    gunicorn vs a bare validate-and-insert endpoint, on SQLite and PostgreSQL.
(d) ``dashboard`` — bench/appeals_dashboard.py: the three rates at 1M and 10M cases (PostgreSQL).
(e) ``crash``     — bench/appeals_crash.py: kills a worker and crashes PostgreSQL mid-load.
    It stops the machine's PostgreSQL, so it runs ONLY when named: ``--only crash``.
(f) ``needs``     — bench/needs_assign.py: campaign batch assignment, 10,000 needs × 225,000
    members (issue 5), and its total cost against the exact optimum on 500 × 5,000.
(g) ``service``   — bench/service_guards.py: dHash per photo and the photo-reuse scan of one
    new record against 10k/100k/1M stored hashes (issue 5, formalism guards).
(p) ``points``    — bench/points_ledger.py: one award, a repeated (idempotent) award, one
    redemption and the full ledger check over 3,300 movements (issue 5, F6).
(i) ``intel``     — bench/intel_classify.py: appeal text classification (issue 4): prediction
    latency p50/p99, training on 10,000 generated cases, held-out macro F1 per variant.

(s) ``start``     — bench/first_page.py: from an empty SQLite database, migrate + collectstatic +
    the demo city + ``dangjian serve`` until ``/`` answers: time to first page (goal ≤ 60 s,
    issue 11), the demo build time, and when the worker has trained the demo classifier.

``--only foundation,intake`` runs a subset (foundation = (a) and (b)); the default is
everything but ``crash``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def bench_locate(workdir: Path, *, grids: int, points: int, seed: int) -> dict:
    os.environ["SQLITE_PATH"] = str(workdir / "locate.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max, Min

    call_command("migrate", verbosity=0)
    from dangjian.demo.citygen import Generator, grids_only
    from dangjian.territory import geo
    from dangjian.territory.models import Node

    t0 = time.perf_counter()
    Generator(grids_only(grids), seed=seed).run()
    insert_s = time.perf_counter() - t0
    geo.invalidate()
    t0 = time.perf_counter()
    idx = geo.grid_index()
    index_s = time.perf_counter() - t0
    box = Node.objects.filter(level="grid").aggregate(
        a=Min("min_lng"), b=Min("min_lat"), c=Max("max_lng"), d=Max("max_lat")
    )
    rng = random.Random(seed)
    pts = [(rng.uniform(box["a"], box["c"]), rng.uniform(box["b"], box["d"])) for _ in range(points)]
    for lng, lat in pts[:1000]:  # warm up
        geo.locate_id(lng, lat)
    lat_ns: list[int] = []
    hits = 0
    clock = time.perf_counter_ns
    t0 = time.perf_counter()
    for lng, lat in pts:
        s = clock()
        found = geo.locate_id(lng, lat)
        lat_ns.append(clock() - s)
        hits += found is not None
    single_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    many = geo.locate_many(pts)
    batch_s = time.perf_counter() - t0
    lat_ns.sort()
    return {
        "grids": len(idx.ids),
        "points": points,
        "insert_grids_s": round(insert_s, 2),
        "index_build_s": round(index_s, 3),
        "single_ops_per_s": round(points / single_s),
        "single_p50_us": round(statistics.median(lat_ns) / 1000, 1),
        "single_p99_us": round(lat_ns[int(len(lat_ns) * 0.99)] / 1000, 1),
        "batch_points_per_s": round(points / batch_s),
        "hit_rate": round(hits / points, 4),
        "batch_agrees": sum(
            1 for m, (lng, lat) in zip(many, pts[:2000], strict=False) if m == geo.locate_id(lng, lat)
        )
        == min(2000, points),
    }


def bench_gen(workdir: Path, *, scale: str, seed: int) -> dict:
    db = workdir / f"gen-{scale}.sqlite3"
    env = {**os.environ, "SQLITE_PATH": str(db), "DJANGO_SETTINGS_MODULE": "dangjian.settings"}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    report = workdir / "report.json"
    t0 = time.perf_counter()
    subprocess.run(
        [*manage, "gen_city", "--scale", scale, "--seed", str(seed), "--report-json", str(report)],
        env=env,
        check=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - t0
    data = json.loads(report.read_text())
    size = sum(p.stat().st_size for p in workdir.glob(f"gen-{scale}.sqlite3*"))
    return {
        "scale": scale,
        "seed": seed,
        "wall_s": round(wall, 1),
        "generate_s": round(data["seconds"], 1),
        "db_mb": round(size / 2**20, 1),
        "totals": data["totals"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="gen_city --scale small instead of city")
    parser.add_argument("--grids", type=int, default=6000)
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-gen", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    parser.add_argument(
        "--only",
        default="foundation,intake,dashboard",
        help="comma-separated subset of: foundation, intake, dashboard, crash, needs, service, dispatch, points, intel, start (crash only when named)",
    )
    parser.add_argument("--intake-seconds", type=float, default=20.0)
    parser.add_argument("--dashboard-sizes", default="1000000,10000000")
    args = parser.parse_args()
    only = {p.strip() for p in args.only.split(",") if p.strip()}
    unknown = only - {
        "foundation",
        "intake",
        "dashboard",
        "crash",
        "needs",
        "service",
        "dispatch",
        "points",
        "intel",
        "start",
    }
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    if only & {"intake", "crash"}:
        sys.path.insert(0, str(ROOT / "bench"))

    workdir = Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    results: dict = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()} × {os.cpu_count()} CPU",
    }
    try:
        if "intake" in only:
            import appeals_intake

            results["appeals_intake"] = appeals_intake.run(seconds=args.intake_seconds)
        if "dashboard" in only:
            dash_json = workdir / "dashboard.json"
            subprocess.run(  # its own process: it sets up Django against its own database
                [
                    sys.executable,
                    str(ROOT / "bench" / "appeals_dashboard.py"),
                    "--sizes",
                    args.dashboard_sizes,
                    "--json",
                    str(dash_json),
                ],
                cwd=ROOT,
                check=False,
            )
            if dash_json.exists():
                results["appeals_dashboard"] = json.loads(dash_json.read_text())
        if "needs" in only:  # bench/needs_assign.py: 10,000 needs over 225,000 members
            sys.path.insert(0, str(ROOT / "bench"))
            import needs_assign

            results["needs_assign"] = needs_assign.run()
            print(json.dumps(results["needs_assign"], ensure_ascii=False, indent=2), flush=True)
        if "dispatch" in only:  # bench/dispatch_duplicates.py: duplicate look-up at 1M cases
            sys.path.insert(0, str(ROOT / "bench"))
            import dispatch_duplicates

            results["dispatch_duplicates"] = dispatch_duplicates.run()
            print(dispatch_duplicates.summary(results["dispatch_duplicates"]), flush=True)
        if "intel" in only:  # bench/intel_classify.py: classification latency, 10k training
            sys.path.insert(0, str(ROOT / "bench"))
            import intel_classify

            results["intel_classify"] = intel_classify.run()
            print(json.dumps(results["intel_classify"], ensure_ascii=False, indent=2), flush=True)
        if "service" in only:  # bench/service_guards.py: photo-reuse guard cost
            sys.path.insert(0, str(ROOT / "bench"))
            import service_guards

            results["service_guards"] = service_guards.run()
            print(json.dumps(results["service_guards"], ensure_ascii=False, indent=2), flush=True)
        if "points" in only:  # bench/points_ledger.py: award, redeem and ledger check cost
            sys.path.insert(0, str(ROOT / "bench"))
            import points_ledger

            results["points_ledger"] = points_ledger.run()
            print(json.dumps(results["points_ledger"], ensure_ascii=False, indent=2), flush=True)
        if "start" in only:  # bench/first_page.py: a one-minute start (issue 11)
            sys.path.insert(0, str(ROOT / "bench"))
            import first_page

            results["first_page"] = first_page.run()
            print(first_page.summary(results["first_page"]), flush=True)
        if "crash" in only:
            import appeals_crash

            results["appeals_crash"] = appeals_crash.run()
        if "foundation" in only and not args.skip_gen:
            scale = "small" if args.quick else "city"
            print(f"gen_city --scale {scale} …", flush=True)
            results["gen_city"] = bench_gen(workdir, scale=scale, seed=args.seed)
        if "foundation" in only:
            print(f"locate over {args.grids:,} grids …", flush=True)
            results["locate"] = bench_locate(workdir, grids=args.grids, points=args.points, seed=args.seed)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(summary(results))
    print(f"\n→ {OUT / 'results.json'}")


def summary(r: dict) -> str:
    rows = [("machine", r["machine"])]
    if "locate" in r:
        loc = r["locate"]
        rows += [
            ("locate: grids", f"{loc['grids']:,}"),
            ("locate: index build", f"{loc['index_build_s']} s"),
            ("locate_id: throughput", f"{loc['single_ops_per_s']:,} ops/s"),
            ("locate_id: p50 / p99", f"{loc['single_p50_us']} µs / {loc['single_p99_us']} µs"),
            ("locate_many: throughput", f"{loc['batch_points_per_s']:,} points/s"),
            ("locate: points inside a grid", f"{loc['hit_rate']:.1%}"),
        ]
    if "gen_city" in r:
        gen = r["gen_city"]
        t = gen["totals"]
        rows += [
            (
                f"gen_city --scale {gen['scale']}: time",
                f"{gen['wall_s']} s (generation {gen['generate_s']} s)",
            ),
            ("gen_city: database size", f"{gen['db_mb']:,} MB"),
            ("gen_city: residents / members", f"{t.get('居民', 0):,} / {t.get('党员', 0):,}"),
            (
                "gen_city: grids / households / units",
                f"{t.get('网格', 0):,} / {t.get('户', 0):,} / {t.get('单位', 0):,}",
            ),
        ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


if __name__ == "__main__":
    main()
