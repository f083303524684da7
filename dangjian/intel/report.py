"""Plain-text reports of an evaluation (the ``intel`` command prints these)."""

from __future__ import annotations

from collections.abc import Callable

from dangjian.intel.learning import Scores


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - _width(s))


def lines(scores: Scores, name: Callable[[str], str], *, title: str) -> list[str]:
    """Per-class precision/recall/F1, the confusion matrix, calibration; last line macro_f1=…"""
    out = [title, ""]
    out.append(f"{_pad('编码', 8)}{_pad('类别', 18)}{'精确率':>6} {'召回率':>6} {'F1':>7} {'样本':>6}")
    for row in scores.per_class:
        out.append(
            f"{_pad(row['code'], 8)}{_pad(name(row['code']), 18)}"
            f"{row['precision']:>9.3f} {row['recall']:>9.3f} {row['f1']:>7.3f} {row['support']:>8d}"
        )
    out += ["", "混淆矩阵（行：实际类别，列：预测类别，按编码）："]
    codes = scores.classes
    w = max(5, *(len(c) + 1 for c in codes))
    out.append(" " * 8 + "".join(c.rjust(w) for c in codes))
    for code, counts in zip(codes, scores.confusion, strict=True):
        out.append(code.ljust(8) + "".join(str(v).rjust(w) for v in counts))
    out += [
        "",
        f"样本数 {scores.n}，准确率 {scores.accuracy:.3f}，前三命中率 {scores.top3_accuracy:.3f}",
        f"校准：ECE {scores.ece:.3f}，Brier {scores.brier:.3f}",
        f"置信度阈值 {scores.threshold:.2f}：{scores.confident_share:.0%} 的诉求可自动建议分类，"
        f"其中正确率 {scores.confident_precision:.3f}；其余由工作人员判定",
        f"macro_f1={scores.macro_f1:.3f}",
    ]
    return out
