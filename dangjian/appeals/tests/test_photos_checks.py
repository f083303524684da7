"""Photo checks: real JPEG/PNG/WebP only, 10 MB, 9 per case, orientation applied, no EXIF;
``attach_photos`` only for the reporter (report photos) or those handling the case."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from dangjian.appeals import photos, workflow
from dangjian.appeals.models import Photo
from dangjian.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def image(fmt="JPEG", size=(40, 30), name=None, **save):
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, fmt, **save)
    return SimpleUploadedFile(name or f"x.{fmt.lower()}", buf.getvalue())


def test_it_accepts_jpeg_png_and_webp_and_records_their_size():
    ready = photos.prepare_images([image("JPEG"), image("PNG"), image("WEBP")])
    assert [p.ext for p in ready] == ["jpg", "png", "webp"] and all(
        (p.width, p.height) == (40, 30) for p in ready
    )


def test_it_refuses_other_formats_and_broken_files_listing_each():
    gif = image("GIF", name="a.gif")
    truncated = image("JPEG", name="half.jpg")
    truncated = SimpleUploadedFile("half.jpg", truncated.read()[:60])
    text = SimpleUploadedFile("note.png", "这不是图片".encode())
    with pytest.raises(ValidationError) as exc:
        photos.prepare_images([gif, truncated, text, image("PNG")])
    messages = exc.value.message_dict["photos"]
    assert len(messages) == 3
    assert "“a.gif”只接受 JPEG、PNG 或 WebP 格式的图片" in messages
    assert any("half.jpg" in m for m in messages) and "“note.png”不是有效的图片文件" in messages


def test_it_refuses_files_over_10_mb(monkeypatch):
    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    with pytest.raises(ValidationError, match="超过 10 MB"):
        photos.prepare_images([image("PNG", size=(200, 200))])


def test_it_applies_the_orientation_and_drops_every_tag():
    exif = Image.Exif()
    exif[0x0112] = 8  # rotate 270°
    exif[0x8825] = {1: "N", 2: (22.0, 42.0, 18.0)}
    ready = photos.prepare_images([image("JPEG", size=(40, 30), exif=exif.tobytes())])[0]
    out = Image.open(io.BytesIO(ready.content))
    assert out.size == (30, 40) and len(out.getexif()) == 0


def test_it_attaches_at_most_nine_per_case_and_audits(world, report):
    case = report()
    stored = photos.attach_photos(case, [image("PNG") for _ in range(8)], "report", world.resident)
    assert len(stored) == 8 and AuditEvent.objects.filter(action="appeals.photo").count() == 8
    with pytest.raises(ValidationError, match="还可上传 1 张"):
        photos.attach_photos(case, [image("PNG"), image("PNG")], "report", world.resident)
    assert Photo.objects.filter(case=case).count() == 8


def test_only_the_reporter_adds_report_photos_and_only_handlers_evidence(world, report):
    case = report()
    with pytest.raises(workflow.TransitionError, match="无权"):
        photos.attach_photos(case, [image()], "report", world.member)
    with pytest.raises(workflow.TransitionError, match="无权"):
        photos.attach_photos(case, [image()], "evidence", world.resident)
    with pytest.raises(workflow.TransitionError, match="无权"):
        photos.attach_photos(case, [image()], "evidence", world.outsider)
    assert photos.attach_photos(case, [image()], "evidence", world.grid_worker)[0].kind == "evidence"
    with pytest.raises(ValidationError, match="照片类别"):
        photos.attach_photos(case, [image()], "selfie", world.resident)
    assert Photo.objects.count() == 1
