"""pipeline.train.fit_task: temperature scaling (fitted on out-of-fold predictions, folded
into the coefficients) and rows that train every fit without being scored."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import softmax

from pipeline import train
from pipeline.calibration import apply_temperature, fit_temperature, rescale
from pipeline.train import build_pipeline, fit_task, long_tickets
from textclf.fast import FastLinearModel

ROOT = Path(__file__).resolve().parents[2]
WORDS = {"word_ngrams": [1, 2], "char_ngrams": None, "C": 10.0, "class_weight": "balanced"}


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    """120 tickets per department: enough for out-of-fold predictions, fast to fit."""
    frame = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str, keep_default_na=False)
    return frame.groupby("department").head(120).reset_index(drop=True)


@pytest.mark.parametrize("true_temperature", [0.5, 2.0])
def test_fit_temperature_recovers_how_overconfident_a_model_is(true_temperature) -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=2.0, size=(20_000, 4))
    truth = softmax(logits, axis=1)  # what the labels are drawn from
    labels = (truth.cumsum(axis=1) < rng.uniform(size=(20_000, 1))).sum(axis=1)
    reported = softmax(logits * true_temperature, axis=1)  # the model's sharpened/flattened view

    assert fit_temperature(reported, labels) == pytest.approx(true_temperature, rel=0.05)


def test_rescale_keeps_every_label_and_sums_to_one() -> None:
    proba = softmax(np.random.default_rng(1).normal(size=(50, 5)), axis=1)

    scaled = rescale(proba, 0.7)

    assert np.array_equal(scaled.argmax(axis=1), proba.argmax(axis=1))
    assert np.allclose(scaled.sum(axis=1), 1.0)
    assert scaled.max(axis=1).min() > proba.max(axis=1).min()  # T < 1 sharpens
    assert np.allclose(rescale(proba, 1.0), proba)


def test_folded_temperature_is_what_scikit_learn_and_the_fast_predictor_give(tickets) -> None:
    texts = tickets["text"].tolist()
    model = build_pipeline(WORDS).fit(texts, tickets["department"])
    before = model.predict_proba(texts)

    apply_temperature(model, 0.6)

    after = model.predict_proba(texts)
    assert np.abs(after - rescale(before, 0.6)).max() < 1e-12
    fast = FastLinearModel.from_sklearn(model)
    assert np.abs(fast.predict_proba(texts) - after).max() < 1e-12


def test_fit_task_calibrates_on_out_of_fold_predictions_when_asked(tickets) -> None:
    config = {**WORDS, "calibration": "temperature"}

    model, info = fit_task(tickets, "department", config, 0.9, folds=3, seed=0)
    plain, plain_info = fit_task(tickets, "department", WORDS, 0.9, folds=3, seed=0)

    assert "temperature" not in plain_info
    texts = tickets["text"].tolist()[:200]
    expected = rescale(plain.predict_proba(texts), info["temperature"])
    assert np.abs(model.predict_proba(texts) - expected).max() < 1e-9
    assert info["precision"] >= 0.9


def test_extra_rows_train_every_fit_but_are_never_scored(tickets, monkeypatch) -> None:
    scored = []
    choose = train.choose_threshold
    monkeypatch.setattr(
        train, "choose_threshold", lambda p, c, t: scored.append(len(c)) or choose(p, c, t)
    )
    extra = (["zorglub quantum flux capacitor is leaking"] * 5, ["Legal"] * 5)
    model, info = fit_task(tickets, "department", WORDS, 0.9, folds=3, seed=0, extra=extra)
    plain, _ = fit_task(tickets, "department", WORDS, 0.9, folds=3, seed=0)

    assert model.predict(["zorglub quantum flux capacitor"])[0] == "Legal"
    assert plain.predict(["zorglub quantum flux capacitor"])[0] != "Legal"
    assert scored == [len(tickets), len(tickets)]  # out-of-fold scores on the own rows only
    assert 0 < info["coverage"] <= 1


def test_long_tickets_are_the_train_splits_long_ones(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / train.PREPARED / "department"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {
            "text": ["printer jams", " ".join(["word"] * 20), " ".join(["mot"] * 25)],
            "department": ["IT", "HR", "Legal"],
            "language": ["en", "en", "fr"],
        }
    ).to_csv(folder / "train.csv", index=False)
    monkeypatch.chdir(tmp_path)

    texts, labels = long_tickets({"min_words": 20})
    assert len(texts) == 2 and "printer jams" not in texts
    assert labels == ["create_ticket", "create_ticket"]
    assert long_tickets(None) is None
