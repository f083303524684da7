"""Crash test: kill a gunicorn worker, then crash and restart PostgreSQL, mid-load.

ONLY run explicitly (``python bench/run.py --only crash``): it stops the machine's
PostgreSQL cluster with ``pg_ctlcluster … stop -m immediate`` (a crash: no checkpoint) and
starts it again (always, in a ``finally``).

8 client threads post cases with unique ``Idempotency-Key``s and, like a real client,
retry a request that failed (connection error, timeout, 5xx) with the SAME key and body
until it gets a definite answer. Timeline: load 4 s → SIGKILL one gunicorn worker → 3 s →
PostgreSQL crash (immediate stop) → ~5 s down → restart → 6 s more load → stop.

Then, against the database: every key that got a 2xx must be there exactly once (the
idempotency key is unique, and the case number the client was told must match), no case
may exist twice for one logical request, and while the database was down the answers must
be 503 with ``Retry-After`` — never 500. Counts and verdict lines are printed.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import threading
import time
import uuid

import appeals_common as C

CONNECTIONS = 8


def pg_version() -> str:
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True)  # noqa: S607
    return out.stdout.split()[0]


def pg_ctl(version: str, action: str, *extra: str) -> None:
    subprocess.run(  # noqa: S603, S607 - fixed argv
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *extra], check=True
    )


def wait_pg(seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if C.pg_reachable() is None:
            return True
        time.sleep(0.5)
    return False


def run(*, before_kill: float = 4, before_crash: float = 3, down: float = 5, after: float = 6) -> dict:
    why = C.pg_reachable()
    if why:
        print(f"[crash] skipped: PostgreSQL unreachable ({why})")
        return {"skipped": why}
    version = pg_version()
    C.pg_recreate()
    env = C.pg_env()
    print("[crash] fresh database, tiny city, token …", flush=True)
    city = C.setup_city(env)
    port = C.free_port()
    workers = 2 * (os.cpu_count() or 1)
    proc = C.start_gunicorn(env, workers=workers, port=port, timeout=20)

    stop_at = [float("inf")]
    lock = threading.Lock()
    acked: dict[str, str] = {}  # key → number told to the client (2xx)
    statuses: dict[int, int] = {}
    retry_after_missing = [0]
    conn_errors = [0]
    given_up: list[str] = []
    events: list[tuple[float, str]] = []
    t_start = time.monotonic()

    def client(tid: int) -> None:
        rng = random.Random(tid)
        conn: http.client.HTTPConnection | None = None
        i = 0
        while time.monotonic() < stop_at[0]:
            key = uuid.uuid4().hex
            _, _, a, b, c, d = rng.choice(city["grids"])
            body = json.dumps(
                {
                    "category": rng.choice(city["categories"]),
                    "title": "井盖缺失",
                    "description": f"路口井盖缺失，夜间危险（崩溃测试 {tid}-{i}）",
                    "lng": rng.uniform(a, c),
                    "lat": rng.uniform(b, d),
                },
                ensure_ascii=False,
            ).encode()
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {city['token']}",
                "Idempotency-Key": key,
            }
            i += 1
            deadline = time.monotonic() + 60  # retry the same key for at most a minute
            while time.monotonic() < deadline:
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("POST", "/api/v1/appeals/cases", body=body, headers=headers)
                    resp = conn.getresponse()
                    payload = resp.read()
                    if resp.will_close:
                        conn.close()
                        conn = None
                except (OSError, http.client.HTTPException):
                    with lock:
                        conn_errors[0] += 1
                    if conn is not None:
                        conn.close()
                    conn = None
                    time.sleep(0.2)
                    continue
                with lock:
                    statuses[resp.status] = statuses.get(resp.status, 0) + 1
                    if resp.status == 503 and not resp.getheader("Retry-After"):
                        retry_after_missing[0] += 1
                if 200 <= resp.status < 300:
                    with lock:
                        acked[key] = json.loads(payload)["number"]
                    break
                if resp.status >= 500:
                    time.sleep(0.3)
                    continue
                break  # 4xx: a definite answer (counted), no retry
            else:
                with lock:
                    given_up.append(key)

    threads = [threading.Thread(target=client, args=(t,), daemon=True) for t in range(CONNECTIONS)]
    stop_at[0] = time.monotonic() + before_kill + before_crash + down + after + 60
    for th in threads:
        th.start()
    out: dict = {"pg_version": version, "workers": workers}
    try:
        time.sleep(before_kill)
        victim = C.worker_pids(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)
        events.append((time.monotonic() - t_start, f"SIGKILL gunicorn worker {victim}"))
        time.sleep(before_crash)
        with lock:
            before = dict(statuses)
        events.append((time.monotonic() - t_start, "PostgreSQL stop -m immediate"))
        pg_ctl(version, "stop", "-m", "immediate")
        time.sleep(down)
        with lock:
            during = {s: n - before.get(s, 0) for s, n in statuses.items()}
    finally:
        subprocess.run(  # noqa: S603, S607 - always bring PostgreSQL back
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )
        events.append((time.monotonic() - t_start, "PostgreSQL started"))
        wait_pg()
    try:
        time.sleep(after)
        stop_at[0] = time.monotonic()  # no new requests; retries in flight finish (≤ 60 s)
        for th in threads:
            th.join(75)
        events.append((time.monotonic() - t_start, "load stopped"))
    finally:
        C.stop(proc)
    try:
        out.update(verify(env, acked))
    finally:
        C.pg_drop()
    out.update(
        acked=len(acked),
        statuses={str(k): v for k, v in sorted(statuses.items())},
        during_outage={str(k): v for k, v in sorted(during.items()) if v},
        retry_after_missing=retry_after_missing[0],
        conn_errors=conn_errors[0],
        given_up=len(given_up),
        events=[f"{t:5.1f} s  {e}" for t, e in events],
    )
    print(report(out))
    return out


def verify(env: dict[str, str], acked: dict[str, str]) -> dict:
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as conn:
        rows = conn.execute("SELECT idempotency_key, number FROM appeals_case").fetchall()
        dup_numbers = conn.execute(
            "SELECT count(*) FROM (SELECT number FROM appeals_case GROUP BY number HAVING count(*) > 1) d"
        ).fetchone()
        dup_keys = conn.execute(
            "SELECT count(*) FROM (SELECT idempotency_key FROM appeals_case GROUP BY 1 HAVING count(*) > 1) d"
        ).fetchone()
        stat_total = conn.execute(
            "SELECT coalesce(sum(s.received), 0) FROM appeals_casestat s JOIN territory_node n ON n.id = s.node_id "
            "WHERE n.level = 'city' AND NOT s.monthly AND s.category_id IS NULL"
        ).fetchone()
    by_key: dict[str, list[str]] = {}
    for k, num in rows:
        by_key.setdefault(k, []).append(num)
    missing = [k for k in acked if k not in by_key]
    wrong_number = [k for k, num in acked.items() if k in by_key and by_key[k] != [num]]
    return {
        "cases_in_db": len(rows),
        "missing": len(missing),
        "wrong_number": len(wrong_number),
        "duplicate_keys": dup_keys[0] if dup_keys else 0,
        "duplicate_numbers": dup_numbers[0] if dup_numbers else 0,
        "unacked_in_db": len(set(by_key) - set(acked)),
        "casestat_received": int(stat_total[0]) if stat_total else 0,
    }


def report(r: dict) -> str:
    if "skipped" in r:
        return f"Crash test skipped: {r['skipped']}"
    s = r["statuses"]
    n500 = sum(v for k, v in s.items() if k.startswith("5") and k != "503")
    lines = [
        "",
        f"Crash test (PostgreSQL {r['pg_version']}, {r['workers']} gunicorn workers, {CONNECTIONS} clients)",
        *[f"  {e}" for e in r["events"]],
        f"  responses by status: {s}; while the database was down: {r['during_outage']}",
        f"  connection errors/timeouts (retried with the same key): {r['conn_errors']}; given up: {r['given_up']}",
        f"  2xx-acknowledged cases: {r['acked']}; cases in the database: {r['cases_in_db']} "
        f"(created but never acknowledged to the client: {r['unacked_in_db']}); "
        f"CaseStat received at city level: {r['casestat_received']}",
        C.goal("acknowledged cases missing", str(r["missing"]), "0", r["missing"] == 0),
        C.goal("acknowledged with another number", str(r["wrong_number"]), "0", r["wrong_number"] == 0),
        C.goal(
            "duplicated (keys / numbers)",
            f"{r['duplicate_keys']} / {r['duplicate_numbers']}",
            "0 / 0",
            r["duplicate_keys"] == 0 and r["duplicate_numbers"] == 0,
        ),
        C.goal("500-class answers other than 503", str(n500), "0", n500 == 0),
        C.goal("503 without Retry-After", str(r["retry_after_missing"]), "0", r["retry_after_missing"] == 0),
        C.goal(
            "503 answers while the database was down",
            str(r["during_outage"].get("503", 0)),
            "> 0",
            r["during_outage"].get("503", 0) > 0,
        ),
        C.goal(
            "counters = cases (CaseStat city received)",
            f"{r['casestat_received']} / {r['cases_in_db']}",
            "equal",
            r["casestat_received"] == r["cases_in_db"],
        ),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    run()
