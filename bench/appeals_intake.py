"""Intake throughput: the full ``POST /api/v1/appeals/cases`` path against a bare endpoint.

For each database (SQLite, then PostgreSQL ``dangjian_bench`` on 127.0.0.1:5432 when it
answers): a fresh database (migrate + ``gen_city --scale tiny`` + a city admin with an API
token), gunicorn with sync workers (2 per core) on a free 127.0.0.1 port, then the same
load generator against

- ``POST /_bench/insert`` — the bare endpoint (``dangjian/core/bench_views.py``): parse and
  validate a small JSON body, insert one row; and
- ``POST /api/v1/appeals/cases`` with ``Authorization: Bearer`` — token check, validation,
  category, locating the point to its grid, idempotency (a unique ``Idempotency-Key`` per
  request), the case number, deadlines, the transition, audit, the counters.

Printed: req/s (2xx per second), p50/p95/p99 latency, non-2xx, the CPU time per response of
the app, PostgreSQL and the load generator (the three share the machine's cores, so this says
where throughput goes), and the ratio full ÷ bare (goal ≥ 0.6; p99 ≤ 50 ms at 16 connections
on PostgreSQL). Nothing is asserted.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import uuid
from pathlib import Path

import appeals_common as C


def _bare(tid: int, i: int) -> C.Request:
    key = uuid.uuid4().hex
    body = json.dumps({"title": f"压测 {tid}-{i}", "key": key, "note": "路灯不亮"}, ensure_ascii=False)
    return ("POST", "/_bench/insert", body.encode(), {"Content-Type": "application/json"})


def _intake_maker(city: dict, seed: int) -> C.Callable[[int, int], C.Request]:
    rngs: dict[int, random.Random] = {}
    auth = f"Bearer {city['token']}"

    def make(tid: int, i: int) -> C.Request:
        rng = rngs.setdefault(tid, random.Random(seed * 1000 + tid))
        _, _, a, b, c, d = rng.choice(city["grids"])
        body = {
            "category": rng.choice(city["categories"]),
            "title": "小区门口路灯不亮",
            "description": f"晚上十点后整条路没有照明，老人出行不便（压测 {tid}-{i}）",
            "lng": rng.uniform(a, c),
            "lat": rng.uniform(b, d),
            "address": "示范路 12 号",
            "contact_name": "张三",
            "contact_phone": "13800001234",
        }
        headers = {
            "Content-Type": "application/json",
            "Authorization": auth,
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return ("POST", "/api/v1/appeals/cases", json.dumps(body, ensure_ascii=False).encode(), headers)

    return make


def measure(env: dict[str, str], *, label: str, connections: int, seconds: float, workers: int) -> dict:
    print(f"[intake/{label}] fresh database, tiny city, token …", flush=True)
    city = C.setup_city(env)
    port = C.free_port()
    proc = C.start_gunicorn(env, workers=workers, port=port)
    out: dict = {"setup_s": city["setup_s"], "workers": workers, "connections": connections}
    try:
        make = _intake_maker(city, seed=1)
        C.run_load(port, _bare, connections=4, seconds=2)  # warm up both paths and every worker
        C.run_load(port, make, connections=4, seconds=2)
        for name, maker in (("bare", _bare), ("intake", make)):
            print(f"[intake/{label}] {name}: {connections} connections × {seconds:.0f} s …", flush=True)
            workers_, pg = C.worker_pids(proc.pid), C.postgres_pids()
            before = (C.cpu_seconds(workers_), C.cpu_seconds(pg), time.process_time())
            load = C.run_load(port, maker, connections=connections, seconds=seconds)
            after = (C.cpu_seconds(workers_), C.cpu_seconds(pg), time.process_time())
            out[name] = load.summary()
            # Where the 2 cores went, per 2xx response: the app (gunicorn workers; on SQLite
            # this includes the database), PostgreSQL's processes, this load generator.
            out[name]["cpu_ms"] = {
                part: round((b - a) * 1000 / max(1, load.ok), 2)
                for part, a, b in zip(("app", "postgres", "loadgen"), before, after, strict=True)
            }
    finally:
        C.stop(proc)
    bare, full = out["bare"]["req_per_s"], out["intake"]["req_per_s"]
    out["ratio"] = round(full / bare, 3) if bare else None
    return out


def run(*, connections: int = 16, seconds: float = 20.0, pg: bool = True) -> dict:
    workers = 2 * (os.cpu_count() or 1)
    results: dict = {}
    with tempfile.TemporaryDirectory(prefix="dangjian-intake-") as tmp:
        results["sqlite"] = measure(
            C.sqlite_env(Path(tmp) / "intake.sqlite3"),
            label="sqlite",
            connections=connections,
            seconds=seconds,
            workers=workers,
        )
    if pg:
        why = C.pg_reachable()
        if why:
            print(f"[intake/postgres] skipped: PostgreSQL unreachable ({why})")
            results["postgres"] = {"skipped": why}
        else:
            C.pg_recreate()
            try:
                results["postgres"] = measure(
                    C.pg_env(), label="postgres", connections=connections, seconds=seconds, workers=workers
                )
            finally:
                C.pg_drop()
    print(report(results))
    return results


def report(r: dict) -> str:
    lines = ["", "Intake throughput (full POST /api/v1/appeals/cases vs bare validate+insert)"]
    for db in ("sqlite", "postgres"):
        m = r.get(db)
        if not m:
            continue
        if "skipped" in m:
            lines.append(f" {db}: skipped ({m['skipped']})")
            continue
        lines.append(f" {db}: gunicorn {m['workers']} sync workers, {m['connections']} connections")
        for name in ("bare", "intake"):
            s = m[name]
            lines.append(
                f"  {name:<7} {s['req_per_s']:>8.1f} req/s  p50 {s['p50_ms']:>6.1f} ms  p95 {s['p95_ms']:>6.1f} ms"
                f"  p99 {s['p99_ms']:>6.1f} ms  non-2xx {s['non_2xx']}  conn errors {s['conn_errors']}"
                f"  ({s['requests']} requests)"
            )
            cpu = s["cpu_ms"]
            lines.append(
                f"          CPU per response: app {cpu['app']:.2f} ms"
                + (f" + PostgreSQL {cpu['postgres']:.2f} ms" if db == "postgres" else "")
                + f" + load generator {cpu['loadgen']:.2f} ms"
            )
        ratio = m["ratio"]
        lines.append(
            C.goal("ratio intake ÷ bare", f"{ratio:.2f}", "≥ 0.6", ratio is not None and ratio >= 0.6)
        )
        if db == "postgres":
            p99 = m["intake"]["p99_ms"]
            lines.append(
                C.goal(f"intake p99 at {m['connections']} connections", f"{p99:.1f} ms", "≤ 50 ms", p99 <= 50)
            )
    return "\n".join(lines)


if __name__ == "__main__":
    t0 = time.perf_counter()
    run(seconds=float(os.environ.get("BENCH_SECONDS", "20")))
    print(f"({time.perf_counter() - t0:.0f} s)")
