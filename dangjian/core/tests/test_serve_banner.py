"""`dangjian serve --accounts` prints the URL and the demo accounts once the site answers.

The probe is tried against a real HTTP server and a closed port, the wait against real
child processes.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from dangjian.core.management.commands.serve import Command, answers, banner


class _Redirect(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        self.send_response(302)
        self.send_header("Location", "/accounts/login/")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_it_waits_for_an_answer_before_the_banner():
    server = HTTPServer(("127.0.0.1", 0), _Redirect)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        assert answers("127.0.0.1", port)  # a redirect counts: the site answers
    finally:
        server.shutdown()
        server.server_close()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert not answers("127.0.0.1", closed)


def test_it_stops_waiting_when_the_site_answers_or_a_child_exits():
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # noqa: S603
    try:
        assert Command.wait_any([sleeper], until=lambda: True) is None
        quitter = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])  # noqa: S603
        assert Command.wait_any([sleeper, quitter], until=lambda: False) == 3
    finally:
        sleeper.kill()
        sleeper.wait()


def test_it_ends_with_the_url_and_the_accounts():
    table = "手机号       密码\n-----------  -----------\n18807750006  Beiliu@2021"
    lines = banner("http://127.0.0.1:8000/", table).splitlines()
    assert lines[0].startswith("服务已启动：http://127.0.0.1:8000/")
    assert lines[1:-1] == ["演示账号：", *table.splitlines()]
    assert lines[-1] == "请用浏览器打开 http://127.0.0.1:8000/ ，用上面的手机号和密码登录。"
    assert banner("http://127.0.0.1:8000/").splitlines() == [lines[0]]
