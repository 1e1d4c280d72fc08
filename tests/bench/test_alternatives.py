"""bench.alternatives and its section in bench.tune: offsets, averages, figures, the record."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from bench import alternatives, it_tickets, tune

ROOT = Path(__file__).resolve().parents[2]
SPLITS = [(np.arange(4, 8), np.arange(0, 4)), (np.arange(0, 4), np.arange(4, 8))]


def test_bias_offsets_move_the_boundary_towards_the_neglected_class() -> None:
    y = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([[1.0, 0.0]] * 3 + [[1.0, 0.5]] * 3)  # class 1 never predicted

    bias = alternatives.tune_bias(scores, y, np.linspace(-1.0, 1.0, 21))

    assert ((scores + bias).argmax(axis=1) == y).all()


def test_each_folds_offsets_are_tuned_on_the_other_folds_only(monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(alternatives, "tune_bias", lambda s, y, g: seen.append(len(y)) or 0.0)
    y = np.arange(8) % 2

    alternatives.with_bias(np.zeros((8, 2)), y, SPLITS, np.zeros(1))

    assert seen == [4, 4]


def test_an_average_puts_the_members_on_one_scale_first() -> None:
    small = np.array([[0.2, 0.0], [0.0, 0.1]])  # median top-2 gap 0.15
    large = small * 100.0

    averaged = alternatives.average({"a": small, "b": large}, ["a", "b"])

    np.testing.assert_allclose(averaged, small / 0.15)


def test_figures_rank_by_probability_and_by_margin() -> None:
    y = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    scores = np.tile([[2.0, 0.0]], (8, 1))  # always class 0: half right
    scores[0] = [9.0, 0.0]

    row = alternatives.figures(scores, y, SPLITS)

    assert row["accuracy"] == 0.5
    assert row["macro_f1"] == pytest.approx(1 / 3)
    assert row["acc_at_80"] == row["acc_at_80_margin"] == pytest.approx(4 / 7)


def test_nb_lr_is_one_linear_model_over_the_features() -> None:
    import scipy.sparse as sp

    x = sp.csr_matrix(np.array([[1.0, 0.0, 0.2], [0.9, 0.1, 0.0], [0.0, 1.0, 0.1], [0.1, 0.8, 0]]))
    y = np.array([0, 0, 1, 1])

    scores = alternatives.nb_lr(x, y, x, c=10.0, alpha=1.0)

    assert (scores.argmax(axis=1) == y).all()
    assert scores.shape == (4, 2)


def test_every_alternative_runs_on_a_small_set_and_is_described() -> None:
    frame = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str, keep_default_na=False)
    frame = frame.groupby("department").head(30)
    params = it_tickets.load_params()
    settings = {**params["alternatives"], "chi2": {"word_ngrams": [1, 3], "k": 50}}
    config = {**params["model"], "min_df": 1}
    texts, labels = frame["text"].to_numpy(), frame["department"].to_numpy()

    rows = alternatives.evaluate(texts, labels, config, settings, folds=3, seed=0)

    names = [r["name"] for r in rows]
    assert names[:1] == ["project"] and set(params["alternatives"]["ensembles"]) <= set(names)
    assert all(0.0 <= r["macro_f1"] <= 1.0 and r["what"] for r in rows)


def test_the_ensembles_average_only_alternatives_that_exist() -> None:
    settings = it_tickets.load_params()["alternatives"]

    for members in settings["ensembles"].values():
        assert set(members) <= set(alternatives.DESCRIPTIONS)


def test_the_section_says_plainly_whether_any_router_reaches_the_target() -> None:
    params = {"cv_folds": 5, "targets": {"macro_f1": 0.88, "acc_at_80": 0.95}, "alternatives": {}}
    row = {
        "name": "x",
        "what": "y",
        "macro_f1": 0.871,
        "macro_f1_sem": 0.002,
        "accuracy": 0.87,
        "acc_at_80": 0.94,
        "acc_at_80_margin": 0.941,
        "fold_seconds": 3.0,
    }

    assert "no row reaches the macro-F1 target; the best is x at 0.8710" in (
        tune.alternatives_markdown([row], params)
    )
    assert "reached by x." in tune.alternatives_markdown([{**row, "macro_f1": 0.881}], params)


def test_grid_rows_are_reused_only_for_the_same_folds_and_seed(monkeypatch, tmp_path) -> None:
    out = tmp_path / "tune-it-tickets"
    monkeypatch.setattr(tune, "OUT", out)
    row = {"config": {"C": 1.0}, "macro_f1": 0.8}
    out.with_suffix(".json").write_text(json.dumps({"folds": 5, "seed": 42, "candidates": [row]}))

    assert tune.previous_rows({"cv_folds": 5, "seed": 42}) == {'{"C": 1.0}': row}
    assert tune.previous_rows({"cv_folds": 3, "seed": 42}) == {}
