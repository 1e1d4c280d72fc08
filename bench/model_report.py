"""The Markdown block of `make bench-model`: quality side by side, prediction speed, targets."""

from __future__ import annotations

from typing import Any

QUALITY = [  # (key, label, format)
    ("accuracy", "accuracy", ".3f"),
    ("macro_f1", "macro-F1", ".3f"),
    ("acc_at_80", "accuracy on the 80 % most confident", ".3f"),
    ("ece", "expected calibration error (10 bins)", ".3f"),
    ("fit_seconds", "fit on train (s)", ".1f"),
    ("model_bytes", "model.pkl", "mb"),
]


def markdown(section: dict[str, Any], inference: dict[str, Any]) -> str:
    data = section["data"]
    lines = [
        "## Model: scikit-learn defaults vs the project's router on real tickets "
        "(`make bench-model`)",
        "",
        f"{data['train']:,} IT service-desk tickets to train, {data['test']:,} to test (the "
        f"data set's fixed split), {len(data['classes'])} categories; `{data['source']}`. "
        "Both models see only `train`; every figure below is on `test`.",
        "",
        *quality_table(section["baseline"], section["project"]),
        "",
        *notes(section["baseline"], section["project"]),
        "",
        *speed_lines(inference),
        "",
        *verdicts(section, inference),
        "",
        machine_line(section),
    ]
    return "\n".join(lines)


def quality_table(baseline: dict[str, Any], project: dict[str, Any]) -> list[str]:
    rows = ["| | baseline | project |", "|---|---:|---:|"]
    rows += [
        f"| {label} | {cell(baseline, k, f)} | {cell(project, k, f)} |" for k, label, f in QUALITY
    ]
    rows.append(
        f"| Triage fallback (precision >= {project['abstention']['target_precision']})"
        f" | — | {fallback_cell(project['abstention'])} |"
    )
    rows += ["", "| F1 per category | test tickets | baseline | project |", "|---|---:|---:|---:|"]
    for name, scores in sorted(project["per_class"].items(), key=lambda kv: -kv[1]["support"]):
        rows.append(
            f"| {name} | {scores['support']:,} | "
            f"{baseline['per_class'][name]['f1']:.3f} | {scores['f1']:.3f} |"
        )
    return rows


def fallback_cell(abstention: dict[str, Any]) -> str:
    test = abstention["test"]
    return (
        f"{1 - test['coverage']:.1%} of tickets to Triage, the rest {test['precision']:.3f} right"
    )


def notes(baseline: dict[str, Any], project: dict[str, Any]) -> list[str]:
    config, abstention = project["config"], project["abstention"]
    shown = ", ".join(f"{k}={v}" for k, v in config.items() if k != "random_state")
    lines = [
        f"- Baseline: {baseline['config']} (lbfgs stopped at {baseline['iterations']} "
        "iterations, as in the seed).",
        f"- Project: `pipeline.train.fit_task` with bench/params-it-tickets.yaml ({shown}); "
        f"{project['terms']:,} terms; chosen by cross-validation on `train` "
        "(`python -m bench.tune`, bench/results/tune-it-tickets.md). Fit: the final fit; with "
        f"the out-of-fold predictions that set the temperature and threshold, "
        f"{project['fit_task_seconds']:.0f} s.",
    ]
    if project.get("temperature") is not None:
        lines.append(
            f"- Calibration: temperature {project['temperature']:.3f} fitted on out-of-fold "
            f"predictions on `train`, folded into the coefficients; ECE on test "
            f"{project['ece_before_temperature']:.3f} before, {project['ece']:.3f} after."
        )
    oof = abstention["train_out_of_fold"]
    lines.append(
        f"- Triage threshold {abstention['threshold']:.3f}: the lowest confidence whose "
        f"out-of-fold predictions on `train` reach precision {abstention['target_precision']} "
        f"(there: {oof['coverage']:.1%} kept at {oof['precision']:.3f}); on test it keeps "
        f"{abstention['test']['coverage']:.1%} at precision {abstention['test']['precision']:.3f}."
    )
    return lines


def speed_lines(inference: dict[str, Any]) -> list[str]:
    return [
        "One ticket at a time, the project's model (µs; fast predictor over "
        f"{inference['timed_fast']:,} test tickets after a warm-up, scikit-learn over "
        f"{inference['timed_sklearn']:,}):",
        "",
        "| predictor | p50 | p99 |",
        "|---|---:|---:|",
        f"| scikit-learn `predict_proba([text])` | {inference['sklearn_p50_us']:,.0f} "
        f"| {inference['sklearn_p99_us']:,.0f} |",
        f"| `FastLinearModel.proba_one` | {inference['fast_p50_us']:.1f} "
        f"| {inference['fast_p99_us']:.1f} |",
        f"| `FastLinearModel.explain_one` (+ top 5 terms) | "
        f"{inference['fast_explain_p50_us']:.1f} | — |",
        "",
        f"- Same labels on {inference['same_labels']:,} of {inference['compared']:,} test "
        f"tickets; largest probability difference {inference['max_abs_proba_diff']:.1e}.",
        f"- A fresh interpreter loads the model in {inference['cold_load_fast_s']:.2f} s with "
        f"the fast predictor (NumPy only) and {inference['cold_load_sklearn_s']:.2f} s "
        "unpickling scikit-learn's pipeline (median of 3).",
    ]


def verdicts(section: dict[str, Any], inference: dict[str, Any]) -> list[str]:
    targets, project = section["targets"], section["project"]
    checks = [
        ("macro-F1", project["macro_f1"], ">=", targets["macro_f1"], ".3f"),
        (
            "accuracy on the 80 % most confident",
            project["acc_at_80"],
            ">=",
            targets["acc_at_80"],
            ".3f",
        ),
        ("fit", project["fit_seconds"], "<=", targets["fit_seconds"], ".1f"),
        ("fast p50 µs", inference["fast_p50_us"], "<=", targets["fast_p50_us"], ".1f"),
        (
            "max probability difference",
            inference["max_abs_proba_diff"],
            "<=",
            targets["max_abs_proba_diff"],
            ".1e",
        ),
    ]
    parts = []
    for name, value, op, target, spec in checks:
        met = value >= target if op == ">=" else value <= target
        mark = "met" if met else "**missed**"
        parts.append(f"{name} {op} {target:g}: {mark} ({format(value, spec)})")
    return ["- Targets: " + "; ".join(parts) + "."]


def machine_line(section: dict[str, Any]) -> str:
    m = section["machine"]
    return (
        f"{m['cores']} cores ({m['cpu']}), Python {m['python']}, scikit-learn "
        f"{m['scikit_learn']}, NumPy {m['numpy']}, one BLAS thread; load average "
        f"{m['load_average_before'][0]:.1f} before and {m['load_average_after'][0]:.1f} after "
        f"the run ({section['seconds']:.0f} s); {section['date']}."
    )


def cell(scores: dict[str, Any], key: str, spec: str) -> str:
    value = scores.get(key)
    if value is None:
        return "—"
    if spec == "mb":
        return f"{value / 1e6:.1f} MB"
    return format(value, spec)
