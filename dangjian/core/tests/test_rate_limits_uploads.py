"""Uploads (multipart POSTs) are limited per user (or per address when anonymous)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

YEAR = 365 * 86400


def upload(client, **extra):
    return client.post(reverse("exchange:import"), {"file": SimpleUploadedFile("旧格式.xls", b"x")}, **extra)


def test_it_limits_uploads_per_user_with_a_chinese_page(login, world, settings):
    settings.UPLOAD_RATE_LIMIT = f"2/{YEAR}"
    client = login(world.street_officer)
    assert [upload(client).status_code for _ in range(2)] == [400, 400]  # refused by the form: still uploads
    r = upload(client)
    assert r.status_code == 429
    assert int(r["Retry-After"]) > 0
    body = r.content.decode()
    assert "上传过于频繁，请" in body and "分钟后再试" in body
    assert client.get(reverse("exchange:import")).status_code == 200  # the page itself stays open
    plain = client.post(reverse("exchange:import"), "", content_type="application/x-www-form-urlencoded")
    assert plain.status_code == 400  # a post that is not multipart is not an upload
    other = login(world.admin)
    assert upload(other).status_code == 400


def test_it_answers_json_for_uploads_to_the_api(login, world, settings):
    settings.UPLOAD_RATE_LIMIT = f"1/{YEAR}"
    client = login(world.street_officer)
    url = "/api/v1/accounts/tokens"
    first = client.post(url, {"name": "x", "file": SimpleUploadedFile("a.png", b"x")})
    assert first.status_code < 500  # the body is left for the endpoint to read
    r = client.post(url, {"name": "x", "file": SimpleUploadedFile("a.png", b"x")})
    assert r.status_code == 429
    assert r.json()["detail"].startswith("上传过于频繁，请")
