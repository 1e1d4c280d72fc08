"""`python -m bench.tune`: choose the real-data configuration by cross-validation on `train`.

The test split is never read. Candidates come from bench/params-it-tickets.yaml (`search`):
first every feature set with the first classifier setting, then every classifier setting
with the chosen features. Each candidate is scored on out-of-fold predictions of the project's
own pipeline (pipeline.train.build_pipeline).

The choice follows the one-standard-error rule: among the candidates whose mean macro-F1 is
within one standard error of the best, the smallest model (fewest terms), then the strongest
penalty (smallest C). Differences inside the folds' noise do not buy a bigger, slower model.
Then bench.alternatives scores other routers of the same family (other losses, NB-LR, char
n-grams, averages, per-class offsets...) with the same folds, reported in a section of their own.
Results: bench/results/tune-it-tickets.{json,md}. Takes 20-40 minutes on 2 cores for the grid,
about 10 more for the alternatives; grid rows already in tune-it-tickets.json for the same folds,
seed and configuration are reused, not re-run.
"""

from __future__ import annotations

import itertools
import json
import time

import numpy as np
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from bench import alternatives, it_tickets
from bench.results import RESULTS_DIR
from pipeline.calibration import fit_temperature, rescale
from pipeline.metrics import accuracy_at_coverage, expected_calibration_error
from pipeline.train import build_pipeline

OUT = RESULTS_DIR / "tune-it-tickets"


def fit_fold(config: dict, texts: np.ndarray, labels: np.ndarray, train_rows, test_rows):
    """One fold: the held-out rows' probabilities, the fit's duration and the model's terms."""
    started = time.perf_counter()
    model = build_pipeline(config).fit(texts[train_rows].tolist(), labels[train_rows])
    seconds = time.perf_counter() - started
    terms = model.steps[-1][1].coef_.shape[1]
    return test_rows, model.predict_proba(texts[test_rows].tolist()), seconds, terms


def cross_validate(
    config: dict, texts: np.ndarray, labels: np.ndarray, folds: int, seed: int, n_jobs: int = 2
) -> dict:
    """Out-of-fold scores of `config`: macro-F1 per fold, and the pooled predictions' figures."""
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, labels)
    classes = sorted(set(labels))
    runs = Parallel(n_jobs=n_jobs)(
        delayed(fit_fold)(config, texts, labels, a, b) for a, b in splits
    )
    proba = np.zeros((len(labels), len(classes)))
    for rows, fold_proba, _, _ in runs:
        proba[rows] = fold_proba
    predicted = np.array(classes)[proba.argmax(axis=1)]
    fold_f1 = [float(f1_score(labels[r], predicted[r], average="macro")) for r, *_ in runs]
    return {
        "macro_f1": float(np.mean(fold_f1)),
        "macro_f1_sem": float(np.std(fold_f1, ddof=1) / np.sqrt(len(fold_f1))),
        "fold_macro_f1": fold_f1,
        "fold_seconds": float(np.mean([run[2] for run in runs])),
        "terms": int(np.mean([run[3] for run in runs])),
        **pooled_figures(proba, labels, classes),
    }


def pooled_figures(proba: np.ndarray, labels: np.ndarray, classes: list[str]) -> dict:
    """Accuracy, accuracy at 80 % coverage and ECE, before and after temperature scaling."""
    correct = np.array(classes)[proba.argmax(axis=1)] == labels
    temperature = fit_temperature(proba, it_tickets.label_indices(labels, classes))
    confidence = proba.max(axis=1)
    calibrated = rescale(proba, temperature).max(axis=1)
    return {
        "accuracy": float(correct.mean()),
        "acc_at_80": accuracy_at_coverage(confidence, correct, 0.8),
        "ece": expected_calibration_error(confidence, correct),
        "temperature": temperature,
        "ece_calibrated": expected_calibration_error(calibrated, correct),
    }


def choose(rows: list[dict]) -> dict:
    """One-standard-error rule: the smallest model, then the smallest C, close to the best."""
    best = max(rows, key=lambda r: r["macro_f1"])
    close = [r for r in rows if r["macro_f1"] >= best["macro_f1"] - best["macro_f1_sem"]]
    return min(close, key=lambda r: (r["terms"], r["config"]["C"], -r["macro_f1"]))


