"""`make bench-encoders`: would a sentence encoder lift the intent model, and at what cost per line?

Issue #3 asks for intent accuracy >= 0.95 in each language; issue #5 asks `triage-chat parse`
to answer a line in under 5 ms. This benchmark measures the trade-off between the two, for
six feature sets, each followed by the project's logistic regression (params.yaml's
train.intent settings):

- `tf-idf`: the TF-IDF blocks alone (the intent model until December 2026);
- `tf-idf + piece vectors`: plus the mean of static word-piece vectors (each of the encoder's
  30,522 word pieces run through it alone, once), a table lookup per line;
- `tf-idf + encoder, first attention`: plus the mean of the first of all-MiniLM-L6-v2's six
  layers up to its attention (textclf.encoder), as the shipped intent model has it
  (params.yaml);
- `tf-idf + encoder, first layer` and `two layers`: the same after one or two whole layers;
- `tf-idf + sentence encoder`: plus the whole model's sentence embedding (six layers).

The embeddings go in as two blocks, one for lines the language detector calls English and one
for French (the encoder was trained on English; one shared block cost French 0.4 points in
cross-validation). Reported: 5-fold cross-validated accuracy on the train split (the model
alone, by language), the whole understanding (model and rules, as `parse` answers) on the
held-out split, and the milliseconds each feature set adds to one line.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

import textclf
from bench import results
from bench.labelled import ROOT, held_out
from chatbot.nlu import Understanding
from pipeline.common import PipelineError, load_params, stage
from pipeline.train import _out_of_fold, build_pipeline, long_tickets
from textclf.encoder import EncoderError, SentenceEncoder, language_halves, weights_sha256

KINDS = (
    "tf-idf",
    "tf-idf + piece vectors",
    "tf-idf + encoder, first attention",
    "tf-idf + encoder, first layer",
    "tf-idf + encoder, two layers",
    "tf-idf + sentence encoder",
)
WHOLE = KINDS[5]
# The encoder each kind runs: (layers kept, None for all; whether the last one's feed-forward runs)
DEPTHS = {KINDS[2]: (1, False), KINDS[3]: (1, True), KINDS[4]: (2, True), WHOLE: (None, True)}
TABLES = ROOT / "build" / "encoder"
TIMED_LINES = 300
Embed = Callable[[list[str]], np.ndarray]


def piece_table(encoder: SentenceEncoder, sha: str) -> np.ndarray:
    """Each word piece's embedding when it is the whole sentence ([CLS] piece [SEP]); built
    once (a few minutes) and kept in build/encoder, named by the weights (`sha`) it came from."""
    path = TABLES / f"piece-vectors-{sha[:16]}.npy"
    if path.exists():
        return np.load(path)
    size = len(encoder.tokenizer.vocab)
    first, last = encoder.tokenizer.first, encoder.tokenizer.last
    table = np.zeros((size, encoder.dimensions), dtype=np.float32)
    for start in range(0, size, 1024):
        ids = range(start, min(size, start + 1024))
        table[start : start + len(ids)] = encoder.forward([[first, i, last] for i in ids])
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, table)
    return table


def embedders(
    encoders: dict[str, SentenceEncoder], table: np.ndarray | None
) -> dict[str, Embed | None]:
    """Each kind's embedding function; `encoders` holds one encoder per depth kind run."""
    tokenizer = next(iter(encoders.values())).tokenizer if encoders else None

    def pieces(texts: list[str]) -> np.ndarray:
        out = np.empty((len(texts), table.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            vector = table[tokenizer.ids(text)[1:-1] or [tokenizer.unknown]]
            vector = vector.mean(axis=0)
            out[row] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return out

    embeds: dict[str, Embed | None] = {KINDS[0]: None, KINDS[1]: pieces}
    embeds.update({kind: encoder.encode for kind, encoder in encoders.items()})
    return embeds


def encoders_for(kinds: list[str]) -> dict[str, SentenceEncoder]:
    """An encoder for each depth kind in `kinds` (the whole one also for the piece table)."""
    needed = {kind: DEPTHS[kind] for kind in kinds if kind in DEPTHS}
    if KINDS[1] in kinds:
        needed.setdefault(WHOLE, DEPTHS[WHOLE])
    return {kind: SentenceEncoder(layers=n, feed_forward=ff) for kind, (n, ff) in needed.items()}


class Model:
    """The project's TF-IDF blocks (not its sentence block), the embedding blocks when `embed`
    is set, then LR."""

    def __init__(self, config: dict, embed: Embed | None) -> None:
        self.config, self.embed = config, embed
        tf_idf = {**config, "sentence_encoder": None}  # each kind adds its own embedding
        self.features = build_pipeline(tf_idf).named_steps["features"]

    def _matrix(self, texts: list[str], fit: bool = False) -> sp.csr_matrix:
        words = self.features.fit_transform(texts) if fit else self.features.transform(texts)
        if self.embed is None:
            return words.tocsr()
        halves = sp.csr_matrix(language_halves(texts, self.embed(texts)))
        return sp.hstack([words, halves]).tocsr()

    def fit(self, texts: list[str], labels: np.ndarray) -> Model:
        self.classifier = LogisticRegression(
            C=self.config["C"],
            class_weight=self.config.get("class_weight"),
            max_iter=self.config.get("max_iter", 1000),
        ).fit(self._matrix(texts, fit=True), labels)
        self.classes = [str(c) for c in self.classifier.classes_]
        return self

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return self.classifier.predict_proba(self._matrix(texts))

    def predict(self, texts: list[str]) -> np.ndarray:
        return self.classifier.classes_[self.predict_proba(texts).argmax(axis=1)]

    def proba_one(self, text: str) -> np.ndarray:  # what Understanding asks of a predictor
        return self.predict_proba([text])[0]


def accuracy(correct: np.ndarray, languages: np.ndarray) -> dict:
    report = {"overall": round(float(correct.mean()), 4)}
    for language in sorted(set(languages)):
        report[language] = round(float(correct[languages == language].mean()), 4)
    return report


def cross_validated(
    config: dict,
    embed: Embed | None,
    train: pd.DataFrame,
    extra: tuple[list[str], list[str]],
    seed: int,
    folds: int,
) -> dict:
    """The training stage's out-of-fold loop (the same folds), with this benchmark's model."""
    texts, labels = train["text"].tolist(), train["intent"].to_numpy()
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    proba = _out_of_fold(config, texts, labels, cv, extra, build=lambda: Model(config, embed))
    predicted = np.unique(labels)[proba.argmax(axis=1)]
    return accuracy(predicted == labels, train["language"].to_numpy())


def whole_held_out(model: Model, shipped: Understanding, test: pd.DataFrame) -> dict:
    nlu = Understanding(replace(shipped.model, predictor=model), shipped.threshold)
    correct = np.array(
        [nlu.parse(t).intent == g for t, g in zip(test["text"], test["intent"], strict=True)]
    )
    return accuracy(correct, test["language"].to_numpy())


def line_cost(embed: Embed | None, texts: list[str]) -> dict:
    """Milliseconds the embedding adds to one line (each line new to the encoder)."""
    if embed is None:
        return {"p50_ms": 0.0, "p99_ms": 0.0}
    timings = []
    for text in texts:
        started = time.perf_counter()
        embed([text])
        timings.append((time.perf_counter() - started) * 1000)
    p50, p99 = np.percentile(timings, [50, 99])
    return {"p50_ms": round(float(p50), 2), "p99_ms": round(float(p99), 2)}


def markdown(report: dict) -> str:
    lines = [
        "## Intent features: TF-IDF alone or with a sentence encoder (`make bench-encoders`)",
        "",
        f"Encoder: all-MiniLM-L6-v2 (weights sha256 {report['encoder_sha256'][:12]}…). "
        "CV: 5-fold on the train split, the model alone. Held-out: model and rules, as "
        "`parse` answers. Cost: added to one line (the target for a whole line is 5 ms).",
        "",
        "| features | CV en | CV fr | held-out en | held-out fr | held-out | ms p50 | ms p99 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in report["kinds"].items():
        cv, whole, cost = row["cv"], row["held_out"], row["cost"]
        lines.append(
            f"| {kind} | {cv['en']:.4f} | {cv['fr']:.4f} | {whole['en']:.4f} | {whole['fr']:.4f} "
            f"| {whole['overall']:.4f} | {cost['p50_ms']:.2f} | {cost['p99_ms']:.2f} |"
        )
    return "\n".join(lines)


@stage("bench-encoders")
def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.encoders", description=__doc__.split("\n")[0])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    args = parser.parse_args()
    started, load_before = time.time(), os.getloadavg()
    params = load_params(ROOT / "params.yaml")
    config, seed = params["train"]["intent"], params["train"]["seed"]
    prepared = ROOT / "build" / "prepared"
    try:
        train = pd.read_csv(prepared / "intent" / "train.csv", dtype=str, keep_default_na=False)
        extra = long_tickets(config["long_tickets"])  # as `dvc repro` trains the intent model
        shipped = Understanding.load()
        encoders = encoders_for(args.kinds)
    except (OSError, textclf.ModelLoadError, EncoderError) as exc:
        raise PipelineError(
            f"{exc}; `make models` prepares the data and trains the models"
        ) from None
    sha = weights_sha256()
    table = piece_table(encoders[WHOLE], sha) if KINDS[1] in args.kinds else None
    test = held_out("intent").rows
    test_texts = test["text"].tolist()
    report: dict = {"encoder_sha256": sha, "kinds": {}}
    with threadpool_limits(limits=1, user_api="blas"):
        for kind in args.kinds:  # every text encoded once, in batches; the folds reuse them
            if kind in encoders:
                encoders[kind].encode(train["text"].tolist() + extra[0] + test_texts)
        embeds = embedders(encoders, table)
        labels = np.concatenate([train["intent"].to_numpy(), extra[1]])
        for kind in args.kinds:
            embed, clock = embeds[kind], time.perf_counter()
            folds = params["train"]["cv_folds"]
            row = {"cv": cross_validated(config, embed, train, extra, seed, folds)}
            model = Model(config, embed).fit(train["text"].tolist() + extra[0], labels)
            row["held_out"] = whole_held_out(model, shipped, test)
            print(f"bench-encoders: {kind}: {row} ({time.perf_counter() - clock:.0f} s)")
            report["kinds"][kind] = row
    fresh = embedders(encoders_for(args.kinds), table)  # empty caches: every timed line is new
    for kind in args.kinds:
        report["kinds"][kind]["cost"] = line_cost(fresh[kind], test_texts[:TIMED_LINES])
    report["run"] = results.provenance(started, load_before)
    text = markdown(report) + "\n\n" + results.provenance_line(report["run"])
    results.update("encoders", report, text)
    print(text)


if __name__ == "__main__":
    raise SystemExit(main())
