"""bench.model and bench.tune: skipping without the real data, timing, the report, the choice."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bench import inference, it_tickets, model, results, tune
from bench.model_report import markdown
from textclf.fast import FastLinearModel

ROOT = Path(__file__).resolve().parents[2]


def test_without_the_real_data_it_says_so_and_writes_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(it_tickets, "DATA", tmp_path / "absent" / "tickets.csv.gz")
    monkeypatch.setattr(results, "update", lambda *a, **k: pytest.fail("results written"))

    assert model.main() == 0
    assert tune.main() == 0

    out = capsys.readouterr().out
    assert out.count("absent: skipping the real-data benchmark") == 2
    assert str(tmp_path / "absent" / "tickets.csv.gz") in out


def test_params_name_every_target_and_a_model_the_pipeline_accepts() -> None:
    params = it_tickets.load_params()

    assert set(params["targets"]) == {
        "macro_f1",
        "acc_at_80",
        "fit_seconds",
        "fast_p50_us",
        "max_abs_proba_diff",
    }
    assert 0.5 < params["target_precision"] < 1.0
    assert params["model"]["calibration"] == "temperature"
    tune.candidates(params["search"])  # every candidate is a complete configuration


def test_time_inference_reports_the_contract_keys() -> None:
    frame = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str, keep_default_na=False)
    frame = frame.groupby("department").head(40)
    texts = frame["text"].tolist()
    pipeline = Pipeline([("features", TfidfVectorizer()), ("model", LogisticRegression())])
    pipeline.fit(texts, frame["department"])

    timing = inference.time_inference(pipeline, FastLinearModel.from_sklearn(pipeline), texts)

    assert timing["max_abs_proba_diff"] < 1e-12
    assert timing["same_labels"] == timing["compared"] == len(texts)
    assert 0 < timing["fast_p50_us"] <= timing["fast_p99_us"]
    assert timing["sklearn_p50_us"] > 0


def section_and_inference(macro_f1: float, fast_p50: float) -> tuple[dict, dict]:
    per_class = {"A": {"f1": 0.8, "support": 10}, "B": {"f1": 0.7, "support": 5}}
    common = {
        "accuracy": 0.86,
        "acc_at_80": 0.95,
        "ece": 0.02,
        "model_bytes": 2_000_000,
        "per_class": per_class,
    }
    project = {
        **common,
        "macro_f1": macro_f1,
        "fit_seconds": 12.0,
        "fit_task_seconds": 60.0,
        "config": {"C": 10.0, "random_state": 0},
        "terms": 1234,
        "temperature": 0.8,
        "ece_before_temperature": 0.04,
        "abstention": {
            "target_precision": 0.95,
            "threshold": 0.7,
            "train_out_of_fold": {"precision": 0.95, "coverage": 0.75},
            "test": {"precision": 0.951, "coverage": 0.76, "threshold": 0.7},
        },
    }
    baseline = {
        **common,
        "macro_f1": 0.859,
        "fit_seconds": 10.0,
        "iterations": 100,
        "config": "defaults",
    }
    section = {
        "data": {"train": 100, "test": 20, "classes": ["A", "B"], "source": "x.csv.gz"},
        "baseline": baseline,
        "project": project,
        "seconds": 99.0,
        "date": "today",
        "targets": {
            "macro_f1": 0.88,
            "acc_at_80": 0.95,
            "fit_seconds": 90,
            "fast_p50_us": 50,
            "max_abs_proba_diff": 1e-9,
        },
        "machine": {
            "cores": 2,
            "cpu": "cpu",
            "python": "3.11",
            "scikit_learn": "1.9.1",
            "numpy": "2",
            "load_average_before": [1.0],
            "load_average_after": [2.0],
        },
    }
    inference = {
        "fast_p50_us": fast_p50,
        "fast_p99_us": 90.0,
        "fast_explain_p50_us": 40.0,
        "sklearn_p50_us": 600.0,
        "sklearn_p99_us": 900.0,
        "timed_fast": 2000,
        "timed_sklearn": 300,
        "max_abs_proba_diff": 3e-15,
        "compared": 20,
        "same_labels": 20,
        "cold_load_fast_s": 0.5,
        "cold_load_sklearn_s": 1.5,
    }
    return section, inference


def test_report_shows_both_models_side_by_side_and_each_targets_verdict() -> None:
    text = markdown(*section_and_inference(macro_f1=0.881, fast_p50=61.0))

    assert "| macro-F1 | 0.859 | 0.881 |" in text
    assert "| accuracy on the 80 % most confident | 0.950 | 0.950 |" in text
    assert "macro-F1 >= 0.88: met (0.881)" in text
    assert "fast p50 µs <= 50: **missed** (61.0)" in text
    assert "24.0% of tickets to Triage, the rest 0.951 right" in text


def test_inference_goes_to_latest_json_without_a_markdown_block(tmp_path: Path) -> None:
    results.update("model", {"a": 1}, "## Model\n\ntable", folder=tmp_path)
    results.update("inference", {"fast_p50_us": 30.0}, None, folder=tmp_path)

    data = json.loads((tmp_path / "latest.json").read_text())
    assert data == {"model": {"a": 1}, "inference": {"fast_p50_us": 30.0}}
    assert results.read_sections((tmp_path / "latest.md").read_text()) == {
        "model": "## Model\n\ntable"
    }


def row(macro_f1: float, sem: float, terms: int, c: float) -> dict:
    return {"macro_f1": macro_f1, "macro_f1_sem": sem, "terms": terms, "config": {"C": c}}


def test_tuning_takes_the_smallest_model_within_one_standard_error_of_the_best() -> None:
    best = row(0.870, 0.002, 400_000, 10.0)
    close_small = row(0.8685, 0.002, 100_000, 10.0)
    far_smaller = row(0.860, 0.002, 10_000, 10.0)

    assert tune.choose([best, close_small, far_smaller]) is close_small
    assert tune.choose([best, far_smaller]) is best


def test_tuning_breaks_ties_in_size_with_the_smaller_c() -> None:
    strong = row(0.869, 0.002, 100_000, 3.0)
    weak = row(0.870, 0.002, 100_000, 30.0)

    assert tune.choose([weak, strong]) is strong


def test_tuning_tries_every_feature_set_then_every_classifier_setting() -> None:
    search = {
        "base": {"word_ngrams": [1, 2], "C": 1.0},
        "features": {"words": {}, "min_df 2": {"min_df": 2}},
        "classifier": {"C": [10.0, 3.0], "class_weight": ["balanced", None]},
    }

    stage1 = tune.candidates(search)
    stage2 = tune.candidates(search, stage1[1][1])

    assert [c["C"] for _, c in stage1] == [10.0, 10.0]  # the first classifier setting
    assert stage1[1][1]["min_df"] == 2
    assert len(stage2) == 4
    assert all(c["min_df"] == 2 for _, c in stage2)
    assert {(c["C"], c["class_weight"]) for _, c in stage2} == {
        (10.0, "balanced"),
        (10.0, None),
        (3.0, "balanced"),
        (3.0, None),
    }


def test_the_benchmarked_model_is_the_one_tuning_chose() -> None:
    chosen = json.loads((results.RESULTS_DIR / "tune-it-tickets.json").read_text())["winner"]
    configured = dict(it_tickets.load_params()["model"])

    assert configured.pop("calibration") == "temperature"  # not tuned: fitted in every run
    assert configured == chosen
