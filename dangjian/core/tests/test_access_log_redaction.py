"""``dangjian serve`` runs gunicorn whose access log keeps no secrets: query values, the
tracking link's token, credential headers (``core.accesslog``). Run for real: gunicorn with
the argv ``serve`` builds, one request, the log it wrote."""

import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from dangjian.core.accesslog import redact_url
from dangjian.core.management.commands.serve import gunicorn_argv

SECRET = "o311_S3cretKeyValue"
TOKEN = "TrackTok3nValue"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served_log(extra_args=()):
    port = free_port()
    argv = [*gunicorn_argv(f"127.0.0.1:{port}", 1), *extra_args]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)  # noqa: S603
    try:
        url = f"http://127.0.0.1:{port}/open311/v2/discovery.json?api_key={SECRET}&status=open"
        req = urllib.request.Request(
            url,
            headers={
                "X-Api-Key": SECRET,
                "Authorization": f"Bearer {SECRET}",
                "Referer": f"http://example.org/appeals/t/{TOKEN}/?t={TOKEN}",
            },
        )
        for _ in range(200):  # gunicorn boots in a second or two
            try:
                urllib.request.urlopen(req, timeout=5)
            except urllib.error.HTTPError as e:
                assert e.code == 400  # the key in the URL is refused
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=30)
    return out.decode()


def test_the_default_access_log_line_has_no_secret():
    log = served_log()
    assert "GET /open311/v2/discovery.json?api_key=…&status=… HTTP/1.1" in log
    assert "/appeals/t/…/?t=…" in log  # the referer
    assert SECRET not in log and TOKEN not in log


def test_no_log_format_can_reach_a_secret():
    fmt = "%(r)s %(q)s %(U)s %(f)s %({x-api-key}i)s %({authorization}i)s %({query_string}e)s %({raw_uri}e)s %({http_x_api_key}e)s %({http_referer}e)s"
    log = served_log(["--access-logformat", fmt])
    assert "api_key=…" in log
    assert SECRET not in log and TOKEN not in log


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/appeals/t/abc123/", "/appeals/t/…/"),
        ("/appeals/t/abc123/rate/", "/appeals/t/…/rate/"),
        ("/appeals/photo/5/?t=abc", "/appeals/photo/5/?t=…"),
        ("/points/counter/?code=123456&community=3", "/points/counter/?code=…&community=…"),
        ("/people/residents/?q=李秀英", "/people/residents/?q=…"),
        ("/open311/v2/requests.json", "/open311/v2/requests.json"),
        ("-", "-"),
    ],
)
def test_it_redacts(url, shown):
    assert redact_url(url) == shown
