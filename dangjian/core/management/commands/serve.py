"""``dangjian serve``: the background worker, the timers and the web server, side by side.

Starts ``manage.py db_worker`` (django-tasks), ``manage.py timers`` (enqueues the appeal
timers every minute for the worker) and gunicorn as child processes, forwards SIGINT/SIGTERM
to all of them, and exits when any of them exits (taking the others down), with that
child's exit status. Migrations are not run here (``make run`` migrates first).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1)


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    """gunicorn with its access log on stdout, written by ``core.accesslog.RedactingLogger``:
    query values, the tracking link's token and credential headers never reach the log."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dangjian.wsgi:application",
        "--workers",
        str(max(1, workers)),
        "--worker-class",
        "sync",
        "--bind",
        bind,
        "--access-logfile",
        "-",
        "--logger-class",
        "dangjian.core.accesslog.RedactingLogger",
    ]


class Command(BaseCommand):
    help = "启动后台任务进程（db_worker）、诉求定时任务（timers）和 gunicorn 网站服务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="gunicorn 进程数（默认 2×CPU 核数）"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        manage = [sys.executable, "-m", "dangjian"]
        bind = f"{opts['host']}:{opts['port']}"
        gunicorn = gunicorn_argv(bind, opts["workers"])
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "dangjian.settings"),
        }
        children = [
            subprocess.Popen([*manage, "db_worker", "--no-reload"], env=env),  # noqa: S603 - fixed argv, no shell
            subprocess.Popen([*manage, "timers"], env=env),  # noqa: S603
            subprocess.Popen(gunicorn, env=env),  # noqa: S603
        ]
        host = "127.0.0.1" if opts["host"] in ("0.0.0.0", "::") else opts["host"]  # noqa: S104
        self.stdout.write(self.style.SUCCESS(f"服务已启动：http://{host}:{opts['port']}/  （Ctrl+C 停止）"))

        def forward(signum: int, _frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signum)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        status = self.wait_any(children)
        self.stop(children)
        sys.exit(status)

    @staticmethod
    def wait_any(children: list[subprocess.Popen]) -> int:
        while True:
            for child in children:
                code = child.poll()
                if code is not None:
                    return code
            time.sleep(0.2)

    @staticmethod
    def stop(children: list[subprocess.Popen], grace: float = 10.0) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + grace
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
