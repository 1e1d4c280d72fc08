"""A NumPy re-implementation of TF-IDF + logistic regression prediction.

scikit-learn spends about half a millisecond on one text, almost all of it in
validation and sparse-matrix bookkeeping. `FastLinearModel` holds the same numbers
(vocabulary, idf, coefficients) and does the arithmetic directly, giving the same
labels and probabilities (to ~1e-15) without importing scikit-learn at serve time.

Supported pipelines: `TfidfVectorizer`, or a `FeatureUnion` of them, followed by a
multinomial `LogisticRegression`. The vectorizers may use the word analyzer with the
default token pattern, or the `char` / `char_wb` analyzers; any n-gram range,
lowercase, strip_accents='unicode' or None, sublinear_tf, use_idf, norm 'l2' or None.
The union may also hold the sentence encoder's block (pipeline.features.SentenceFeatures),
which `SentenceBlock` computes with textclf.encoder, as the transformer does.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from textclf.text import PREPROCESSORS, strip_accents

_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_WHITE_SPACES = re.compile(r"\s\s+")
_NO_COLUMNS = np.empty(0, dtype=np.intp)
WORD_CACHE_SIZE = 50_000  # words whose char_wb columns are kept (a few MB at most)


class UnsupportedModelError(ValueError):
    """The estimator is not a pipeline that FastLinearModel can reproduce exactly."""


@dataclass
class Vectorizer:
    """One TF-IDF block: how it tokenises and the numbers it weighs tokens with."""

    analyzer: str
    ngram_range: tuple[int, int]
    lowercase: bool
    strip_accents: bool
    sublinear_tf: bool
    norm: str | None
    vocabulary: dict[str, int]
    idf: np.ndarray | None
    offset: int
    preprocessor: str | None = None  # a key of textclf.text.PREPROCESSORS
    # char_wb n-grams never cross a word's edges: a word's columns are looked up once.
    _word_columns: dict[str, tuple[int, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def _prepared(self, text: str) -> str:
        if self.preprocessor:  # replaces lowercase/strip_accents, as in scikit-learn
            return PREPROCESSORS[self.preprocessor](text)
        if self.lowercase:
            text = text.lower()
        if self.strip_accents:
            text = strip_accents(text)
        return text

    def terms(self, text: str) -> list[str]:
        text = self._prepared(text)
        low, high = self.ngram_range
        if self.analyzer == "word":
            return _word_ngrams(_TOKEN.findall(text), low, high)
        if self.analyzer == "char_wb":
            return _char_wb_ngrams(text, low, high)
        return _char_ngrams(text, low, high)

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices (in the whole model) and TF-IDF values of one text."""
        counts = self._counts(text)
        if not counts:
            return _NO_COLUMNS, np.empty(0)
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        if self.sublinear_tf:
            np.log(values, out=values)
            values += 1.0
        if self.idf is not None:
            values *= self.idf.take(columns)
        if self.norm == "l2":
            values /= math.sqrt(values.dot(values))
        elif self.norm == "l1":
            values /= float(np.abs(values).sum())
        if self.offset:
            columns += self.offset
        return columns, values

    def _counts(self, text: str) -> dict[int, int]:
        """Occurrences of each known term's column, in the order terms first appear."""
        if self.analyzer != "char_wb":
            counts: dict[int, int] = {}
            get, count = self.vocabulary.get, counts.get
            for column in map(get, self.terms(text)):
                if column is not None:
                    counts[column] = count(column, 0) + 1
            return counts
        words = _WHITE_SPACES.sub(" ", self._prepared(text)).split()
        return Counter(chain.from_iterable(map(self._columns_of_word, words)))

    def _columns_of_word(self, word: str) -> tuple[int, ...]:
        columns = self._word_columns.get(word)
        if columns is None:
            if len(self._word_columns) >= WORD_CACHE_SIZE:
                self._word_columns.clear()
            grams = _char_wb_ngrams(word, *self.ngram_range)
            columns = tuple(c for c in map(self.vocabulary.get, grams) if c is not None)
            self._word_columns[word] = columns
        return columns


def _word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    if high == 1:
        return tokens
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), high + 1):  # each window of n tokens, joined by one space
        out.extend(map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False)))
    return out


