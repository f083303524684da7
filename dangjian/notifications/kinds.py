"""What a notification's kind (``appeal.dispatch``, ``needs.fulfil`` …) is called in Chinese.

The kind is a code for filters, deduplication and the API; a person sees its label. Each app
that sends notifications registers its kinds in its ``AppConfig.ready`` from the same
choices its pages use (e.g. the appeals ``Event`` labels), so this lower layer imports no
app. A kind nobody registered still never shows its code: it falls back to the label of its
prefix (“诉求消息”), else to “系统消息”.
"""

from __future__ import annotations

from collections.abc import Mapping

FALLBACK = "系统消息"
_prefixes: dict[str, str] = {"notifications": "消息通知"}
_labels: dict[str, str] = {"notifications.digest": "消息汇总"}


def register(prefix: str, prefix_label: str, labels: Mapping[str, str]) -> None:
    """Register ``prefix`` (“appeal”) as ``prefix_label`` and the kinds ``prefix.<key>``."""
    _prefixes[prefix] = prefix_label
    for key, label in labels.items():
        _labels[f"{prefix}.{key}"] = str(label)


def label(kind: str) -> str:
    if kind in _labels:
        return _labels[kind]
    prefix = kind.split(".", 1)[0]
    return f"{_prefixes[prefix]}消息" if prefix in _prefixes else FALLBACK


def registered() -> dict[str, str]:
    return dict(_labels)
