"""Formalism guards (issue 5, F6): how long the photo-reuse check takes per new record.

Pure, no database: the difference hash of one evidence photo (Pillow, 1280×960 JPEG
decoded and hashed), and the Hamming scan of one new hash against N stored hashes — what
``service.actions.run_guards`` does in Python for each new record. Also the false-match
rate among N random unrelated pictures' hashes at the threshold in use.

    .venv/bin/python bench/service_guards.py        (or: bench/run.py --only service)
"""

from __future__ import annotations

import io
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw  # noqa: E402

from dangjian.service import guards  # noqa: E402


def _picture(seed: int, size: tuple[int, int] = (1280, 960)) -> bytes:
    rnd = random.Random(seed)
    im = Image.new("RGB", size, (230, 230, 230))
    d = ImageDraw.Draw(im)
    for _ in range(20):
        x, y = rnd.randrange(size[0]), rnd.randrange(size[1])
        d.rectangle(
            (x, y, x + rnd.randrange(80, 400), y + rnd.randrange(60, 300)),
            fill=tuple(rnd.randrange(256) for _ in range(3)),
        )
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def run(sizes: tuple[int, ...] = (10_000, 100_000, 1_000_000), pictures: int = 200) -> dict:
    out: dict = {}
    blobs = [_picture(i) for i in range(pictures)]
    t = time.perf_counter()
    hashes = []
    for b in blobs:
        with Image.open(io.BytesIO(b)) as im:
            hashes.append(guards.dhash(im))
    out["dhash_ms_per_photo_1280x960"] = round((time.perf_counter() - t) * 1000 / pictures, 2)
    pairs = [(a, b) for i, a in enumerate(hashes) for b in hashes[i + 1 :]]
    false = sum(1 for a, b in pairs if guards.same_photo(a, b))
    out["false_matches_among_unrelated_pairs"] = f"{false} / {len(pairs)}"
    rnd = random.Random(1)
    for n in sizes:
        stored = [f"{rnd.getrandbits(64):016x}" for _ in range(n)]
        new = hashes[0]
        t = time.perf_counter()
        hits = sum(1 for h in stored if guards.same_photo(h, new))
        out[f"scan_ms_{n}"] = round((time.perf_counter() - t) * 1000, 1)
        out[f"scan_hits_{n}"] = hits
    return out


if __name__ == "__main__":
    print(json.dumps(run(), ensure_ascii=False, indent=2))
