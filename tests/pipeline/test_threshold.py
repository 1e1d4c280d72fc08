"""choose_threshold: the lowest confidence whose kept predictions reach the target precision."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.metrics import abstention_report
from pipeline.train import choose_threshold


def as_proba(confidence: list[float]) -> np.ndarray:
    """Two-class probabilities whose maximum is `confidence` (each >= 0.5)."""
    top = np.asarray(confidence, dtype=float)
    return np.column_stack([top, 1.0 - top])


def test_keeps_the_largest_confident_share_that_reaches_the_target() -> None:
    proba = as_proba([0.99, 0.95, 0.9, 0.8, 0.7, 0.6])
    correct = np.array([True, True, False, True, True, False])

    chosen = choose_threshold(proba, correct, target_precision=0.75)

    # kept from the top: 1/1, 2/2, 2/3, 3/4, 4/5 (0.8), 4/6: the largest share at >= 0.75 is 5
    assert chosen["threshold"] == 0.7
    assert chosen["coverage"] == pytest.approx(5 / 6)
    assert chosen["precision"] == pytest.approx(0.8)


def test_the_target_reached_exactly_is_enough() -> None:
    proba = as_proba([0.9, 0.8, 0.7, 0.6])
    correct = np.array([True, True, True, False])

    chosen = choose_threshold(proba, correct, target_precision=0.75)

    assert chosen["threshold"] == 0.6
    assert chosen["precision"] == 0.75


def test_no_threshold_reaches_the_target_when_the_surest_is_wrong_too_often() -> None:
    proba = as_proba([0.9, 0.8, 0.7])
    correct = np.array([False, True, False])

    chosen = choose_threshold(proba, correct, target_precision=0.95)

    assert chosen["threshold"] == 1.0
    assert chosen["coverage"] == 0.0
    assert abstention_report(proba, correct, chosen["threshold"])["coverage"] == 0.0


def test_tied_confidences_are_kept_or_dropped_together() -> None:
    # cutting between the two 0.8s would report 2/2 correct, but a threshold of 0.8 keeps both
    proba = as_proba([0.9, 0.8, 0.8, 0.6])
    correct = np.array([True, True, False, True])

    chosen = choose_threshold(proba, correct, target_precision=0.9)

    assert chosen["threshold"] == 0.9
    assert abstention_report(proba, correct, chosen["threshold"])["precision"] >= 0.9


@pytest.mark.parametrize("seed", range(20))
def test_on_random_predictions_it_reaches_the_target_and_no_lower_threshold_does(seed) -> None:
    rng = np.random.default_rng(seed)
    confidence = np.round(rng.uniform(0.5, 1.0, 200), 2)  # rounded: many ties
    correct = rng.uniform(size=200) < confidence
    proba, target = as_proba(confidence.tolist()), 0.85

    chosen = choose_threshold(proba, correct, target)

    kept = abstention_report(proba, correct, chosen["threshold"])
    assert (kept["precision"], kept["coverage"]) == (chosen["precision"], chosen["coverage"])
    if chosen["coverage"] > 0:
        assert chosen["precision"] >= target
    lower = confidence[confidence < chosen["threshold"]]
    assert all(abstention_report(proba, correct, t)["precision"] < target for t in lower)