def candidates(search: dict, features: dict | None = None) -> list[tuple[str, dict]]:
    """Stage 1 (features is None): each feature set; stage 2: each classifier setting."""
    grid = search["classifier"]
    if features is None:
        first = {key: values[0] for key, values in grid.items()}
        return [
            (name, {**search["base"], **change, **first})
            for name, change in search["features"].items()
        ]
    keys = list(grid)
    return [
        (
            ", ".join(f"{k}={v}" for k, v in zip(keys, values, strict=True)),
            {**features, **dict(zip(keys, values, strict=True))},
        )
        for values in itertools.product(*(grid[k] for k in keys))
    ]


def main() -> int:
    if not it_tickets.available():
        print(f"bench.tune: {it_tickets.missing_message()}")
        return 0
    params = it_tickets.load_params()
    train, _ = it_tickets.load_splits()  # the test split is not used here
    texts, labels = train["text"].to_numpy(), train[it_tickets.LABEL].to_numpy()
    last, done, seed = previous_rows(params), {}, params["seed"]

    def score(stage: str, name: str, config: dict) -> dict:
        key = json.dumps(config, sort_keys=True)
        if key not in done:
            done[key] = last.get(key) or scored(stage, name, config)
            print(line(done[key]), flush=True)
        return done[key]

    def scored(stage: str, name: str, config: dict) -> dict:
        started = time.perf_counter()
        row = cross_validate(config, texts, labels, params["cv_folds"], params["seed"])
        return {"stage": stage, "name": name, "config": config, **row} | {
            "seconds": round(time.perf_counter() - started, 1)
        }

    print(f"bench.tune: {params['cv_folds']}-fold CV on {len(labels):,} train tickets", flush=True)
    with threadpool_limits(limits=1, user_api="blas"):
        features = choose([score("features", n, c) for n, c in candidates(params["search"])])
        for name, config in candidates(params["search"], features["config"]):
            score("classifier", name, config)
        winner = choose(list(done.values()))
        print(f"bench.tune: chosen: {json.dumps(winner['config'])}", flush=True)
        others = alternatives.evaluate(
            texts, labels, winner["config"], params["alternatives"], params["cv_folds"], seed
        )
    for row in others:
        print(f"  {row['name']:32s} {figures_line(row)}", flush=True)
    write(list(done.values()), winner, params, others)
    return 0


def previous_rows(params: dict) -> dict[str, dict]:
    """Grid rows of the last run with the same folds and seed, by configuration."""
    if not OUT.with_suffix(".json").is_file():
        return {}
    last = json.loads(OUT.with_suffix(".json").read_text(encoding="utf-8"))
    if (last["folds"], last["seed"]) != (params["cv_folds"], params["seed"]):
        return {}
    return {json.dumps(row["config"], sort_keys=True): row for row in last["candidates"]}


def figures_line(row: dict) -> str:
    return (
        f"macro-F1 {row['macro_f1']:.4f} ± {row['macro_f1_sem']:.4f}  accuracy "
        f"{row['accuracy']:.4f}  acc@80 {row['acc_at_80']:.4f} (by margin "
        f"{row['acc_at_80_margin']:.4f})  fit {row['fold_seconds']:.0f} s/fold"
    )


def line(row: dict) -> str:
    return (
        f"  {row['stage']:10s} {row['name']:32s} macro-F1 {row['macro_f1']:.4f} "
        f"± {row['macro_f1_sem']:.4f}  acc@80 {row['acc_at_80']:.4f}  "
        f"ECE {row['ece']:.3f} -> {row['ece_calibrated']:.3f}  {row['terms']:,} terms  "
        f"fit {row['fold_seconds']:.0f} s/fold"
    )


