"""Shared by the Open311 tests: plain HTTP against the live server with urllib (no Django
test client), and parsing of both formats."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest

from dangjian.interop import actions as interop_actions

# Live-server tests truncate every table afterwards; the serialized rollback puts the seeded
# taxonomy back for the tests that follow.
LIVE = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@dataclass
class Reply:
    status: int
    headers: Any
    body: bytes

    @property
    def json(self) -> Any:
        assert self.headers["Content-Type"].startswith("application/json")
        return json.loads(self.body)

    @property
    def xml(self) -> ET.Element:
        assert self.headers["Content-Type"].startswith("text/xml")
        assert self.body.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
        return ET.fromstring(self.body)

    @property
    def text(self) -> str:
        return self.body.decode()


class Api:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/") + "/open311/v2/"

    def get(self, path: str, **params: Any) -> Reply:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self._send(urllib.request.Request(self.base + path + query))

    def post(
        self, path: str, form: dict[str, Any] | list[tuple[str, Any]], headers: dict | None = None
    ) -> Reply:
        body = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(
            self.base + path,
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        )
        return self._send(req)

    def _send(self, req: urllib.request.Request) -> Reply:
        try:
            with urllib.request.urlopen(req, timeout=20) as r:
                return Reply(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.headers, e.read())


@pytest.fixture
def api(live_server: Any) -> Api:
    return Api(live_server.url)


@pytest.fixture
def api_key(world: Any) -> str:
    _, raw = interop_actions.issue_key(name="12345 热线对接", acting_user=world.admin)
    return raw


def xml_rows(root: ET.Element) -> list[dict[str, str]]:
    """Flat children of each item of a list root, as text (``None`` → '')."""
    return [{child.tag: child.text or "" for child in item} for item in root]


def assert_error(reply: Reply, status: int, fmt: str) -> str:
    assert reply.status == status
    if fmt == "json":
        [err] = reply.json
        assert err["code"] == status and err["description"]
        return err["description"]
    root = reply.xml
    assert root.tag == "errors"
    [err] = root.findall("error")
    assert err.findtext("code") == str(status) and err.findtext("description")
    return err.findtext("description") or ""
