"""Under DEBUG=1 people still meet our own 404 page; DEBUG_TECHNICAL_404=1 brings Django's back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

TECHNICAL = "URLconf"


@pytest.fixture(autouse=True)
def _debug(settings: Any) -> None:
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_404 = False


def test_an_unknown_url_shows_our_page(client: Any) -> None:
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html or "找不到" in html
    assert TECHNICAL not in html and "DEBUG" not in html


def test_a_page_closed_to_the_user_shows_our_page(world: Any, login: Any) -> None:
    response = login(world.resident).get(reverse("interop:keys"))
    html = response.content.decode()
    assert response.status_code == 404
    assert TECHNICAL not in html and "Http404" not in html and "未找到或无权访问" not in html


def test_developers_can_ask_for_the_technical_page(client: Any, settings: Any) -> None:
    settings.DEBUG_TECHNICAL_404 = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert TECHNICAL in response.content.decode()


def test_the_api_keeps_its_json(client: Any) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
