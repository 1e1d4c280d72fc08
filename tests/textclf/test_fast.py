"""The fast predictor: scikit-learn's numbers without scikit-learn, and its per-word cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from textclf import fast
from textclf.fast import FastLinearModel

ROOT = Path(__file__).resolve().parents[2]
TRICKY = ["", "工工工", "a", "Écran  NOIR\t\tsur le PC 42 !!", "mot-de-passe oublié, encore"]


@pytest.fixture(scope="module")
def texts_and_pipeline() -> tuple[list[str], Pipeline]:
    frame = pd.read_csv(ROOT / "data" / "tickets.csv").groupby("department").head(60)
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            (
                "grams",
                TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), strip_accents="unicode"),
            ),
            (
                "chars",
                TfidfVectorizer(analyzer="char", ngram_range=(1, 2), norm="l1", use_idf=False),
            ),
        ]
    )
    pipeline = Pipeline([("features", features), ("model", LogisticRegression(max_iter=500))])
    texts = frame["text"].tolist()
    return texts, pipeline.fit(texts, frame["department"].tolist())


def test_probabilities_match_scikit_learn(texts_and_pipeline) -> None:
    texts, pipeline = texts_and_pipeline
    model = FastLinearModel.from_sklearn(pipeline)

    sample = texts[::7] + TRICKY

    assert np.abs(model.predict_proba(sample) - pipeline.predict_proba(sample)).max() < 1e-12


def test_cached_words_give_the_same_features_as_a_fresh_model(texts_and_pipeline) -> None:
    texts, pipeline = texts_and_pipeline
    warm, cold = FastLinearModel.from_sklearn(pipeline), FastLinearModel.from_sklearn(pipeline)
    for text in texts:
        warm.features(text)

    for text in texts[::5] + TRICKY:
        warm_columns, warm_values = warm.features(text)
        cold_columns, cold_values = cold.features(text)
        assert np.array_equal(warm_columns, cold_columns)
        assert np.array_equal(warm_values, cold_values)
        assert warm.explain_one(text, 7)[1] == cold.explain_one(text, 7)[1]


def test_word_cache_stays_bounded(texts_and_pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    _, pipeline = texts_and_pipeline
    model = FastLinearModel.from_sklearn(pipeline)
    monkeypatch.setattr(fast, "WORD_CACHE_SIZE", 50)

    model.features(" ".join(f"word{number}" for number in range(500)))

    assert all(len(v._word_columns) <= 50 for v in model.vectorizers)
