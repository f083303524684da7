"""Fitting and measuring the text classifier: pure functions over lists of strings, no database.

Two variants are built and compared on held-out data (README, ``intel evaluate --variant``):

``lr``  character 1–3-gram TF-IDF (sublinear tf) + multinomial logistic regression,
        calibrated by temperature scaling: one temperature fitted (minimum log-loss) on
        3-fold out-of-fold scores (:class:`Tempered`). Raw LR probabilities on short
        texts and many classes are far too timid (ECE ≈ 0.5 on our held-out file).
``svm`` character 2–4-gram TF-IDF + linear SVM, calibrated with Platt scaling fitted by
        3-fold cross-validation (``CalibratedClassifierCV``).

Input documents are already normalised (``text.document``). Labels are category codes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold, cross_val_predict, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

VARIANTS = ("lr", "svm")
DEFAULT_VARIANT = "lr"
# The threshold is the lowest confidence at which the best guess, on held-out data, is
# right at least this often; below it a person decides.
TARGET_PRECISION = 0.9
THRESHOLD_BOUNDS = (0.3, 0.95)
SEED = 20240


class TrainingError(ValueError):
    """The labelled data cannot train a model (message in Chinese)."""


class Tempered(ClassifierMixin, BaseEstimator):
    """A linear classifier whose softmax(scores / T) is calibrated: T fitted on out-of-fold scores."""

    def __init__(self, base: Any = None, cv: int = 3) -> None:
        self.base = base
        self.cv = cv

    def fit(self, X: Any, y_in: Sequence[str]) -> Tempered:
        y = np.asarray(y_in)
        classes, counts = np.unique(y, return_counts=True)
        folds = min(self.cv, int(counts.min()))
        self.temperature_ = 1.0
        if folds >= 2 and len(classes) > 2:
            cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
            scores = cross_val_predict(clone(self.base), X, y, cv=cv, method="decision_function")
            index = np.searchsorted(classes, y)

            def nll(log_t: float) -> float:
                return float(-log_softmax(scores / np.exp(log_t), axis=1)[np.arange(len(y)), index].mean())

            self.temperature_ = float(np.exp(minimize_scalar(nll, bounds=(-4, 4), method="bounded").x))
        self.base_ = clone(self.base).fit(X, y)
        self.classes_ = self.base_.classes_
        return self

    def predict_proba(self, X: Any) -> np.ndarray:
        scores = self.base_.decision_function(X)
        if scores.ndim == 1:  # two classes
            scores = np.column_stack([-scores, scores])
        return softmax(scores / self.temperature_, axis=1)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def build(variant: str = DEFAULT_VARIANT) -> Pipeline:
    if variant == "lr":
        return Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1, max_df=0.9
                    ),
                ),
                ("clf", Tempered(LogisticRegression(C=20.0, max_iter=3000, tol=1e-3))),
            ]
        )
    if variant == "svm":
        return Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        analyzer="char", ngram_range=(2, 4), sublinear_tf=True, min_df=1, max_df=0.9
                    ),
                ),
                ("clf", CalibratedClassifierCV(LinearSVC(C=0.5), method="sigmoid", cv=3)),
            ]
        )
    raise TrainingError(f"未知的模型变体：{variant}（可选：{'、'.join(VARIANTS)}）")


def check(labels: Sequence[str], *, min_per_class: int = 2) -> None:
    counts: dict[str, int] = {}
    for y in labels:
        counts[y] = counts.get(y, 0) + 1
    if len(counts) < 2:
        raise TrainingError("训练数据至少需要两个类别")
    thin = sorted(k for k, n in counts.items() if n < min_per_class)
    if thin:
        raise TrainingError(f"以下类别样本太少（每类至少 {min_per_class} 条）：{'、'.join(thin)}")


def fit(docs: Sequence[str], labels: Sequence[str], variant: str = DEFAULT_VARIANT) -> Pipeline:
    check(labels, min_per_class=3 if variant == "svm" else 1)
    return build(variant).fit(list(docs), list(labels))


@dataclass
class Scores:
    """Held-out (or out-of-fold) measures for one variant."""

    classes: list[str]
    per_class: list[dict[str, Any]]  # code, precision, recall, f1, support
    confusion: list[list[int]]  # rows: true class, columns: predicted (order of ``classes``)
    macro_f1: float
    accuracy: float
    top3_accuracy: float
    ece: float  # expected calibration error of the top guess, 10 equal-width bins
    brier: float  # multi-class Brier score (mean over cases of the squared error sum)
    threshold: float
    confident_share: float  # share of cases at or above the threshold
    confident_precision: float  # accuracy among them
    n: int

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def score(classes: Sequence[str], labels: Sequence[str], proba: np.ndarray) -> Scores:
    classes = list(classes)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels])
    order = np.argsort(-proba, axis=1)
    pred = order[:, 0]
    conf = proba[np.arange(len(y)), pred]
    correct = pred == y
    p, r, f, s = precision_recall_fscore_support(y, pred, labels=range(len(classes)), zero_division=0)
    present = [i for i in range(len(classes)) if s[i] > 0]
    onehot = np.zeros_like(proba)
    onehot[np.arange(len(y)), y] = 1.0
    threshold = pick_threshold(conf, correct)
    above = conf >= threshold
    return Scores(
        classes=classes,
        per_class=[
            {
                "code": classes[i],
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(s[i]),
            }
            for i in range(len(classes))
        ],
        confusion=confusion_matrix(y, pred, labels=range(len(classes))).tolist(),
        macro_f1=float(np.mean([f[i] for i in present])) if present else 0.0,
        accuracy=float(correct.mean()) if len(y) else 0.0,
        top3_accuracy=float((order[:, :3] == y[:, None]).any(axis=1).mean()) if len(y) else 0.0,
        ece=ece(conf, correct),
        brier=float(((proba - onehot) ** 2).sum(axis=1).mean()) if len(y) else 0.0,
        threshold=threshold,
        confident_share=float(above.mean()) if len(y) else 0.0,
        confident_precision=float(correct[above].mean()) if above.any() else 0.0,
        n=len(y),
    )


def ece(conf: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    if not len(conf):
        return 0.0
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (conf > lo) & (conf <= hi)
        if mask.any():
            total += mask.mean() * abs(conf[mask].mean() - correct[mask].mean())
    return float(total)


def pick_threshold(conf: np.ndarray, correct: np.ndarray) -> float:
    """Lowest confidence t such that the guesses at or above t are right ≥ TARGET_PRECISION."""
    lo, hi = THRESHOLD_BOUNDS
    for t in np.round(np.arange(lo, hi + 1e-9, 0.05), 2):
        above = conf >= t
        if above.sum() >= 5 and correct[above].mean() >= TARGET_PRECISION:
            return float(t)
    return hi


def aligned_proba(model: Pipeline, docs: Sequence[str], classes: Sequence[str]) -> np.ndarray:
    """Probabilities in the column order of ``classes`` (a fold may lack a class: zero)."""
    raw = model.predict_proba(list(docs))
    out = np.zeros((len(docs), len(classes)))
    index = {c: i for i, c in enumerate(classes)}
    for j, c in enumerate(model.classes_):
        out[:, index[c]] = raw[:, j]
    return out


def cross_validate(
    docs: Sequence[str], labels: Sequence[str], *, variant: str = DEFAULT_VARIANT, folds: int = 5
) -> Scores:
    """Stratified k-fold: every case is predicted by a model that never saw it."""
    check(labels, min_per_class=folds)
    classes = sorted(set(labels))
    docs_a, labels_a = np.array(docs, dtype=object), np.array(labels, dtype=object)
    proba = np.zeros((len(docs), len(classes)))
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED).split(
        docs_a, labels_a
    ):
        model = fit(list(docs_a[train]), list(labels_a[train]), variant)
        proba[test] = aligned_proba(model, list(docs_a[test]), classes)
    return score(classes, list(labels), proba)


def holdout(
    docs: Sequence[str], labels: Sequence[str], *, variant: str = DEFAULT_VARIANT, size: float = 0.2
) -> Scores:
    """One stratified split: fit on the rest, score on ``size`` of the data."""
    check(labels, min_per_class=2)
    classes = sorted(set(labels))
    d_train, d_test, y_train, y_test = train_test_split(
        list(docs), list(labels), test_size=size, stratify=list(labels), random_state=SEED
    )
    model = fit(d_train, y_train, variant)
    return score(classes, y_test, aligned_proba(model, d_test, classes))


def evaluate_model(model: Pipeline, docs: Sequence[str], labels: Sequence[str]) -> Scores:
    """Score a fitted model on a labelled set it was not trained on."""
    classes = sorted(set(model.classes_) | set(labels))
    return score(classes, list(labels), aligned_proba(model, docs, classes))


def timed_fit(docs: Sequence[str], labels: Sequence[str], variant: str) -> tuple[Pipeline, float]:
    t0 = time.perf_counter()
    model = fit(docs, labels, variant)
    return model, time.perf_counter() - t0
