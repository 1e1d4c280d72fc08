"""Stage train: one TF-IDF + logistic-regression pipeline per task, and its abstention threshold.

The threshold comes from out-of-fold predictions on the training split (never the test split):
the lowest confidence at which the predictions kept still reach the target precision.
"""

from __future__ import annotations

import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

from pipeline.calibration import apply_temperature, fit_temperature, rescale
from pipeline.common import TASKS, load_params, stage, write_json
from pipeline.features import SentenceFeatures
from textclf.text import model_text

PREPARED = Path("build/prepared")
OUT = Path("build/models")


def build_pipeline(config: dict) -> Pipeline:
    """TF-IDF over words (and characters within words when `char_ngrams` is set, across
    words when `char_ngrams_across_words` is; the sentence encoder's vector when
    `sentence_encoder` is) + LR.

    With `fold_numbers`, both see the text through textclf.text.model_text (lower case, no
    accents, numbers as '0'), which the fast predictor reproduces.
    """

    def tfidf(analyzer: str, ngrams: list[int], min_df: int | None = None) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=tuple(ngrams),
            min_df=min_df or config.get("min_df", 1),
            max_df=config.get("max_df", 1.0),
            sublinear_tf=config.get("sublinear_tf", True),
            strip_accents="unicode",
            lowercase=True,
            dtype=np.float64,
            preprocessor=model_text if config.get("fold_numbers") else None,
        )

    blocks = [("words", tfidf("word", config["word_ngrams"]))]
    if config.get("char_ngrams"):
        blocks.append(("chars", tfidf("char_wb", config["char_ngrams"])))
    if config.get("char_ngrams_across_words"):  # "le 12", "of my": the joins between words
        spans = tfidf("char", config["char_ngrams_across_words"], config.get("min_df_across_words"))
        blocks.append(("spans", spans))
    if config.get("sentence_encoder"):  # the encoder's mean vector, beside the TF-IDF blocks
        blocks.append(("sentences", SentenceFeatures(**config["sentence_encoder"])))
    weights = config.get("block_weights")  # {"words": 2.0}: a block counts for more
    if len(blocks) == 1:
        features = blocks[0][1]
    else:
        features = FeatureUnion(blocks, transformer_weights=weights)
    classifier = LogisticRegression(
        C=config["C"],
        class_weight=config.get("class_weight"),
        max_iter=config.get("max_iter", 1000),
        tol=config.get("tol", 1e-4),
        solver=config.get("solver", "lbfgs"),  # saga: same model, much faster on 100k+ terms
        random_state=config.get("random_state"),  # saga visits rows in a random order
    )
    return Pipeline([("features", features), ("classifier", classifier)])


def choose_threshold(proba: np.ndarray, correct: np.ndarray, target_precision: float) -> dict:
    """The lowest confidence t such that predictions with confidence >= t reach the target.

    Returns the threshold with the precision and coverage it gives on these predictions.
    """
    confidence = proba.max(axis=1)
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(correct[order])
    precision = hits / np.arange(1, len(order) + 1)
    ranked = confidence[order]
    # a threshold keeps every prediction as confident as the last one kept: only cut after ties
    cut = np.append(ranked[1:] < ranked[:-1], True)
    ok = np.nonzero((precision >= target_precision) & cut)[0]
    if len(ok) == 0:  # even the most confident prediction is too often wrong
        return {
            "threshold": 1.0,
            "precision": 0.0,
            "coverage": 0.0,
            "target_precision": target_precision,
        }
    keep = ok[-1]  # the largest prefix that still meets the target
    threshold = float(confidence[order[keep]])
    kept = confidence >= threshold
    return {
        "threshold": threshold,  # not rounded: rounding up or down changes who is kept
        "precision": float(correct[kept].mean()),
        "coverage": float(kept.mean()),
        "target_precision": target_precision,
    }


def reproducible_pickle(model: Pipeline) -> bytes:
    """The pickle of `model`, the same bytes for the same fit on any run.

    TfidfVectorizer caches `id(stop_words)`, a memory address, as `_stop_words_id`; it is
    only a cache (recomputed when absent), so it is dropped before pickling.
    """
    features = model.steps[0][1]
    blocks = [t for _, t in getattr(features, "transformer_list", [("", features)])]
    for block in blocks:
        if hasattr(block, "_stop_words_id"):
            del block._stop_words_id
    return pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)


