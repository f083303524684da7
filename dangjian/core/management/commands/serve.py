"""``dangjian serve``: the background worker, the timers and the web server, side by side.

Starts ``manage.py db_worker`` (django-tasks), ``manage.py timers`` (enqueues the appeal
timers every minute for the worker) and gunicorn as child processes, forwards SIGINT/SIGTERM
to all of them, and exits when any of them exits (taking the others down), with that
child's exit status. Migrations are not run here (``make run`` migrates first).
"""

from __future__ import annotations

import http.client
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection


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
        # Its start-up lines (one "Booting worker" per process) would come after the banner.
        "--log-level",
        "warning",
    ]


def answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether an HTTP server answers ``GET /`` at host:port (any status counts)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", "/", headers={"Host": host})
        conn.getresponse().read()
    except OSError:
        return False
    finally:
        conn.close()
    return True


def banner(url: str, accounts: str = "") -> str:
    """What ``dangjian serve`` prints once the site answers: the URL, then the demo accounts."""
    lines = [f"服务已启动：{url}  （Ctrl+C 停止）"]
    if accounts:
        lines += ["演示账号：", accounts, f"请用浏览器打开 {url} ，用上面的手机号和密码登录。"]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "启动后台任务进程（db_worker）、诉求定时任务（timers）和 gunicorn 网站服务"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help="gunicorn 进程数（默认 2×CPU 核数）"
        )
        parser.add_argument(
            "--accounts", action="store_true", help="网站可以访问后，打印网址和演示账号（make run 用）"
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

        def forward(signum: int, _frame: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signum)

        signal.signal(signal.SIGINT, forward)
        signal.signal(signal.SIGTERM, forward)
        # The banner comes once gunicorn answers, so that it is the last thing on the screen.
        status = self.wait_any(children, until=lambda: answers(host, opts["port"]))
        if status is None:
            time.sleep(0.5)  # let gunicorn write the access-log line of that probe first
            accounts = io.StringIO()
            if opts["accounts"]:  # by name: core does not import the demo app
                call_command("demo", "--accounts", stdout=accounts)
                connection.close()
            self.stdout.write(
                self.style.SUCCESS(banner(f"http://{host}:{opts['port']}/", accounts.getvalue().rstrip()))
            )
            status = self.wait_any(children)
        self.stop(children)
        sys.exit(status or 0)

    @staticmethod
    def wait_any(children: list[subprocess.Popen], until: Callable[[], bool] | None = None) -> int | None:
        """The exit status of the first child to exit, or None as soon as ``until()`` holds."""
        while True:
            for child in children:
                code = child.poll()
                if code is not None:
                    return code
            if until is not None and until():
                return None
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
