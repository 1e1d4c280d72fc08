"""Quality figures shared by the evaluate stage and the benchmark."""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support


def accuracy_at_coverage(confidence: np.ndarray, correct: np.ndarray, coverage: float) -> float:
    """Accuracy on the `coverage` share of predictions the model is most sure of."""
    keep = max(1, math.ceil(len(confidence) * coverage))
    order = np.argsort(-confidence, kind="stable")[:keep]
    return float(correct[order].mean())


def expected_calibration_error(
    confidence: np.ndarray, correct: np.ndarray, bins: int = 10
) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        members = which == b
        if members.any():
            total += members.mean() * abs(correct[members].mean() - confidence[members].mean())
    return float(total)


def classification_report(
    labels: np.ndarray, predicted: np.ndarray, proba: np.ndarray, classes: list[str]
) -> dict:
    """Accuracy, macro-F1, per-class scores, accuracy at 80 % coverage and ECE."""
    confidence = proba.max(axis=1)
    correct = predicted == labels
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predicted, labels=classes, zero_division=0
    )
    return {
        "n": int(len(labels)),
        "accuracy": float(accuracy_score(labels, predicted)),
        "macro_f1": float(
            f1_score(labels, predicted, labels=classes, average="macro", zero_division=0)
        ),
        "acc_at_80": accuracy_at_coverage(confidence, correct, 0.8),
        "ece": expected_calibration_error(confidence, correct),
        "per_class": {
            c: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for c, p, r, f, s in zip(classes, precision, recall, f1, support, strict=True)
        },
    }


def abstention_report(proba: np.ndarray, correct: np.ndarray, threshold: float) -> dict:
    """What the threshold does on these predictions: share kept and their precision."""
    kept = proba.max(axis=1) >= threshold
    return {
        "threshold": threshold,
        "coverage": float(kept.mean()),
        "precision": float(correct[kept].mean()) if kept.any() else 0.0,
    }
