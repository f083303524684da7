"""Every write of the intel app: storing a trained version, activating one, recording an override.

Fitting takes seconds, so :func:`train_version` fits and measures outside any transaction
and only the storing (:func:`store_version`) is one atomic write.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

import joblib
from django.db import transaction
from django.db.models import Max

from dangjian.core import audit
from dangjian.intel import learning, text
from dangjian.intel.dataset import Labelled, Taxonomy
from dangjian.intel.models import ClassifierVersion, Override


@dataclass
class Trained:
    version: ClassifierVersion
    scores: learning.Scores
    fit_seconds: float


def dump(model: Any) -> tuple[bytes, str]:
    buf = io.BytesIO()
    joblib.dump(model, buf, compress=3)
    blob = buf.getvalue()
    return blob, hashlib.sha256(blob).hexdigest()


def train_version(
    *,
    data: Labelled,
    taxonomy: Taxonomy,
    source: str,
    acting_user: Any,
    variant: str = learning.DEFAULT_VARIANT,
    holdout: float = 0.2,
    activate: bool = True,
) -> Trained:
    """Measure on a stratified held-out split, fit on everything, store (and activate)."""
    docs = [text.document(t, d) for t, d in zip(data.titles, data.texts, strict=True)]
    learning.check(data.codes, min_per_class=3 if variant == "svm" else 2)
    scores = learning.holdout(docs, data.codes, variant=variant, size=holdout)
    model, seconds = learning.timed_fit(docs, data.codes, variant)
    evaluation = scores.as_dict() | {
        "method": f"分层留出 {holdout:.0%}",
        "class_names": [taxonomy.name(c) for c in scores.classes],
        "fit_seconds": round(seconds, 2),
    }
    version = store_version(
        model=model,
        source=source,
        variant=variant,
        label_level=taxonomy.level,
        class_names=[taxonomy.name(c) for c in model.classes_],
        training_size=len(data),
        overrides_used=data.overrides_used,
        evaluation=evaluation,
        macro_f1=scores.macro_f1,
        threshold=scores.threshold,
        acting_user=acting_user,
        activate=activate,
    )
    return Trained(version=version, scores=scores, fit_seconds=seconds)


@transaction.atomic
def store_version(
    *,
    model: Any,
    source: str,
    variant: str,
    label_level: int,
    class_names: list[str],
    training_size: int,
    overrides_used: int,
    evaluation: dict[str, Any],
    macro_f1: float | None,
    threshold: float,
    acting_user: Any,
    activate: bool = True,
) -> ClassifierVersion:
    blob, checksum = dump(model)
    # Lock the existing versions so two trainings cannot take the same number.
    list(ClassifierVersion.objects.select_for_update().values_list("pk", flat=True))
    number = (ClassifierVersion.objects.aggregate(m=Max("version"))["m"] or 0) + 1
    version = ClassifierVersion.objects.create(
        version=number,
        trained_by=acting_user if getattr(acting_user, "pk", None) else None,
        source=source[:200],
        variant=variant,
        label_level=label_level,
        classes=[str(c) for c in model.classes_],
        class_names=class_names,
        training_size=training_size,
        overrides_used=overrides_used,
        evaluation=evaluation,
        macro_f1=macro_f1,
        threshold=threshold,
        active=False,
        pipeline=blob,
        checksum=checksum,
    )
    audit.record(acting_user, "intel.train", version, after=_summary(version))
    if activate:
        activate_version(version, acting_user=acting_user)
    return version


def _summary(version: ClassifierVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "variant": version.variant,
        "training_size": version.training_size,
        "macro_f1": version.macro_f1,
        "threshold": version.threshold,
        "checksum": version.checksum,
        "active": version.active,
    }


@transaction.atomic
def activate_version(version: ClassifierVersion, *, acting_user: Any) -> ClassifierVersion:
    """Make ``version`` the one the platform uses; every other version is switched off."""
    list(ClassifierVersion.objects.select_for_update().values_list("pk", flat=True))
    before = list(ClassifierVersion.objects.filter(active=True).values_list("version", flat=True))
    ClassifierVersion.objects.exclude(pk=version.pk).filter(active=True).update(active=False)
    ClassifierVersion.objects.filter(pk=version.pk).update(active=True)
    version.active = True
    audit.record(
        acting_user, "intel.activate", version, before={"active_versions": before}, after=_summary(version)
    )
    from dangjian.intel import classify  # classify imports this module

    classify.forget()  # this process sees the new version at once; others within seconds
    return version


@transaction.atomic
def record_override(*, case: Any, predicted_code: str, chosen_code: str, acting_user: Any) -> Override | None:
    """Staff chose ``chosen_code`` where the model proposed ``predicted_code``.

    Agreeing with the model is not an override and records nothing. The choice is used at
    the next training (``dataset.add_overrides`` / ``from_cases``).
    """
    from dangjian.appeals.models import Category

    if not Category.objects.filter(code=chosen_code).exists():
        raise ValueError(f"未知的分类编码：{chosen_code}")
    if predicted_code == chosen_code:
        return None
    current = ClassifierVersion.objects.filter(active=True).order_by("-version").first()
    override = Override.objects.create(
        case=case,
        predicted_code=predicted_code or "",
        chosen_code=chosen_code,
        model_version=current,
        by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit.record(acting_user, "intel.override", override)
    return override
