"""Shared pieces of the appeals benchmarks: fresh databases, a seeded city, gunicorn as a
subprocess, and a small keep-alive HTTP load generator (threads + http.client).

Everything talks to 127.0.0.1 only, and every load loop is bounded in time and count.
Run ``python bench/appeals_common.py setup`` (with SQLITE_PATH or DATABASE_URL in the
environment) to migrate, generate a tiny city and print a JSON description of it.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_BENCH_DB = "dangjian_bench"


# --- environments and databases -------------------------------------------------------


def base_env(**extra: str) -> dict[str, str]:
    """A production-like environment (DEBUG=0) with throw-away keys."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update(
        DJANGO_SETTINGS_MODULE="dangjian.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        DANGJIAN_DATA_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        BENCH_ENDPOINTS="1",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="0",
        LOG_LEVEL="ERROR",
        # The rate limits stay on (their cost is part of what is measured) but never trip.
        API_RATE_LIMIT_TOKEN="100000000/60",
        API_RATE_LIMIT_ADDRESS="100000000/60",
    )
    env.update(extra)
    return env


def sqlite_env(path: Path) -> dict[str, str]:
    return base_env(SQLITE_PATH=str(path))


def pg_url(db: str = PG_BENCH_DB) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + db


def pg_env(db: str = PG_BENCH_DB) -> dict[str, str]:
    return base_env(DATABASE_URL=pg_url(db), CONN_MAX_AGE="600")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def pg_reachable() -> str | None:
    """None when PostgreSQL answers, else the reason."""
    try:
        pg_admin("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "skip PostgreSQL"
        return str(exc).strip().splitlines()[0]
    return None


def pg_recreate(db: str = PG_BENCH_DB) -> None:
    pg_drop(db)
    pg_admin(f'CREATE DATABASE "{db}"')


def pg_drop(db: str = PG_BENCH_DB) -> None:
    pg_admin(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def setup_city(env: dict[str, str]) -> dict:
    """Migrate and seed a tiny city in a child process; returns what the load needs."""
    t0 = time.perf_counter()
    out = subprocess.run(  # noqa: S603 - fixed argv
        [PY, str(Path(__file__).resolve()), "setup"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["setup_s"] = round(time.perf_counter() - t0, 1)
    return data


def _setup_child() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("gen_city", scale="tiny", seed=1, verbosity=0)
    from dangjian.accounts import actions as account_actions
    from dangjian.appeals.models import Category
    from dangjian.territory.models import Node

    city = Node.objects.get(level="city")
    admin = account_actions.create_user(
        phone="13900000001", password="Bench#2026pw", name="压测管理员", acting_user=None
    )
    account_actions.assign_role(user=admin, role="city_admin", node=city, acting_user=None)
    _, raw = account_actions.issue_token(user=admin, name="bench", acting_user=None)
    cats = list(
        Category.objects.filter(level=3, active=True, enterprise=False)
        .order_by("code")
        .values_list("id", flat=True)[:40]
    )
    points = [
        ((g.min_lng + g.max_lng) / 2, (g.min_lat + g.max_lat) / 2, g.min_lng, g.min_lat, g.max_lng, g.max_lat)
        for g in Node.objects.filter(level="grid")
    ]
    print(json.dumps({"token": raw, "categories": cats, "grids": points, "city": city.pk}))


# --- gunicorn -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(env: dict[str, str], *, workers: int, port: int, timeout: int = 30) -> subprocess.Popen:
    argv = [
        PY,
        "-m",
        "gunicorn",
        "dangjian.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "5",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(argv, env=env, cwd=ROOT)  # noqa: S603 - fixed argv
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/_bench/insert")  # 405: the app is loaded and answering
            conn.getresponse().read()
            conn.close()
            return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("gunicorn did not come up in 60 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def worker_pids(master_pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master_pid)], capture_output=True, text=True)  # noqa: S603, S607
    return [int(x) for x in out.stdout.split()]


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the processes have used so far (Linux /proc; 0 for gone ones)."""
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (backends, WAL writer, checkpointer …)."""
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)  # noqa: S603, S607
    return [int(x) for x in out.stdout.split()]


# --- load generator -------------------------------------------------------------------


@dataclass
class Load:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, 2xx and non-2xx responses
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # connection errors and timeouts

    @property
    def responses(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok(self) -> int:
        return sum(n for s, n in self.statuses.items() if 200 <= s < 300)

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(len(xs) * q))] * 1000

    def summary(self) -> dict:
        return {
            "requests": self.responses,
            "req_per_s": round(self.ok / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.pct(0.50), 1),
            "p95_ms": round(self.pct(0.95), 1),
            "p99_ms": round(self.pct(0.99), 1),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1) if self.latencies else None,
            "non_2xx": self.responses - self.ok,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "conn_errors": self.errors,
        }


Request = tuple[str, str, bytes, dict[str, str]]  # method, path, body, headers


def run_load(
    port: int,
    make: Callable[[int, int], Request],
    *,
    connections: int,
    seconds: float,
    max_requests: int = 200_000,
    timeout: float = 10.0,
) -> Load:
    """``connections`` threads, each with one keep-alive connection, sending ``make(thread, i)``
    back to back until ``seconds`` have passed or ``max_requests`` were sent in all."""
    load = Load()
    lock = threading.Lock()
    sent = [0]
    deadline = time.monotonic() + seconds

    def worker(tid: int) -> None:
        conn: http.client.HTTPConnection | None = None
        lat: list[float] = []
        statuses: dict[int, int] = {}
        errors = 0
        i = 0
        while time.monotonic() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            method, path, body, headers = make(tid, i)
            i += 1
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException):
                errors += 1
                conn.close()
                conn = None
                continue
            lat.append(time.perf_counter() - t)
            statuses[resp.status] = statuses.get(resp.status, 0) + 1
            if resp.getheader("Connection", "").lower() == "close" or resp.will_close:
                conn.close()
                conn = None
        if conn is not None:
            conn.close()
        with lock:
            load.latencies.extend(lat)
            load.errors += errors
            for s, n in statuses.items():
                load.statuses[s] = load.statuses.get(s, 0) + n

    threads = [threading.Thread(target=worker, args=(t,), daemon=True) for t in range(connections)]
    t0 = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    load.seconds = time.perf_counter() - t0
    return load


def goal(label: str, measured: str, target: str, met: bool | None) -> str:
    mark = "—" if met is None else ("met" if met else "NOT met")
    return f"  {label:<44} {measured:>18}   goal {target:<16} {mark}"


if __name__ == "__main__" and sys.argv[1:] == ["setup"]:
    _setup_child()
