"""A one-minute start (issue 11): from an empty SQLite database to the first page.

Goal (issue 11): ``make run`` on a fresh clone serves its first page in ≤ 60 s once the
dependencies are installed.

The steps of ``make run`` after ``make install``, each a subprocess against a new SQLite
database in a temporary directory (static files too), timed one after the other:

1. ``manage.py migrate``;
2. ``manage.py collectstatic``;
3. ``dangjian demo --if-empty`` (the full demo city: 3 streets, 33 communities, 97 grids,
   5,000 residents, ~600 cases); its own phase lines (``用时 … 秒``) are kept;
4. ``dangjian serve --accounts`` (gunicorn, db_worker, timers) until ``GET /`` answers:
   **time to first page** = 1 + 2 + 3 + 4; then until the banner (URL and demo accounts)
   has been printed, and until the worker has trained and activated the demo classifier.

Also counted: the lines the worker wrote per task (``Task id=…``): 0 when successes are
quiet. Nothing is asserted. Run: ``.venv/bin/python bench/first_page.py`` or
``bench/run.py --only start``; ``--classifier now`` trains inside the demo build instead.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from dangjian.core.management.commands.serve import answers

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _classifier_active(db: Path) -> bool:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT 1 FROM intel_classifierversion WHERE active").fetchone() is not None
    except sqlite3.Error:
        return False


def run(*, classifier: str = "worker", wait_classifier: float = 300.0) -> dict:
    work = Path(tempfile.mkdtemp(prefix="dangjian-start-"))
    db = work / "db.sqlite3"
    env = {
        **os.environ,
        "SQLITE_PATH": str(db),
        "STATIC_ROOT": str(work / "static"),
        "DJANGO_SETTINGS_MODULE": "dangjian.settings",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    dangjian = [str(BIN / "dangjian")]
    result: dict = {"classifier": classifier}

    def step(name: str, argv: list[str]) -> str:
        t0 = time.perf_counter()
        out = subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True, text=True).stdout  # noqa: S603
        result[f"{name}_s"] = round(time.perf_counter() - t0, 1)
        return out

    start = time.perf_counter()
    step("migrate", [*manage, "migrate", "--no-input", "-v0"])
    step("collectstatic", [*manage, "collectstatic", "--no-input", "-v0"])
    out = step("demo", [*dangjian, "demo", "--if-empty", "--classifier", classifier])
    result["demo_phases"] = [line.strip() for line in out.splitlines() if "用时" in line]
    port = _free_port()
    t0 = time.perf_counter()
    server = subprocess.Popen(  # noqa: S603
        [*dangjian, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "2", "--accounts"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []
    banner = threading.Event()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("请用浏览器打开"):
                banner.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        while not answers("127.0.0.1", port, timeout=2):
            if server.poll() is not None:
                raise RuntimeError("dangjian serve exited:\n" + "\n".join(lines))
            time.sleep(0.1)
        result["serve_s"] = round(time.perf_counter() - t0, 1)
        result["first_page_s"] = round(time.perf_counter() - start, 1)
        banner.wait(30)
        result["banner_s"] = round(time.perf_counter() - start, 1)
        deadline = time.monotonic() + wait_classifier
        while not _classifier_active(db) and time.monotonic() < deadline:
            time.sleep(1)
        if _classifier_active(db):
            result["classifier_active_s"] = round(time.perf_counter() - start, 1)
        time.sleep(2)  # the worker's last lines
    finally:
        before_stop = len(lines)
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        reader.join(5)
    result["worker_task_lines"] = sum(
        1 for line in lines[:before_stop] if re.search(r"Task id=\S+ path=", line)
    )
    # What came after the banner until the server was stopped, but the access log of the
    # requests made here: nothing, when the banner is last (and no task failed).
    end = max((i for i, x in enumerate(lines) if x.startswith("请用浏览器打开")), default=len(lines))
    result["after_banner"] = [x for x in lines[end + 1 : before_stop] if '"GET / ' not in x]
    return result


def summary(r: dict) -> str:
    rows = [
        (
            "classifier trained",
            "by the worker after start" if r["classifier"] == "worker" else "in the demo build",
        ),
        ("migrate", f"{r['migrate_s']} s"),
        ("collectstatic", f"{r['collectstatic_s']} s"),
        ("demo build (wall)", f"{r['demo_s']} s"),
        ("serve until / answers", f"{r['serve_s']} s"),
        ("time to first page", f"{r['first_page_s']} s   (goal ≤ 60 s)"),
        ("URL and accounts printed at", f"{r['banner_s']} s"),
        ("classifier active at", f"{r.get('classifier_active_s', '—')} s"),
        ("worker lines per task", str(r["worker_task_lines"])),
        ("lines printed after the banner", str(len(r["after_banner"]))),
    ]
    width = max(len(k) for k, _ in rows)
    text = "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)
    return text + "\ndemo phases:\n" + "\n".join(f"  {p}" for p in r["demo_phases"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--classifier", choices=("worker", "now"), default="worker")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()
    r = run(classifier=args.classifier)
    print(summary(r))
    if args.json:
        Path(args.json).write_text(json.dumps(r, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
