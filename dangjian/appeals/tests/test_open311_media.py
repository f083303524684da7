"""Open311 media: ``media_url`` (stored, shown as a link, never fetched) and a multipart
``media`` upload (checked by appeals.photos, EXIF stripped); ``GET requests`` gives the first
public photo as ``media_url``, served to anyone — photos of web reports stay private."""
# ruff: noqa: F811 - the fixtures are imported from open311_http

import json
import urllib.request
import uuid

import pytest
from django.test import RequestFactory
from django.urls import reverse

from dangjian.appeals import actions, photos
from dangjian.appeals.models import Case, Photo
from dangjian.appeals.open311 import views
from dangjian.appeals.tests.images import has_exif, jpeg, jpeg_bytes
from dangjian.appeals.tests.open311_http import LIVE, Reply, api, api_key, assert_error  # noqa: F401


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fields(road, key, **extra):
    data = {
        "api_key": key,
        "service_code": road.code,
        "lat": "22.705",
        "long": "110.355",
        "description": "东湖一号小区门口路灯坏了",
    }
    data.update(extra)
    return data


def multipart(api, path, data, files):
    """POST multipart/form-data with urllib, the way GeoReport clients upload ``media``."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content, ctype) in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        api.base + path,
        data=body,
        method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return api._send(req)


def fetch(url):
    return api_get_raw(url)


def api_get_raw(url) -> Reply:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return Reply(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Reply(e.code, e.headers, e.read())


@pytest.mark.parametrize("fmt", ["json", "xml"])
@LIVE
def test_a_media_upload_is_stored_without_exif_and_served_to_anyone(api, world, road, api_key, fmt):
    reply = multipart(
        api, f"requests.{fmt}", fields(road, api_key), [("media", ("lamp.jpg", jpeg_bytes(), "image/jpeg"))]
    )
    assert reply.status == 200
    case = Case.objects.get()
    photo = Photo.objects.get(case=case)
    assert photo.kind == "report" and photo.uploaded_by is None
    detail = api.get(f"requests/{case.number}.json").json[0]
    assert detail["media_url"].startswith(api.base.split("/open311/")[0])
    assert detail["media_url"].endswith(reverse("appeals:photo", args=[photo.pk]))
    listed = api.get("requests.xml").xml.find("request")
    assert listed is not None and listed.findtext("media_url") == detail["media_url"]
    served = fetch(detail["media_url"])  # no login, no token: a public photo
    assert served.status == 200 and served.headers["Content-Type"] == "image/jpeg"
    assert not has_exif(served.body)


@LIVE
def test_a_bad_media_file_files_nothing(api, world, road, api_key):
    for fmt in ("json", "xml"):
        reply = multipart(
            api,
            f"requests.{fmt}",
            fields(road, api_key),
            [("media", ("x.jpg", b"not an image", "image/jpeg"))],
        )
        assert "不是有效的图片文件" in assert_error(reply, 400, fmt)
    two = [("media", ("a.jpg", jpeg_bytes(), "image/jpeg")), ("media", ("b.jpg", jpeg_bytes(), "image/jpeg"))]
    assert "只能上传一个文件" in assert_error(
        multipart(api, "requests.json", fields(road, api_key), two), 400, "json"
    )
    assert not Case.objects.exists() and not Photo.objects.exists()


@LIVE
def test_a_retry_does_not_attach_the_photo_twice(api, world, road, api_key):
    data = fields(road, api_key, device_id="phone-7")
    media = [("media", ("lamp.jpg", jpeg_bytes(), "image/jpeg"))]
    first = multipart(api, "requests.json", data, media).json
    again = multipart(api, "requests.json", data, media).json
    assert first == again and Case.objects.count() == 1 and Photo.objects.count() == 1


@LIVE
def test_a_media_url_is_stored_returned_and_shown_as_a_link(api, world, road, api_key, login):
    link = "https://img.example.cn/lamp/1.jpg"
    assert api.post("requests.json", fields(road, api_key, media_url=link)).status == 200
    case = Case.objects.get()
    assert not Photo.objects.exists()  # never fetched
    assert api.get(f"requests/{case.number}.json").json[0]["media_url"] == link
    html = login(world.grid_worker).get(reverse("appeals:case", args=[case.pk])).content.decode()
    shown = html.split('id="media-link"', 1)[1].split("</dd>", 1)[0]
    assert f'href="{link}"' in shown and 'rel="nofollow noopener noreferrer"' in shown
    assert f'<a href="{link}" rel="nofollow">{link}</a>' in html  # the description links it too
    # a javascript: link is never accepted (test_open311_post), so only http(s) is ever shown


@LIVE
def test_photos_of_web_reports_stay_private(api, world, road, report, client):
    case = report()
    (photo,) = photos.attach_photos(case, [jpeg()], "report", world.resident)
    assert api.get(f"requests/{case.number}.json").json[0]["media_url"] == ""
    assert client.get(reverse("appeals:photo", args=[photo.pk])).status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_list_with_photos_is_still_one_query(world, report, django_assert_max_num_queries, fmt):
    for _ in range(3):
        case = actions.submit_case(
            channel="open311",
            category=report().category,
            title="井盖缺失",
            description="井盖缺失",
            idempotency_key=f"o311:{uuid.uuid4().hex}",
            lng=110.355,
            lat=22.705,
            acting_user=None,
        ).case
        photos.attach_photos(case, [jpeg()], "report", None)
    request = RequestFactory().get(f"/open311/v2/requests.{fmt}")
    with django_assert_max_num_queries(1):
        response = views.service_requests(request, fmt=fmt)
    assert response.status_code == 200 and response.content.count(b"/appeals/photo/") == 3
    if fmt == "json":
        assert sum(1 for r in json.loads(response.content) if r["media_url"]) == 3
