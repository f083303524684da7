"""Uploaded images are bounded in pixels, per image and per request, from their headers before
anything is decoded: nine 7000×7000 PNGs (1.4 MB in all) used to take a worker ~13 s and
~550 MB. Limits: settings.IMAGE_MAX_PIXELS and IMAGE_MAX_REQUEST_PIXELS."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.appeals import photos
from dangjian.appeals.models import Case


def png(width: int, height: int, name: str = "p.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 40)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def header_only_png(width: int, height: int) -> SimpleUploadedFile:
    """A PNG whose header claims width×height but whose pixel data is garbage: decoding it
    would fail as a broken file, so being refused for its pixels proves nothing was decoded."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", b"not zlib") + chunk(b"IEND", b"")
    return SimpleUploadedFile("bomb.png", data, content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_refuses_an_image_over_the_per_image_bound_from_its_header(settings):
    settings.IMAGE_MAX_PIXELS = 25_000_000
    with pytest.raises(ValidationError) as exc:
        photos.prepare_images([header_only_png(7000, 7000)])
    (message,) = exc.value.message_dict["photos"]
    assert "像素过大（7000×7000）" in message and "25 百万像素" in message


def test_it_refuses_a_request_over_the_per_request_bound_before_decoding_any(settings):
    settings.IMAGE_MAX_PIXELS = 25_000_000
    settings.IMAGE_MAX_REQUEST_PIXELS = 120_000_000
    files = [header_only_png(4000, 4000) for _ in range(9)]  # 16 MP each, 144 MP in all
    with pytest.raises(ValidationError) as exc:
        photos.prepare_images(files)
    assert exc.value.message_dict["photos"] == [
        "本次上传的照片像素合计过大（最多 120 百万像素），请缩小或减少照片后再上传"
    ]


def test_images_within_the_bounds_are_accepted(settings):
    settings.IMAGE_MAX_PIXELS = 40_000
    settings.IMAGE_MAX_REQUEST_PIXELS = 80_000
    prepared = photos.prepare_images([png(200, 200), png(200, 200)])
    assert [(p.width, p.height) for p in prepared] == [(200, 200), (200, 200)]
    with pytest.raises(ValidationError):
        photos.prepare_images([png(200, 200), png(200, 200), png(20, 20)])


def test_a_resident_report_with_too_many_pixels_is_refused_and_nothing_written(world, login, settings):
    from dangjian.appeals.models import Category

    road = Category.objects.filter(level=3, enterprise=False).order_by("code").first()
    assert road is not None
    settings.IMAGE_MAX_REQUEST_PIXELS = 60_000_000
    r = login(world.resident).post(
        "/appeals/report/",
        {
            "cat3": road.pk,
            "title": "路灯不亮",
            "description": "东湖一号小区门口路灯坏了",
            "lng": "110.355",
            "lat": "22.705",
            "idempotency_key": "pixels-1",
            "photos": [header_only_png(7000, 7000) for _ in range(2)],
        },
    )
    assert r.status_code == 400  # the form again, with the reason
    assert "像素合计过大" in r.content.decode()
    assert Case.objects.count() == 0
