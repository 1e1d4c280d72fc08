"""The fast predictor: scikit-learn's numbers without scikit-learn, and its per-word cache.

The benchmark checks the same on the real tickets (max difference <= 1e-9 over 9,568 texts);
here: the project's own exported models, every supported setting, odd texts, storage.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from threadpoolctl import threadpool_limits

import textclf
from pipeline.calibration import apply_temperature
from pipeline.common import TASKS
from pipeline.train import build_pipeline
from textclf import fast
from textclf.fast import FastLinearModel, UnsupportedModelError
from textclf.store import load_estimator
from textclf.text import model_text

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


# -- equality with scikit-learn on the project's own exported models -------------------------

EDGE_CASES = [
    "",
    "   \t\n ",
    "!!! ??? ... --- ;;",
    "Écran cassé, réseau très lent: àéîõü ÀÉÎÕÜ ç",
    "ﬁle ǅungla İstanbul straße ½ ①",  # NFKD folds these into several characters
    "qwertyuiopasdf zxcvbnmlkjh unknownword anotherunseenword",
    "ticket 4711 room 12b, 3 screens, 99.5 %",
    " ".join(["printer broken laptop vpn access payroll"] * 1500),  # 9,000 words
]


@pytest.mark.parametrize("task", sorted(TASKS))
@pytest.mark.parametrize("version", [1, 2])
def test_exported_predictor_gives_scikit_learns_probabilities(models_root, task, version) -> None:
    name, data_path, _ = TASKS[task]
    estimator = load_estimator(name, version, root=models_root)
    predictor = textclf.load(name, version, root=models_root).predictor
    texts = pd.read_csv(ROOT / data_path, dtype=str, keep_default_na=False)["text"].tolist()
    texts += EDGE_CASES

    expected = estimator.predict_proba(texts)
    actual = predictor.predict_proba(texts)

    assert np.abs(actual - expected).max() < 1e-12
    assert predictor.classes == [str(c) for c in estimator.classes_]
    assert predictor.predict(texts) == list(estimator.predict(texts))


# -- every vectorizer setting the predictor claims to reproduce --------------------------------


def tfidf(**settings) -> TfidfVectorizer:
    return TfidfVectorizer(**settings)


VARIANTS = {
    "word 1": tfidf(),
    "word 1-3, raw tf, min_df 2": tfidf(ngram_range=(1, 3), min_df=2),
    "word 2-3 only": tfidf(ngram_range=(2, 3), sublinear_tf=True),
    "word, case kept, no accent folding": tfidf(lowercase=False, sublinear_tf=True),
    "word, accents folded, max_df 0.5": tfidf(strip_accents="unicode", max_df=0.5),
    "word, l1 norm": tfidf(ngram_range=(1, 2), norm="l1"),
    "word, no norm, no idf": tfidf(norm=None, use_idf=False),
    "word, numbers folded": tfidf(preprocessor=model_text, ngram_range=(1, 2)),
    "char 1-4": tfidf(analyzer="char", ngram_range=(1, 4), sublinear_tf=True),
    "char 3-3, case kept": tfidf(analyzer="char", ngram_range=(3, 3), lowercase=False),
    "char_wb 2-5": tfidf(analyzer="char_wb", ngram_range=(2, 5), strip_accents="unicode"),
    "char_wb 1-3, no norm": tfidf(analyzer="char_wb", ngram_range=(1, 3), norm=None),
    "union word + char_wb": FeatureUnion(
        [("w", tfidf(ngram_range=(1, 2))), ("c", tfidf(analyzer="char_wb", ngram_range=(2, 4)))]
    ),
    "union char + word, numbers folded": FeatureUnion(
        [
            ("c", tfidf(analyzer="char", ngram_range=(2, 3), preprocessor=model_text)),
            ("w", tfidf(preprocessor=model_text)),
        ]
    ),
}


@pytest.fixture(scope="module")
def small_corpus() -> tuple[list[str], list[str]]:
    frame = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str, keep_default_na=False)
    frame = frame.groupby("department").head(80)
    return frame["text"].tolist(), frame["department"].tolist()


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_each_vectorizer_variant_matches_scikit_learn(small_corpus, variant) -> None:
    texts, labels = small_corpus
    pipeline = Pipeline(
        [("features", clone(VARIANTS[variant])), ("model", LogisticRegression(C=5.0))]
    )
    with threadpool_limits(limits=1, user_api="blas"):
        pipeline.fit(texts, labels)
    sample = texts[::3] + EDGE_CASES

    model = FastLinearModel.from_sklearn(pipeline)

    assert np.abs(model.predict_proba(sample) - pipeline.predict_proba(sample)).max() < 1e-12


def test_project_pipeline_with_saga_and_temperature_matches_scikit_learn(small_corpus) -> None:
    texts, labels = small_corpus
    config = {
        "word_ngrams": [1, 2],
        "char_ngrams": [2, 4],
        "C": 10.0,
        "solver": "saga",
        "tol": 1e-3,
        "max_iter": 300,
        "random_state": 0,
        "class_weight": "balanced",
    }
    with threadpool_limits(limits=1, user_api="blas"):
        pipeline = apply_temperature(build_pipeline(config).fit(texts, labels), 0.7)
    sample = texts + EDGE_CASES

    model = FastLinearModel.from_sklearn(pipeline)

    assert np.abs(model.predict_proba(sample) - pipeline.predict_proba(sample)).max() < 1e-12


def test_project_pipeline_with_characters_across_words_matches_scikit_learn(
    small_corpus,
) -> None:
    """The intent model's shape: words, characters within and across words, numbers folded;
    the cross-word block keeps only the n-grams of at least `min_df_across_words` texts."""
    texts, labels = small_corpus
    config = {
        "word_ngrams": [1, 2],
        "char_ngrams": [1, 5],
        "char_ngrams_across_words": [3, 6],
        "min_df_across_words": 2,
        "fold_numbers": True,
        "C": 30.0,
        "class_weight": "balanced",
    }
    with threadpool_limits(limits=1, user_api="blas"):
        pipeline = build_pipeline(config).fit(texts, labels)
    spans = dict(pipeline.named_steps["features"].transformer_list)["spans"]
    sample = texts + EDGE_CASES

    model = FastLinearModel.from_sklearn(pipeline)

    assert (spans.analyzer, spans.min_df) == ("char", 2)
    assert all(count >= 2 for count in (spans.transform(texts) > 0).sum(axis=0).A1)
    assert np.abs(model.predict_proba(sample) - pipeline.predict_proba(sample)).max() < 1e-12


def test_block_weights_are_reproduced(small_corpus) -> None:
    """`block_weights` multiply a block's values in the union; the fast model folds them into
    its coefficients, and ignoring them would change the probabilities."""
    texts, labels = small_corpus
    config = {
        "word_ngrams": [1, 2],
        "char_ngrams": [2, 4],
        "block_weights": {"words": 2.0, "chars": 0.5},
        "C": 10.0,
        "class_weight": "balanced",
    }
    with threadpool_limits(limits=1, user_api="blas"):
        weighted = build_pipeline(config).fit(texts, labels)
        plain = build_pipeline({**config, "block_weights": None}).fit(texts, labels)
    sample = texts + EDGE_CASES

    model = FastLinearModel.from_sklearn(weighted)

    assert np.abs(model.predict_proba(sample) - weighted.predict_proba(sample)).max() < 1e-12
    assert np.abs(weighted.predict_proba(sample) - plain.predict_proba(sample)).max() > 1e-3


def test_one_text_and_a_batch_give_the_same_numbers(texts_and_pipeline) -> None:
    texts, pipeline = texts_and_pipeline
    model = FastLinearModel.from_sklearn(pipeline)
    sample = texts[:20] + TRICKY

    batch = model.predict_proba(sample)

    for text, row in zip(sample, batch, strict=True):
        assert np.array_equal(model.proba_one(text), row)
    assert np.allclose(batch.sum(axis=1), 1.0)


# -- storage and refusals ----------------------------------------------------------------------


def test_saved_and_loaded_predictor_is_the_same(texts_and_pipeline, tmp_path: Path) -> None:
    texts, pipeline = texts_and_pipeline
    model = FastLinearModel.from_sklearn(pipeline)
    sample = texts[::4] + TRICKY + EDGE_CASES

    model.save(tmp_path / "predictor.npz")
    loaded = FastLinearModel.load(tmp_path / "predictor.npz")

    assert np.array_equal(loaded.predict_proba(sample), model.predict_proba(sample))
    assert loaded.classes == model.classes
    assert loaded.feature_names() == model.feature_names()
    assert loaded.explain_one(sample[0], 5)[1] == model.explain_one(sample[0], 5)[1]


@pytest.mark.parametrize(
    "features",
    [
        TfidfVectorizer(binary=True),
        TfidfVectorizer(token_pattern=r"\w+"),
        TfidfVectorizer(stop_words="english"),
        TfidfVectorizer(preprocessor=str.upper),
        CountVectorizer(),
    ],
    ids=["binary", "token pattern", "stop words", "own preprocessor", "counts"],
)
def test_settings_it_cannot_reproduce_are_refused(small_corpus, features) -> None:
    texts, labels = small_corpus
    pipeline = Pipeline([("features", features), ("model", LogisticRegression())])
    with threadpool_limits(limits=1, user_api="blas"):
        pipeline.fit(texts, labels)

    with pytest.raises(UnsupportedModelError):
        FastLinearModel.from_sklearn(pipeline)


def test_a_two_class_model_is_refused(small_corpus) -> None:
    texts, labels = small_corpus
    binary = ["IT" if label == "IT" else "other" for label in labels]
    pipeline = Pipeline([("features", TfidfVectorizer()), ("model", LogisticRegression())])

    with pytest.raises(UnsupportedModelError):
        FastLinearModel.from_sklearn(pipeline.fit(texts, binary))


def test_the_intent_predictor_carries_the_sentence_block_params_ask_for(models_root, params):
    from textclf.fast import SentenceBlock

    predictor = textclf.load("chat-intent", 1, root=models_root).predictor
    blocks = [v for v in predictor.vectorizers if isinstance(v, SentenceBlock)]

    assert [b.layers for b in blocks] == [params["train"]["intent"]["sentence_encoder"]["layers"]]
    assert blocks[0].offset + 2 * 384 == predictor.coef_t.shape[0]  # the last block
    names = predictor.feature_names()
    assert names[blocks[0].offset] == "sentence:en:0" and names[-1] == "sentence:fr:383"