def _char_ngrams(text: str, low: int, high: int) -> list[str]:
    text = _WHITE_SPACES.sub(" ", text)
    size = len(text)
    return [text[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]


def _char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", text).split():
        word = f" {word} "
        size = len(word)
        for n in range(low, high + 1):
            out.append(word[0:n])
            offset = 0
            while offset + n < size:
                offset += 1
                out.append(word[offset : offset + n])
            if offset == 0:  # the word is shorter than n: counted once
                break
    return out


class SentenceBlock:
    """The sentence encoder's block (pipeline.features.SentenceFeatures): the same function,
    textclf.encoder.sentence_features, on the encoder whose weights it was fitted with."""

    analyzer = "sentence-encoder"

    def __init__(self, layers: int, sha256: str, offset: int, feed_forward: bool = True) -> None:
        from textclf import encoder  # NumPy only; its 90 MB of weights load here, once

        self.layers, self.sha256, self.offset = layers, sha256, offset
        self.feed_forward = feed_forward
        encoder.check_weights(sha256)
        self._encoder = encoder.shared(layers, feed_forward)
        self._features = encoder.sentence_features
        self.vocabulary = {name: n for n, name in enumerate(encoder.sentence_feature_names())}

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        row = self._features(self._encoder, [text])[0].astype(np.float64)
        columns = np.flatnonzero(row)
        return columns + self.offset, row[columns]


class FastLinearModel:
    """Predicts like the scikit-learn pipeline it was built from, in microseconds (a
    millisecond or two more with a sentence block)."""

    def __init__(
        self,
        vectorizers: list[Vectorizer | SentenceBlock],
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
    ) -> None:
        self.vectorizers = vectorizers
        self.coef_t = np.ascontiguousarray(coef.T, dtype=np.float64)  # (features, classes)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.classes = list(classes)
        self._names: list[str] | None = None

    # -- prediction -------------------------------------------------------------------
    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        parts = [vectorizer.features(text) for vectorizer in self.vectorizers]
        if len(parts) == 1:
            return parts[0]
        return np.concatenate([c for c, _ in parts]), np.concatenate([v for _, v in parts])

    def scores(self, text: str) -> np.ndarray:
        columns, values = self.features(text)
        if not len(columns):
            return self.intercept.copy()
        scores = values @ self.coef_t.take(columns, axis=0)
        scores += self.intercept
        return scores

    def proba_one(self, text: str) -> np.ndarray:
        scores = self.scores(text)  # a fresh array: softmax in place
        scores -= scores.max()
        np.exp(scores, out=scores)
        scores /= scores.sum()
        return scores

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        return np.array([self.proba_one(t) for t in texts]).reshape(-1, len(self.classes))

    def predict(self, texts: Iterable[str]) -> list[str]:
        return [self.classes[int(np.argmax(p))] for p in self.predict_proba(texts)]

    def top_terms(self, text: str, label: str, k: int = 5) -> list[tuple[str, float]]:
        """The k terms that pushed `text` most towards `label`, with their weights."""
        columns, values = self.features(text)
        return self._top(columns, values, self.classes.index(label), k)

    def explain_one(self, text: str, k: int = 5) -> tuple[np.ndarray, list[tuple[str, float]]]:
        """Probabilities and the top terms of the most likely class, from one feature pass."""
        columns, values = self.features(text)
        if not len(columns):
            exp = np.exp(self.intercept - self.intercept.max())
            return exp / exp.sum(), []
        rows = self.coef_t[columns]  # fetched once for the scores and the terms
        scores = values @ rows + self.intercept
        exp = np.exp(scores - scores.max())
        proba = exp / exp.sum()
        return proba, self._named(columns, values * rows[:, int(np.argmax(proba))], k)

    def _top(
        self, columns: np.ndarray, values: np.ndarray, label: int, k: int
    ) -> list[tuple[str, float]]:
        if not len(columns):
            return []
        return self._named(columns, values * self.coef_t[columns, label], k)

    def _named(
        self, columns: np.ndarray, contributions: np.ndarray, k: int
    ) -> list[tuple[str, float]]:
        order = np.argsort(-contributions)[:k]
        names = self.feature_names()
        return [
            (names[columns[i]], round(float(contributions[i]), 4))
            for i in order
            if contributions[i] > 0
        ]

    def feature_names(self) -> list[str]:
        if self._names is None:
            names = [""] * self.coef_t.shape[0]
            for vectorizer in self.vectorizers:
                for term, column in vectorizer.vocabulary.items():
                    names[column + vectorizer.offset] = term
            self._names = names
        return self._names

    # -- conversion and storage ---------------------------------------------------------
    @classmethod
    def from_sklearn(cls, pipeline: Any) -> FastLinearModel:
        """Copy the numbers out of a fitted Pipeline(TF-IDF or FeatureUnion, LogisticRegression)."""
        steps = getattr(pipeline, "steps", None)
        if not steps or len(steps) != 2:
            raise UnsupportedModelError("expected a Pipeline of two steps: features, classifier")
        features, classifier = steps[0][1], steps[1][1]
        named = getattr(features, "transformer_list", None) or [("", features)]
        weights = getattr(features, "transformer_weights", None) or {}
        vectorizers: list[Vectorizer | SentenceBlock] = []
        columns: list[tuple[int, int, float]] = []  # each block's columns and weight
        offset = 0
        for name, block in named:
            start = offset
            if type(block).__name__ == "SentenceFeatures":
                sentences = SentenceBlock(block.layers, block.sha256_, offset, block.feed_forward)
                vectorizers.append(sentences)
                offset += block.n_features_out_
            else:
                vectorizers.append(_vectorizer_from_sklearn(block, offset))
                offset += len(block.vocabulary_)
            columns.append((start, offset, weights.get(name, 1.0)))
        coef = np.array(classifier.coef_, dtype=np.float64)
        if coef.shape[0] == 1 or coef.shape[1] != offset:
            raise UnsupportedModelError("expected a multinomial model over all the TF-IDF features")
        for start, end, weight in columns:
            # the union multiplies a block's values by its weight: the same as its coefficients
            coef[:, start:end] *= weight
        return cls(vectorizers, coef, classifier.intercept_, [str(c) for c in classifier.classes_])

    def save(self, path: Path) -> None:
        """Write one .npz file (no pickled objects inside)."""
        arrays: dict[str, np.ndarray] = {
            "coef_t": self.coef_t,
            "intercept": self.intercept,
            "classes": np.array(self.classes, dtype=np.str_),
        }
        config: list[dict[str, Any]] = []
        for i, v in enumerate(self.vectorizers):
            if isinstance(v, SentenceBlock):
                config.append(
                    {
                        "analyzer": v.analyzer,
                        "layers": v.layers,
                        "feed_forward": v.feed_forward,
                        "sha256": v.sha256,
                        "offset": v.offset,
                    }
                )
                continue
            terms = sorted(v.vocabulary, key=v.vocabulary.__getitem__)
            arrays[f"terms_{i}"] = np.array(terms, dtype=np.str_)
            if v.idf is not None:
                arrays[f"idf_{i}"] = v.idf
            config.append(
                {
                    "analyzer": v.analyzer,
                    "ngram_range": list(v.ngram_range),
                    "lowercase": v.lowercase,
                    "strip_accents": v.strip_accents,
                    "sublinear_tf": v.sublinear_tf,
                    "norm": v.norm,
                    "offset": v.offset,
                    "use_idf": v.idf is not None,
                    "preprocessor": v.preprocessor,
                }
            )
        arrays["config"] = np.array(json.dumps(config))
        with open(path, "wb") as handle:
            np.savez(handle, **arrays)

    @classmethod
    def load(cls, path: Path) -> FastLinearModel:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(str(data["config"]))
            vectorizers: list[Vectorizer | SentenceBlock] = []
            for i, c in enumerate(config):
                if c["analyzer"] == SentenceBlock.analyzer:
                    block = SentenceBlock(c["layers"], c["sha256"], c["offset"], c["feed_forward"])
                    vectorizers.append(block)
                    continue
                terms = data[f"terms_{i}"].tolist()
                vectorizers.append(
                    Vectorizer(
                        analyzer=c["analyzer"],
                        ngram_range=tuple(c["ngram_range"]),
                        lowercase=c["lowercase"],
                        strip_accents=c["strip_accents"],
                        sublinear_tf=c["sublinear_tf"],
                        norm=c["norm"],
                        offset=c["offset"],
                        vocabulary=dict(zip(terms, range(len(terms)), strict=True)),
                        idf=data[f"idf_{i}"] if c["use_idf"] else None,
                        preprocessor=c.get("preprocessor"),
                    )
                )
            return cls(vectorizers, data["coef_t"].T, data["intercept"], data["classes"].tolist())


def _vectorizer_from_sklearn(vectorizer: Any, offset: int) -> Vectorizer:
    name = type(vectorizer).__name__
    if name != "TfidfVectorizer":
        raise UnsupportedModelError(f"{name} is not supported, only TfidfVectorizer")
    default_pattern = vectorizer.token_pattern == r"(?u)\b\w\w+\b"
    preprocessor = _preprocessor_name(vectorizer.preprocessor)
    checks = {
        "analyzer": vectorizer.analyzer in ("word", "char", "char_wb"),
        "token_pattern": vectorizer.analyzer != "word" or default_pattern,
        "tokenizer": vectorizer.tokenizer is None,
        "preprocessor": vectorizer.preprocessor is None or preprocessor is not None,
        "stop_words": vectorizer.stop_words is None,
        "strip_accents": vectorizer.strip_accents in (None, "unicode"),
        "norm": vectorizer.norm in (None, "l1", "l2"),
        "binary": not vectorizer.binary,
    }
    failed = [k for k, ok in checks.items() if not ok]
    if failed:
        raise UnsupportedModelError(f"TfidfVectorizer settings not supported: {', '.join(failed)}")
    return Vectorizer(
        analyzer=vectorizer.analyzer,
        ngram_range=tuple(vectorizer.ngram_range),
        lowercase=bool(vectorizer.lowercase),
        strip_accents=vectorizer.strip_accents == "unicode",
        sublinear_tf=bool(vectorizer.sublinear_tf),
        norm=vectorizer.norm,
        vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=np.asarray(vectorizer.idf_, dtype=np.float64) if vectorizer.use_idf else None,
        offset=offset,
        preprocessor=preprocessor,
    )


def _preprocessor_name(function: Any) -> str | None:
    """The PREPROCESSORS key of `function`, or None when it is not one of them."""
    if function is None:
        return None
    name = f"{getattr(function, '__module__', '')}.{getattr(function, '__qualname__', '')}"
    return name if PREPROCESSORS.get(name) is function else None
