"""Stage evaluate: test-split metrics overall and per language, as DVC metrics and plots.

Each model is scored alone. The intent model is also scored inside the chatbot's whole
understanding (`chatbot`: its rules, then this model, as `triage-chat parse` answers), which
is what an employee talking to the chatbot meets.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score  # noqa: E402

from chatbot.nlu import Understanding  # noqa: E402
from pipeline.common import TASKS, load_params, read_json, stage, write_json  # noqa: E402
from pipeline.metrics import abstention_report, classification_report  # noqa: E402
from textclf import LoadedModel  # noqa: E402
from textclf.fast import FastLinearModel  # noqa: E402

PREPARED = Path("build/prepared")
MODELS = Path("build/models")
METRICS = Path("metrics")
PLOTS = Path("plots")


def language_rows(test: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each language of `test`, with the mask of its rows."""
    return {
        language: (test["language"] == language).to_numpy()
        for language in sorted(test["language"].unique())
    }


def evaluate(model, test: pd.DataFrame, label: str, threshold: float) -> dict:
    """Overall and per-language report of `model` on `test`."""
    proba = model.predict_proba(test["text"].tolist())
    classes = [str(c) for c in model.classes_]
    predicted = np.array(classes)[proba.argmax(axis=1)]
    labels = test[label].to_numpy()
    report = classification_report(labels, predicted, proba, classes)
    report["abstention"] = abstention_report(proba, predicted == labels, threshold)
    report["per_language"] = {}
    for language, rows in language_rows(test).items():
        part = classification_report(labels[rows], predicted[rows], proba[rows], classes)
        part.pop("per_class")
        report["per_language"][language] = part
    return report


def chatbot_report(model, test: pd.DataFrame, threshold: float) -> dict:
    """Accuracy and macro-F1 of the chatbot's intents on `test`, overall and per language, with
    `model` as its intent model (the same fast predictor that register exports)."""
    loaded = LoadedModel(
        name="chat-intent",
        version=0,
        sha256="",
        manifest={"threshold": threshold},
        predictor=FastLinearModel.from_sklearn(model),
        path=MODELS / "intent",
    )
    nlu = Understanding(loaded)
    predicted = np.array([nlu.parse(text).intent for text in test["text"]])
    labels = test["intent"].to_numpy()
    classes = [str(c) for c in model.classes_]

    def scores(rows: np.ndarray) -> dict:
        return {
            "n": int(rows.sum()),
            "accuracy": float(accuracy_score(labels[rows], predicted[rows])),
            "macro_f1": float(
                f1_score(
                    labels[rows], predicted[rows], labels=classes, average="macro", zero_division=0
                )
            ),
        }

    report = scores(np.ones(len(test), dtype=bool))
    report["per_language"] = {
        language: scores(rows) for language, rows in language_rows(test).items()
    }
    return report


def confusion_plot(
    labels: np.ndarray, predicted: np.ndarray, classes: list[str], title: str, path: Path
) -> None:
    matrix = confusion_matrix(labels, predicted, labels=classes)
    figure, axes = plt.subplots(figsize=(1.1 * len(classes) + 2, 1.0 * len(classes) + 1.5))
    axes.imshow(matrix, cmap="Blues")
    axes.set_xticks(range(len(classes)), classes, rotation=45, ha="right")
    axes.set_yticks(range(len(classes)), classes)
    axes.set_xlabel("predicted")
    axes.set_ylabel("actual")
    axes.set_title(title)
    for (i, j), count in np.ndenumerate(matrix):
        axes.text(
            j,
            i,
            str(count),
            ha="center",
            va="center",
            color="white" if count > matrix.max() / 2 else "black",
        )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def evaluate_task(task: str) -> dict:
    _, _, label = TASKS[task]
    with open(MODELS / task / "model.pkl", "rb") as handle:
        model = pickle.load(handle)  # noqa: S301 - written by our own train stage
    test = pd.read_csv(PREPARED / task / "test.csv", dtype=str, keep_default_na=False)
    threshold = read_json(MODELS / task / "train.json")["threshold"]
    report = evaluate(model, test, label, threshold)
    if task == "intent":
        report["chatbot"] = chatbot_report(model, test, threshold)
    predicted = model.predict(test["text"].tolist())
    (PLOTS / task).mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"actual": test[label], "predicted": predicted}).to_csv(
        PLOTS / task / "confusion.csv", index=False
    )
    confusion_plot(
        test[label].to_numpy(),
        np.asarray(predicted),
        list(model.classes_),
        f"{task} (test split)",
        PLOTS / task / "confusion.png",
    )
    write_json(METRICS / f"{task}.json", report)
    return report


@stage("evaluate")
def main() -> None:
    load_params()  # fail early, with a clear message, outside the project's root
    for task in TASKS:
        report = evaluate_task(task)
        print(
            f"evaluate: {task}: accuracy {report['accuracy']:.3f}, macro-F1 "
            f"{report['macro_f1']:.3f} ({_by_language(report)})"
        )
        if "chatbot" in report:
            whole = report["chatbot"]
            print(
                f"evaluate: {task}: the chatbot's accuracy {whole['accuracy']:.3f} "
                f"({_by_language(whole)})"
            )


def _by_language(report: dict) -> str:
    """'en 0.951, fr 0.959': each language's accuracy."""
    return ", ".join(f"{k} {v['accuracy']:.3f}" for k, v in report["per_language"].items())


if __name__ == "__main__":
    raise SystemExit(main())
