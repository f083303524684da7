"""The prediction interface the platform codes against (dispatch, intake).

``predict(title, text)`` answers with the top three categories of the newest active
:class:`ClassifierVersion`, with calibrated confidences, or ``None`` when no model is
active. Each process keeps the loaded pipeline and checks at most every
``RECHECK_SECONDS`` (one indexed query for a primary key) whether a newer version became
active, at once in the process that activated it; it then loads that one.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np

from dangjian.intel import actions
from dangjian.intel import text as textnorm
from dangjian.intel.models import ClassifierVersion


@dataclass(frozen=True)
class Guess:
    category_code: str
    category_name: str
    confidence: float  # calibrated probability


@dataclass(frozen=True)
class Prediction:
    guesses: list[Guess]  # top 3, best first
    model_version: int  # ClassifierVersion pk
    confident: bool  # guesses[0].confidence >= the version's threshold; else a person decides


@dataclass(frozen=True)
class _Loaded:
    pk: int
    model: Any
    codes: list[str]
    names: list[str]
    threshold: float


class CorruptModel(RuntimeError):
    """The stored pipeline does not match its checksum."""


RECHECK_SECONDS = 5.0

_lock = threading.Lock()
_loaded: _Loaded | None = None
_active: int | None = None  # the active version's pk as last checked
_checked_at = float("-inf")


def active_pk() -> int | None:
    return (
        ClassifierVersion.objects.filter(active=True)
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )


def _load(pk: int) -> _Loaded:
    row = ClassifierVersion.objects.get(pk=pk)
    blob = bytes(row.pipeline)
    if hashlib.sha256(blob).hexdigest() != row.checksum:
        raise CorruptModel(f"分类模型 v{row.version} 校验和不符，拒绝使用")
    model = joblib.load(io.BytesIO(blob))
    names = dict(zip(row.classes, row.class_names, strict=False))
    codes = [str(c) for c in model.classes_]
    return _Loaded(pk, model, codes, [names.get(c, c) for c in codes], row.threshold)


def current() -> _Loaded | None:
    """The newest active version, loaded once per process and reloaded when it changes."""
    global _loaded, _active, _checked_at
    if time.monotonic() - _checked_at >= RECHECK_SECONDS:
        _active, _checked_at = active_pk(), time.monotonic()
    pk = _active
    if pk is None:
        return None
    loaded = _loaded
    if loaded is not None and loaded.pk == pk:
        return loaded
    with _lock:
        if _loaded is None or _loaded.pk != pk:
            _loaded = _load(pk)
        return _loaded


def forget() -> None:
    """Drop the cached pipeline and check the active version again at the next call
    (after an activation in this process, in tests, after restoring a database)."""
    global _loaded, _checked_at
    _loaded, _checked_at = None, float("-inf")


def predict(title: str, text: str) -> Prediction | None:
    loaded = current()
    if loaded is None:
        return None
    proba = loaded.model.predict_proba([textnorm.document(title, text)])[0]
    top = np.argsort(-proba)[:3]
    guesses = [Guess(loaded.codes[i], loaded.names[i], float(proba[i])) for i in top]
    return Prediction(
        guesses=guesses, model_version=loaded.pk, confident=guesses[0].confidence >= loaded.threshold
    )


def record_override(*, case: Any, predicted_code: str, chosen_code: str, acting_user: Any) -> None:
    """Staff chose another category than predicted; used at the next training."""
    actions.record_override(
        case=case, predicted_code=predicted_code, chosen_code=chosen_code, acting_user=acting_user
    )