def fit_task(
    train: pd.DataFrame,
    label: str,
    config: dict,
    target_precision: float,
    folds: int,
    seed: int,
    n_jobs: int | None = None,
    extra: tuple[list[str], list[str]] | None = None,
) -> tuple[Pipeline, dict]:
    """Out-of-fold predictions choose the threshold (and the temperature when `calibration`
    is "temperature"); then one fit on every row, whose duration is `fit_seconds`.

    `extra` (texts, labels) are rows that every fit learns from but no score is taken on: they
    are not of the task's own data (see `long_tickets`)."""
    texts, labels = train["text"].tolist(), train[label].to_numpy()
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    if extra is None:
        proba = cross_val_predict(
            build_pipeline(config), texts, labels, cv=cv, method="predict_proba", n_jobs=n_jobs
        )
    else:
        proba = _out_of_fold(config, texts, labels, cv, extra)
        texts, labels = texts + extra[0], np.concatenate([labels, extra[1]])
    classes, label_index = np.unique(labels, return_inverse=True)
    temperature = None
    if config.get("calibration") == "temperature":
        temperature = fit_temperature(proba, label_index)
        proba = rescale(proba, temperature)
    scored = labels[: len(proba)]  # the task's own rows
    correct = classes[proba.argmax(axis=1)] == scored
    info = choose_threshold(proba, correct, target_precision)
    info["cv_accuracy"] = float(correct.mean())
    started = time.perf_counter()
    model = build_pipeline(config).fit(texts, labels)
    info["fit_seconds"] = round(time.perf_counter() - started, 3)
    if temperature is not None:
        apply_temperature(model, temperature)
        info["temperature"] = temperature
    return model, info


def _out_of_fold(
    config: dict,
    texts: list[str],
    labels: np.ndarray,
    cv: StratifiedKFold,
    extra: tuple[list[str], list[str]],
    build: Callable[[], Any] | None = None,
) -> np.ndarray:
    """Like cross_val_predict, with the `extra` rows added to every training fold; `build`
    makes each fold's model (fit, predict_proba), by default the project's pipeline."""
    proba = np.zeros((len(texts), len(np.unique(labels))))
    for fit_rows, held in cv.split(texts, labels):
        fold_texts = [texts[i] for i in fit_rows] + extra[0]
        fold_labels = np.concatenate([labels[fit_rows], extra[1]])
        model = (build or (lambda: build_pipeline(config)))().fit(fold_texts, fold_labels)
        proba[held] = model.predict_proba([texts[i] for i in held])
    return proba


def long_tickets(config: dict | None) -> tuple[list[str], list[str]] | None:
    """Tickets of the department split's train part with at least `min_words` words, as
    create_ticket examples for the intent model: an employee who pastes a whole problem into
    the chatbot wants a ticket, and chat utterances that long are few. The department test
    split stays unseen, so `make bench-chat` can score tickets typed as they are."""
    if not config:
        return None
    tickets = pd.read_csv(PREPARED / "department" / "train.csv", dtype=str, keep_default_na=False)
    texts = [t for t in tickets["text"] if len(t.split()) >= config["min_words"]]
    return texts, ["create_ticket"] * len(texts)


@stage("train")
def main() -> None:
    # One BLAS thread: the same model bytes on any number of cores (threaded sums round
    # differently), and lbfgs on these small problems runs 2-3x faster without threads.
    with threadpool_limits(limits=1, user_api="blas"):
        train_all(load_params())


def train_all(params: dict) -> None:
    for task, (_, _, label) in TASKS.items():
        train = pd.read_csv(PREPARED / task / "train.csv", dtype=str, keep_default_na=False)
        model, info = fit_task(
            train,
            label,
            params["train"][task],
            params["abstain"][task]["target_precision"],
            params["train"]["cv_folds"],
            params["train"]["seed"],
            extra=long_tickets(params["train"][task].get("long_tickets")),
        )
        folder = OUT / task
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.pkl").write_bytes(reproducible_pickle(model))
        fit_seconds = info.pop("fit_seconds")  # varies run to run: printed, not tracked
        write_json(folder / "train.json", info)
        print(
            f"train: {task}: fit in {fit_seconds} s, out-of-fold accuracy "
            f"{info['cv_accuracy']:.3f}, threshold {info['threshold']:.3f} keeps "
            f"{info['coverage']:.0%} at precision {info['precision']:.3f}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
