"""处置 with evidence: a progress note (进度说明) and its on-site photos (现场照片), in one write.

The photos are checked and re-encoded first (``photos.prepare_images``: images only, size
limits, EXIF and GPS stripped), so a bad photo refuses the whole note and nothing is
written. The note itself goes through ``actions.add_progress`` (who may write it, audit) and
the photos through ``photos.attach_photos`` (audit per photo), inside one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from dangjian.appeals import actions, photos
from dangjian.appeals.models import Case, CaseNote


@transaction.atomic
def add_progress_with_photos(
    case: Case, *, text: str, public: bool = True, files: Sequence[Any] = (), acting_user: Any
) -> CaseNote:
    """One progress note with up to ``photos.MAX_PHOTOS`` evidence photos."""
    prepared = photos.prepare_images(files)  # raises before anything is written
    note = actions.add_progress(case, text=text, public=public, acting_user=acting_user)
    if prepared:
        photos.attach_photos(case, prepared, "evidence", acting_user, note=note)
    return note
