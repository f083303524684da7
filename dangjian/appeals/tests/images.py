"""Test images: a JPEG carrying EXIF with a GPS position (to prove it is stripped)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_bytes(colour: str = "green", size: tuple[int, int] = (40, 30), gps: bool = True) -> bytes:
    exif = Image.Exif()
    exif[MAKE] = "TestCam"
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (22.0, 42.0, 18.0), 3: "E", 4: (110.0, 21.0, 18.0)})
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def jpeg(name: str = "site.jpg", **kwargs: object) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**kwargs), content_type="image/jpeg")  # type: ignore[arg-type]


def has_exif(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as im:
        exif = im.getexif()
        return bool(len(exif)) or bool(exif.get_ifd(GPS_IFD)) or "exif" in im.info


def not_an_image(name: str = "fake.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "这不是图片".encode(), content_type="image/jpeg")
