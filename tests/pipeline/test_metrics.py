"""Quality figures on inputs small enough to compute by hand."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.metrics import (
    accuracy_at_coverage,
    classification_report,
    expected_calibration_error,
)

CONFIDENCE = np.array([0.5, 0.9, 0.6, 0.8, 0.7])
CORRECT = np.array([False, True, True, False, True])  # by confidence: 0.9 ok, 0.8 wrong, ...


@pytest.mark.parametrize(
    ("coverage", "expected"),
    [
        (1.0, 3 / 5),
        (0.8, 3 / 4),  # the four surest: 0.9, 0.8, 0.7, 0.6
        (0.5, 2 / 3),  # ceil(2.5) = 3 kept: 0.9, 0.8, 0.7
        (0.2, 1.0),
        (0.01, 1.0),  # at least one prediction is kept
    ],
)
def test_accuracy_at_coverage_keeps_the_surest_share(coverage: float, expected: float) -> None:
    assert accuracy_at_coverage(CONFIDENCE, CORRECT, coverage) == pytest.approx(expected)


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    confidence = np.array([0.75] * 4 + [0.5] * 2)
    correct = np.array([True, True, True, False, True, False])

    assert expected_calibration_error(confidence, correct) == pytest.approx(0.0)


def test_calibration_error_weighs_each_bins_gap_by_its_size() -> None:
    # bin (0.9, 1]: 3 predictions at 0.95, 1 right -> gap 0.95 - 1/3, weight 3/4
    # bin (0.5, 0.6]: 1 prediction at 0.55, right -> gap 0.45, weight 1/4
    confidence = np.array([0.95, 0.95, 0.95, 0.55])
    correct = np.array([True, False, False, True])

    expected = 0.75 * (0.95 - 1 / 3) + 0.25 * 0.45
    assert expected_calibration_error(confidence, correct) == pytest.approx(expected)


def test_calibration_bins_are_closed_on_the_right() -> None:
    # 0.6 falls in (0.5, 0.6] with 0.55, not in (0.6, 0.7] with 0.65
    together = expected_calibration_error(np.array([0.55, 0.6]), np.array([True, False]))
    apart = expected_calibration_error(np.array([0.55, 0.65]), np.array([True, False]))

    assert together == pytest.approx(abs(0.5 - 0.575))
    assert apart == pytest.approx(0.5 * 0.45 + 0.5 * 0.65)


def test_classification_report_on_a_tiny_case() -> None:
    classes = ["a", "b"]
    labels = np.array(["a", "a", "b", "b", "b"])
    predicted = np.array(["a", "b", "b", "b", "a"])
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.3, 0.7], [0.55, 0.45]])

    report = classification_report(labels, predicted, proba, classes)

    assert report["accuracy"] == pytest.approx(3 / 5)
    # a: precision 1/2, recall 1/2; b: precision 2/3, recall 2/3
    assert report["macro_f1"] == pytest.approx((1 / 2 + 2 / 3) / 2)
    assert report["acc_at_80"] == pytest.approx(3 / 4)  # the wrong 0.55 is left out
    # bins: 0.9 (gap 0.1), 0.8 (0.2), 0.7 (0.3), 0.6 and 0.55 together (0.575), by weight
    assert report["ece"] == pytest.approx(0.2 * 0.1 + 0.2 * 0.2 + 0.2 * 0.3 + 0.4 * 0.575)
    assert report["per_class"]["b"]["support"] == 3
