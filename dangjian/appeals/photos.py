"""Case photos: images only, size-limited, re-encoded without EXIF (GPS included).

:func:`prepare_images` is pure — it checks every upload and returns clean re-encoded
bytes, or raises one ``ValidationError`` listing every problem in Chinese — so a view can
check the photos before anything is written. :func:`attach_photos` stores them.
Photos are served only through ``views_public.photo``, never from ``MEDIA_ROOT`` directly,
and who sees which photo is decided here:

- staff whose scope covers the case: every photo;
- the reporter, and whoever holds the private tracking link: the 反映照片 and the 处置照片
  of progress notes marked 向反映人公开 (never those of internal notes);
- everyone (Open311 ``media_url``): :data:`PUBLIC_PHOTOS` only — the 反映照片 a client
  posted through the public Open311 interface on a public (non-enterprise) case. Photos
  taken through the resident pages are never public.
"""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from PIL import Image, ImageOps, UnidentifiedImageError

from dangjian.appeals import workflow
from dangjian.appeals.access import actor_kinds
from dangjian.appeals.choices import Actor, Channel
from dangjian.appeals.models import Case, CaseNote, Photo
from dangjian.core import audit

MAX_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9  # 反映照片 per case; 处置照片 per progress note
# Pixels per image and per request: settings.IMAGE_MAX_PIXELS / IMAGE_MAX_REQUEST_PIXELS,
# read from each image's header before anything is decoded (Pillow opens lazily).
MAX_SIDE = 4096  # larger photos are scaled down when re-encoded
KINDS = ("report", "evidence")

# Pillow format → (content type, file extension)
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
CONTENT_TYPES = {ext: ctype for ctype, ext in FORMATS.values()}

# What the reporter / link holder may see, and what anyone may see (paths from Photo).
FOR_REPORTER = Q(kind="report") | Q(kind="evidence", note__public=True)
PUBLIC_PHOTOS = Q(kind="report", case__channel=Channel.OPEN311, case__category__enterprise=False)


@dataclass(frozen=True)
class Prepared:
    """An upload that passed the checks: clean image bytes, ready to store."""

    content: bytes
    ext: str
    width: int
    height: int


def _reencode(upload: Any) -> Prepared:
    """Open, verify and re-encode one upload; raise ValueError with a Chinese reason."""
    upload.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(upload) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ValueError("只接受 JPEG、PNG 或 WebP 格式的图片")
                w, h = probe.size
                if w * h > settings.IMAGE_MAX_PIXELS:
                    raise ValueError(_too_many_pixels(w, h))
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as im:
                # A JPEG can be decoded straight at a reduced scale: no need for every pixel
                # of a photo that is scaled down to MAX_SIDE anyway.
                im.draft(im.mode, (MAX_SIDE, MAX_SIDE))
                im.load()
                image = ImageOps.exif_transpose(im) or im
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                if fmt == "JPEG":
                    mode = "RGB" if image.mode not in ("RGB", "L") else image.mode
                else:
                    mode = image.mode if image.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
                    if fmt == "WEBP" and mode in ("L", "LA"):
                        mode = "RGBA" if mode == "LA" else "RGB"
                converted = image.convert(mode)
                # A fresh image carries no metadata at all: no EXIF, no GPS, no XMP, no comments.
                clean = Image.new(mode, converted.size)
                clean.paste(converted)
        except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValueError("不是有效的图片文件") from None
        except (OSError, SyntaxError, EOFError) as exc:
            raise ValueError("图片文件已损坏，无法读取") from exc
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=85)
    return Prepared(out.getvalue(), FORMATS[fmt][1], clean.width, clean.height)


def _too_many_pixels(w: int, h: int) -> str:
    limit = settings.IMAGE_MAX_PIXELS / 1_000_000
    return f"像素过大（{w}×{h}），每张照片最多 {limit:g} 百万像素，请缩小后再上传"


