"""Prediction speed: the fast predictor against scikit-learn, one ticket at a time.

Single-ticket latency is what the API pays per request; a cold load is what it pays at start.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from textclf.fast import FastLinearModel

FAST_TIMED, SKLEARN_TIMED, WARM_UP = 2000, 300, 200
COLD_LOAD_RUNS = 3
ROOT = Path(__file__).resolve().parents[1]


def time_inference(model: Pipeline, predictor: FastLinearModel, texts: list[str]) -> dict:
    """Single-ticket latency of both predictors; their largest difference on every text."""
    rng = np.random.default_rng(0)
    chosen = rng.choice(len(texts), min(FAST_TIMED, len(texts)), replace=False)
    sample = [texts[i] for i in chosen]
    for text in texts[:WARM_UP]:
        predictor.proba_one(text)
    fast = per_call_us(predictor.proba_one, sample)
    explain = per_call_us(lambda t: predictor.explain_one(t, 5), sample)
    slow = per_call_us(lambda t: model.predict_proba([t]), sample[:SKLEARN_TIMED])
    expected, actual = model.predict_proba(texts), predictor.predict_proba(texts)
    return {
        "fast_p50_us": percentile(fast, 50),
        "fast_p99_us": percentile(fast, 99),
        "fast_explain_p50_us": percentile(explain, 50),
        "sklearn_p50_us": percentile(slow, 50),
        "sklearn_p99_us": percentile(slow, 99),
        "speedup_p50": round(percentile(slow, 50) / percentile(fast, 50), 1),
        "timed_fast": len(fast),
        "timed_sklearn": len(slow),
        "max_abs_proba_diff": float(np.abs(actual - expected).max()),
        "compared": len(texts),
        "same_labels": int((actual.argmax(axis=1) == expected.argmax(axis=1)).sum()),
    }


def per_call_us(function: Callable[[str], object], texts: list[str]) -> np.ndarray:
    gc.collect()
    times = np.empty(len(texts))
    for i, text in enumerate(texts):
        started = time.perf_counter_ns()
        function(text)
        times[i] = (time.perf_counter_ns() - started) / 1000
    return times


def percentile(values: np.ndarray, q: float) -> float:
    return round(float(np.percentile(values, q)), 1)


# what a fresh interpreter runs: load as the API does, or unpickle (importing scikit-learn)
COLD_FAST = "import pathlib, sys, textclf; textclf.load('{name}', 1, pathlib.Path(sys.argv[1]))"
COLD_SKLEARN = "import pickle, sys; pickle.load(open(sys.argv[1] + '/{name}/1/model.pkl', 'rb'))"


def cold_loads(models_root: Path, name: str) -> dict:
    """Seconds for a fresh interpreter to load version 1 of `name`: predictor vs. pickle."""
    root = str(models_root)

    def run(code: str) -> float:
        runs = []
        for _ in range(COLD_LOAD_RUNS):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", code.format(name=name), root],
                check=True,
                cwd=ROOT,
            )
            runs.append(time.perf_counter() - started)
        return round(float(np.median(runs)), 2)

    return {"cold_load_fast_s": run(COLD_FAST), "cold_load_sklearn_s": run(COLD_SKLEARN)}
