"""The demo city's classifier: learned from the written corpus and the demo's handled cases.

Called by ``demo.beiliu.build`` after the demo appeals, so that ``dangjian demo`` leaves an
active classifier for 分类派遣 (the dispatch app's suggestions).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from dangjian.intel import actions, dataset

CORPUS = Path(__file__).parent / "data" / "train.tsv"


def build(*, log: Callable[[str], None] | None = None) -> float:
    """Train and activate a version; returns the seconds it took."""
    t0 = time.perf_counter()
    taxonomy = dataset.Taxonomy(1)
    data = dataset.from_file(CORPUS, taxonomy)
    cases = dataset.from_cases(taxonomy)
    for title, text, code in zip(cases.titles, cases.texts, cases.codes, strict=True):
        data.add(title, text, code)
    data.overrides_used = cases.overrides_used
    trained = actions.train_version(
        data=data,
        taxonomy=taxonomy,
        source=f"{CORPUS.name} + 演示已办理诉求 {len(cases)} 件",
        acting_user=None,
    )
    seconds = time.perf_counter() - t0
    if log:
        log(
            f"诉求分类模型 v{trained.version.version}：{len(data)} 条样本，留出 macro F1 "
            f"{trained.scores.macro_f1:.3f}，用时 {seconds:.1f} 秒"
        )
    return seconds
