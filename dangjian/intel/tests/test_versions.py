"""Versions: numbered, stored with their evaluation; the newest active one is used, reloaded on change."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.models import AuditEvent
from dangjian.intel import actions, classify, dataset
from dangjian.intel.models import ClassifierVersion


def train(data: dataset.Labelled, **kw: Any) -> ClassifierVersion:
    return actions.train_version(
        data=data, taxonomy=dataset.Taxonomy(1), source="tests", acting_user=None, holdout=0.25, **kw
    ).version


def test_it_stores_the_version_with_its_evaluation(trained: ClassifierVersion) -> None:
    v = ClassifierVersion.objects.get(pk=trained.pk)
    assert v.version == 1 and v.active
    assert v.training_size == 32 and v.label_level == 1 and len(v.classes) == 4
    assert v.class_names == ["城乡建设", "环境保护", "教育文体", "劳动和社会保障"]
    ev = v.evaluation
    assert {"per_class", "confusion", "macro_f1", "ece", "brier", "threshold"} <= set(ev)
    assert len(ev["confusion"]) == 4 and all(len(row) == 4 for row in ev["confusion"])
    assert v.macro_f1 == ev["macro_f1"]
    assert len(v.checksum) == 64 and bytes(v.pipeline)
    assert AuditEvent.objects.filter(action="intel.train", object_id=str(v.pk)).exists()
    assert AuditEvent.objects.filter(action="intel.activate", object_id=str(v.pk)).exists()


def test_the_newest_active_version_is_used_and_reloaded_without_restart(
    trained: ClassifierVersion, labelled: dataset.Labelled
) -> None:
    first = classify.predict("拖欠工资", "老板拖欠工资")
    assert first is not None and first.model_version == trained.pk
    newer = train(labelled)
    assert newer.version == 2
    # No cache reset: the process notices the newer active version by itself.
    p = classify.predict("拖欠工资", "老板拖欠工资")
    assert p is not None and p.model_version == newer.pk
    assert list(ClassifierVersion.objects.filter(active=True).values_list("version", flat=True)) == [2]


def test_a_version_stored_without_activation_is_not_used(
    trained: ClassifierVersion, labelled: dataset.Labelled
) -> None:
    idle = train(labelled, activate=False)
    assert not idle.active
    p = classify.predict("拖欠工资", "老板拖欠工资")
    assert p is not None and p.model_version == trained.pk


def test_activating_an_older_version_rolls_back(
    trained: ClassifierVersion, labelled: dataset.Labelled
) -> None:
    train(labelled)
    actions.activate_version(trained, acting_user=None)
    p = classify.predict("拖欠工资", "老板拖欠工资")
    assert p is not None and p.model_version == trained.pk


def test_a_damaged_model_is_refused(trained: ClassifierVersion) -> None:
    ClassifierVersion.objects.filter(pk=trained.pk).update(pipeline=b"not a model")
    with pytest.raises(classify.CorruptModel):
        classify.predict("拖欠工资", "老板拖欠工资")


def test_no_active_version_means_no_prediction(trained: ClassifierVersion) -> None:
    ClassifierVersion.objects.update(active=False)
    assert classify.predict("拖欠工资", "老板拖欠工资") is None


def test_another_process_activation_is_seen_within_the_recheck_interval(
    trained: ClassifierVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert classify.predict("拖欠工资", "老板拖欠工资") is not None
    ClassifierVersion.objects.update(active=False)  # as another process would, without this one's cache
    assert classify.predict("拖欠工资", "老板拖欠工资") is not None  # the loaded version, no query
    later = classify.time.monotonic() + classify.RECHECK_SECONDS
    monkeypatch.setattr(classify.time, "monotonic", lambda: later)
    assert classify.predict("拖欠工资", "老板拖欠工资") is None