def write(rows: list[dict], winner: dict, params: dict, others: list[dict]) -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "folds": params["cv_folds"],
        "seed": params["seed"],
        "data": "train split only",
        "rule": "one standard error: fewest terms, then smallest C",
        "winner": winner["config"],
        "candidates": rows,
        "alternatives": others,
    }
    OUT.with_suffix(".json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    text = markdown(rows, winner, params) + "\n" + alternatives_markdown(others, params)
    OUT.with_suffix(".md").write_text(text, encoding="utf-8")


def markdown(rows: list[dict], winner: dict, params: dict) -> str:
    head = (
        "# Tuning on the real IT tickets (`python -m bench.tune`)\n\n"
        f"{params['cv_folds']}-fold stratified cross-validation on the `train` split only "
        f"(seed {params['seed']}); the test split is not read. Macro-F1: mean ± standard "
        "error over the folds. Accuracy at 80 % coverage and ECE: pooled out-of-fold "
        "predictions; ECE also after temperature scaling (T fitted on those predictions). "
        "Fit: seconds per fold (4/5 of train, two folds at a time). Chosen (**bold**): the "
        "one-standard-error rule, fewest terms then smallest C among the candidates within "
        "one standard error of the best mean.\n\n"
        "| stage | candidate | macro-F1 | accuracy | acc@80 | ECE | ECE, T-scaled (T) "
        "| terms | fit s/fold |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    body = "".join(
        f"| {r['stage']} | {'**' + r['name'] + '**' if r is winner else r['name']} "
        f"| {r['macro_f1']:.4f} ± {r['macro_f1_sem']:.4f} | {r['accuracy']:.4f} "
        f"| {r['acc_at_80']:.4f} | {r['ece']:.3f} | {r['ece_calibrated']:.3f} "
        f"({r['temperature']:.2f}) | {r['terms']:,} | {r['fold_seconds']:.0f} |\n"
        for r in rows
    )
    return head + body + f"\nChosen: `{json.dumps(winner['config'])}`\n"


def alternatives_markdown(rows: list[dict], params: dict) -> str:
    """The section on other routers of the same family, with the issue's targets."""
    targets = params["targets"]
    best = max(rows, key=lambda r: r["macro_f1"])
    reached = [r["name"] for r in rows if r["macro_f1"] >= targets["macro_f1"]]
    head = (
        "## Beyond the grid: other sparse n-gram + linear routers (bench/alternatives.py)\n\n"
        f"Same {params['cv_folds']} folds of `train`, pooled out-of-fold scores; the test split "
        "is not read. Anything tuned inside a row (the per-class offsets, the cleaning) is "
        "tuned without the fold it is scored on. acc@80: accuracy on the 80 % most confident "
        "held-out tickets, ranked by the top softmax probability of the scores, or by the gap "
        "between the two best scores. Fit: seconds per fold for the member models (two folds "
        "at a time). The averages' members were picked in the 3-fold exploration listed below "
        "(same train split, other folds), so their figures lean optimistic. Issue 6 asks for "
        "macro-F1 >= "
        f"{targets['macro_f1']} and acc@80 >= {targets['acc_at_80']}: "
        + (f"reached by {', '.join(reached)}." if reached else "no row reaches the macro-F1 ")
        + ("" if reached else f"target; the best is {best['name']} at {best['macro_f1']:.4f}.")
        + "\n\n| router | what | macro-F1 | accuracy | acc@80 | acc@80 by margin | fit s/fold |"
        "\n|---|---|---:|---:|---:|---:|---:|\n"
    )
    body = "".join(
        f"| {r['name']} | {r['what']} | {r['macro_f1']:.4f} ± {r['macro_f1_sem']:.4f} "
        f"| {r['accuracy']:.4f} | {r['acc_at_80']:.4f} | {r['acc_at_80_margin']:.4f} "
        f"| {r['fold_seconds']:.0f} |\n"
        for r in rows
    )
    explored = params["alternatives"].get("explored_3_folds", {})
    notes = "".join(f"- {name}: {figure}\n" for name, figure in explored.items())
    return (
        head
        + body
        + (
            "\nAlso tried in a 3-fold exploration on `train` (macro-F1, one-off scripts, not "
            f"re-run here):\n\n{notes}"
            if notes
            else ""
        )
    )


if __name__ == "__main__":
    raise SystemExit(main())
