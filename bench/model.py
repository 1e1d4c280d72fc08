"""`make bench-model`: scikit-learn defaults and the project's router on real tickets, side by side.

Both are trained on the `train` split of ../shared/data/it-service-tickets and scored on `test`:
- baseline: `TfidfVectorizer()` + `LogisticRegression()`, every setting left at its default;
- project: pipeline.train.fit_task with bench/params-it-tickets.yaml (chosen by `python -m
  bench.tune` on `train` only); its out-of-fold predictions on `train` fit the temperature and
  choose the Triage threshold.
The project's model is exported and loaded as the API loads it (model.pkl + predictor.npz,
sha256-checked); its fast predictor is timed against scikit-learn one ticket at a time and
compared with it on the whole test split. Results: the `model` and `inference` sections of
bench/results/latest.json, the table in latest.md and on the terminal.
"""

from __future__ import annotations

import os
import platform
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

import textclf
from bench import it_tickets, results
from bench.inference import cold_loads, time_inference
from bench.model_report import markdown
from pipeline.calibration import rescale
from pipeline.metrics import abstention_report, classification_report, expected_calibration_error
from pipeline.register import export
from pipeline.train import fit_task, reproducible_pickle

NAME = "it-tickets"  # the exported model's name in a temporary models folder


def main() -> int:
    if not it_tickets.available():
        print(f"bench-model: {it_tickets.missing_message()}")
        return 0
    params, (train, test) = it_tickets.load_params(), it_tickets.load_splits()
    started, load_before = time.time(), os.getloadavg()
    print(f"bench-model: {len(train):,} train / {len(test):,} test tickets", flush=True)
    # One BLAS thread: on this kind of machine OpenBLAS's threads cost far more than they save
    # on these sparse problems (the cross-validation uses both cores through processes).
    with threadpool_limits(limits=1, user_api="blas"), tempfile.TemporaryDirectory() as tmp:
        baseline = run_baseline(train, test)
        print(f"  baseline: macro-F1 {baseline['macro_f1']:.3f}", flush=True)
        project, model, loaded = run_project(train, test, params, Path(tmp))
        print(f"  project:  macro-F1 {project['macro_f1']:.3f}", flush=True)
        inference = time_inference(model, loaded.predictor, test["text"].tolist())
        inference.update(cold_loads(Path(tmp) / "models", NAME))
    machine = machine_info(load_before)
    section = {
        "data": describe_data(train, test),
        "baseline": baseline,
        "project": project,
        "targets": params["targets"],
        "machine": machine,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
    }
    inference["machine"] = machine
    table = markdown(section, inference)
    results.update("inference", inference, None)  # shown in the model section's block
    results.update("model", section, table)
    print("\n" + table)
    return 0


def run_baseline(train: pd.DataFrame, test: pd.DataFrame) -> dict:
    """scikit-learn's defaults, as the seed used them (lbfgs stops at max_iter=100)."""
    model = Pipeline([("features", TfidfVectorizer()), ("classifier", LogisticRegression())])
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(train["text"].tolist(), train[it_tickets.LABEL])
    seconds = time.perf_counter() - started
    report = score(model, test)
    report.update(fit_seconds=round(seconds, 2), model_bytes=len(reproducible_pickle(model)))
    report["config"] = "TfidfVectorizer() + LogisticRegression(), all defaults"
    report["iterations"] = int(model.steps[-1][1].n_iter_[0])
    return report


def run_project(train: pd.DataFrame, test: pd.DataFrame, params: dict, tmp: Path):
    """fit_task on train; the exported, re-loaded model; its scores on test."""
    started = time.perf_counter()
    model, info = fit_task(
        train,
        it_tickets.LABEL,
        params["model"],
        params["target_precision"],
        params["cv_folds"],
        params["seed"],
        n_jobs=2,
    )
    seconds = time.perf_counter() - started
    blob = reproducible_pickle(model)
    loaded = export_and_load(blob, info["threshold"], params["model"], tmp)
    report = score(model, test)
    proba = model.predict_proba(test["text"].tolist())
    correct = np.array(model.classes_)[proba.argmax(axis=1)] == test[it_tickets.LABEL].to_numpy()
    report.update(
        fit_seconds=info["fit_seconds"],
        fit_task_seconds=round(seconds, 1),
        model_bytes=len(blob),
        predictor_bytes=(loaded.path / "predictor.npz").stat().st_size,
        config=params["model"],
        temperature=info.get("temperature"),
        ece_before_temperature=uncalibrated_ece(proba, correct, info.get("temperature")),
        terms=int(model.steps[-1][1].coef_.shape[1]),
        abstention={
            "target_precision": params["target_precision"],
            "threshold": info["threshold"],
            "chosen_on": f"out-of-fold predictions on train ({params['cv_folds']} folds)",
            "train_out_of_fold": {"precision": info["precision"], "coverage": info["coverage"]},
            "test": abstention_report(proba, correct, info["threshold"]),
        },
    )
    return report, model, loaded


def score(model: Pipeline, test: pd.DataFrame) -> dict:
    proba = model.predict_proba(test["text"].tolist())
    classes = [str(c) for c in model.classes_]
    predicted = np.array(classes)[proba.argmax(axis=1)]
    return classification_report(test[it_tickets.LABEL].to_numpy(), predicted, proba, classes)


def uncalibrated_ece(proba: np.ndarray, correct: np.ndarray, temperature: float | None):
    if temperature is None:
        return None
    return expected_calibration_error(rescale(proba, 1.0 / temperature).max(axis=1), correct)


def export_and_load(blob: bytes, threshold: float, config: dict, tmp: Path) -> textclf.LoadedModel:
    """Export as the register stage does and load as the API does (sha256-checked)."""
    pickle_path = tmp / "model.pkl"
    pickle_path.write_bytes(blob)
    manifest = {
        "name": NAME,
        "version": 1,
        "threshold": threshold,
        "params": config,
        "sklearn_version": metadata.version("scikit-learn"),
    }
    export(tmp / "models" / NAME / "1", pickle_path, manifest)
    return textclf.load(NAME, 1, root=tmp / "models")


def describe_data(train: pd.DataFrame, test: pd.DataFrame) -> dict:
    return {
        "source": "../shared/data/it-service-tickets/tickets.csv.gz",
        "train": len(train),
        "test": len(test),
        "classes": sorted(train[it_tickets.LABEL].unique().tolist()),
    }


def machine_info(load_before: tuple[float, float, float]) -> dict:
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_name(),
        "python": platform.python_version(),
        "scikit_learn": metadata.version("scikit-learn"),
        "numpy": metadata.version("numpy"),
        "scipy": metadata.version("scipy"),
        "blas_threads": 1,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