def header_pixels(upload: Any) -> int:
    """Width × height from the image header, without decoding; 0 when it is no image."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                w, h = probe.size
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, EOFError, ValueError):
        return 0  # _reencode explains what is wrong with it
    finally:
        upload.seek(0)
    return int(w) * int(h)


def prepare_images(files: Sequence[Any], *, already: int = 0) -> list[Prepared]:
    """Check every upload and re-encode it; raise one ValidationError listing all problems.

    The pixels of all uploads together are bounded from their headers first, so a request of
    nine huge but well-compressed images is refused before a single one is decoded.
    """
    files = [f for f in files if f is not None and f.size]
    if len(files) + already > MAX_PHOTOS:
        left = max(0, MAX_PHOTOS - already)
        raise ValidationError(
            {"photos": f"最多上传 {MAX_PHOTOS} 张照片（还可上传 {left} 张，本次选择了 {len(files)} 张）"}
        )
    total = sum(header_pixels(f) for f in files if f.size <= MAX_BYTES)
    if total > settings.IMAGE_MAX_REQUEST_PIXELS:
        limit = settings.IMAGE_MAX_REQUEST_PIXELS / 1_000_000
        raise ValidationError(
            {"photos": f"本次上传的照片像素合计过大（最多 {limit:g} 百万像素），请缩小或减少照片后再上传"}
        )
    errors: list[str] = []
    prepared: list[Prepared] = []
    for i, upload in enumerate(files, start=1):
        name = getattr(upload, "name", "") or f"第{i}张"
        if upload.size > MAX_BYTES:
            errors.append(f"“{name}”超过 10 MB")
            continue
        try:
            prepared.append(_reencode(upload))
        except ValueError as exc:
            errors.append(f"“{name}”{exc}")
    if errors:
        raise ValidationError({"photos": errors})
    return prepared


def _may_attach(user: Any, case: Case, kind: str) -> bool:
    kinds = actor_kinds(user, case)
    if kind == "report":
        return Actor.REPORTER in kinds or Actor.SYSTEM in kinds
    return bool(kinds & {Actor.HANDLER, Actor.STREET, Actor.DISPATCHER, Actor.SYSTEM})


@transaction.atomic
def attach_photos(
    case: Case,
    files: Sequence[Any],
    kind: str,
    acting_user: Any,
    note: CaseNote | None = None,
) -> list[Photo]:
    """Store photos on a case: 反映照片 by its reporter, 处置照片 by those handling it.

    ``files`` are uploads or :class:`Prepared` images (already checked by the caller).
    """
    if kind not in KINDS:
        raise ValidationError({"kind": "照片类别不正确"})
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not _may_attach(acting_user, case, kind):
        raise workflow.TransitionError("您无权为该诉求上传照片")
    if note is not None and note.case_id != case.pk:
        raise ValidationError({"note": "进展记录不属于该诉求"})
    # 反映照片: at most nine per case; 处置照片: at most nine per progress note.
    same = Photo.objects.filter(case=case, kind=kind)
    if kind == "evidence":
        same = same.filter(note=note)
    already = same.count()
    uploads = [f for f in files if not isinstance(f, Prepared)]
    ready = [f for f in files if isinstance(f, Prepared)]
    if len(ready) + already > MAX_PHOTOS:
        where = "每条进展" if kind == "evidence" else "每件诉求"
        raise ValidationError({"photos": f"{where}最多 {MAX_PHOTOS} 张照片"})
    ready += prepare_images(uploads, already=already + len(ready))
    stored: list[Photo] = []
    try:
        for p in ready:
            photo = Photo(
                case=case,
                note=note,
                kind=kind,
                width=p.width,
                height=p.height,
                uploaded_by=acting_user if getattr(acting_user, "pk", None) else None,
            )
            photo.image.save(f"{uuid.uuid4().hex}.{p.ext}", ContentFile(p.content), save=False)
            photo.save()
            stored.append(photo)
            audit.record(acting_user, "appeals.photo", photo)
    except Exception:
        for photo in stored:  # the rows roll back; do not leave their files behind
            photo.image.delete(save=False)
        raise
    return stored


def content_type(photo: Photo) -> str:
    ext = photo.image.name.rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(ext, "application/octet-stream")


def for_reporter(photo: Photo) -> bool:
    """The reporter and the link holder see this photo (not one of an internal note)."""
    return photo.kind == "report" or (
        photo.kind == "evidence" and photo.note_id is not None and bool(photo.note and photo.note.public)
    )


def is_public(photo: Photo) -> bool:
    """Anyone may see it (the rule of :data:`PUBLIC_PHOTOS`, for one loaded photo)."""
    return Photo.objects.filter(PUBLIC_PHOTOS, pk=photo.pk).exists()
