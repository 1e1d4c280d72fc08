"""Other routers of the same family (sparse n-grams + linear models), scored like the grid.

`python -m bench.tune` runs these after its grid, with the same folds of the `train` split
(the test split is never read), and reports them in a section of its own. Each alternative
gives every held-out ticket one score per class (log-probabilities or decision values); the
derived ones (per-class bias offsets, averages of several models) are computed from those
out-of-fold scores, and anything they tune is tuned on the other folds only.
Settings: `alternatives` in bench/params-it-tickets.yaml.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from pipeline.metrics import accuracy_at_coverage
from pipeline.train import build_pipeline

Scores = dict[str, tuple[np.ndarray, float]]  # name -> (held-out scores, fit seconds)


def timed(fit: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    scores = fit()
    return scores, time.perf_counter() - started


def word_matrices(config: dict, texts_a: list, texts_b: list, **change) -> tuple:
    """The project's word TF-IDF (pipeline.train.build_pipeline), with `change` applied."""
    vectorizer = build_pipeline(config).steps[0][1].set_params(**change)
    return vectorizer.fit_transform(texts_a), vectorizer.transform(texts_b)


def project_lr(config: dict) -> LogisticRegression:
    return build_pipeline(config).steps[-1][1]


def nb_lr(xa: sp.csr_matrix, ya: np.ndarray, xb: sp.csr_matrix, c: float, alpha: float):
    """One-vs-rest logistic regressions over features scaled by NB log-count ratios.

    The scaling folds into each class's weights, so the result is still one linear model
    over the TF-IDF features (Wang & Manning 2012, NBSVM).
    """
    scores = np.zeros((xb.shape[0], ya.max() + 1))
    for k in range(ya.max() + 1):
        mine = ya == k
        p = alpha + np.asarray(xa[mine].sum(axis=0)).ravel()
        q = alpha + np.asarray(xa[~mine].sum(axis=0)).ravel()
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced")
        model.fit(xa.multiply(ratio).tocsr(), mine)
        scores[:, k] = xb @ (model.coef_.ravel() * ratio) + model.intercept_[0]
    return scores


def cleaned_lr(config: dict, xa, ya: np.ndarray, xb, settings: dict, seed: int) -> np.ndarray:
    """Drop the training rows whose own label gets a low out-of-fold probability, refit."""
    own = np.zeros(len(ya))
    inner = StratifiedKFold(settings["inner_folds"], shuffle=True, random_state=seed)
    for a, b in inner.split(xa, ya):
        proba = project_lr(config).fit(xa[a], ya[a]).predict_proba(xa[b])
        own[b] = proba[np.arange(len(b)), ya[b]]
    keep = own >= settings["min_own_proba"]
    return project_lr(config).fit(xa[keep], ya[keep]).predict_log_proba(xb)


def fold_scores(texts, y, rows_a, rows_b, config: dict, alt: dict, seed: int) -> Scores:
    """Every base alternative's scores on one held-out fold."""
    ta, tb, ya = texts[rows_a].tolist(), texts[rows_b].tolist(), y[rows_a]
    xa, xb = word_matrices(config, ta, tb)
    svm, sgd_log, huber, nb, chars = (
        alt[k] for k in ("linear_svm", "sgd_log", "sgd_modified_huber", "nb_lr", "char_wb")
    )
    out: Scores = {
        "project": timed(lambda: project_lr(config).fit(xa, ya).predict_log_proba(xb)),
        "linear_svm": timed(lambda: svm_scores(xa, ya, xb, svm["C"])),
        "sgd_log": timed(lambda: sgd_scores(xa, ya, xb, "log_loss", sgd_log, seed)),
        "sgd_modified_huber": timed(lambda: sgd_scores(xa, ya, xb, "modified_huber", huber, seed)),
        "nb_lr": timed(lambda: nb_lr(xa, ya, xb, nb["C"], nb["alpha"])),
        "cleaned": timed(lambda: cleaned_lr(config, xa, ya, xb, alt["cleaning"], seed)),
    }
    out["binary_tf"] = variant(config, ta, ya, tb, binary=True, sublinear_tf=False)
    out["one_char_tokens"] = variant(config, ta, ya, tb, token_pattern=r"(?u)\b\w+\b")
    out["chi2"] = timed(lambda: chi2_scores(config, ta, ya, tb, alt["chi2"]))
    ca, cb = char_matrices(ta, tb, chars)
    out["char_wb"] = timed(lambda: svm_scores(ca, ya, cb, chars["C"]))
    return out


def svm_scores(xa, ya, xb, c: float) -> np.ndarray:
    return LinearSVC(C=c, class_weight="balanced").fit(xa, ya).decision_function(xb)


def sgd_scores(xa, ya, xb, loss: str, settings: dict, seed: int) -> np.ndarray:
    model = SGDClassifier(
        loss=loss,
        alpha=settings["alpha"],
        class_weight="balanced",
        average=settings.get("average", False),
        max_iter=settings["epochs"],
        tol=None,
        random_state=seed,
    )
    return model.fit(xa, ya).decision_function(xb)


def variant(config: dict, ta: list, ya: np.ndarray, tb: list, **change) -> tuple:
    """The project's LR over word features with one TfidfVectorizer setting changed."""
    xa, xb = word_matrices(config, ta, tb, **change)
    return timed(lambda: project_lr(config).fit(xa, ya).predict_log_proba(xb))


def chi2_scores(config: dict, ta: list, ya: np.ndarray, tb: list, settings: dict) -> np.ndarray:
    xa, xb = word_matrices(config, ta, tb, ngram_range=tuple(settings["word_ngrams"]))
    keep = SelectKBest(chi2, k=settings["k"]).fit(xa, ya)
    return project_lr(config).fit(keep.transform(xa), ya).predict_log_proba(keep.transform(xb))


def char_matrices(ta: list, tb: list, settings: dict) -> tuple:
    vectorizer = TfidfVectorizer(
        analyzer="char_wb",
        ngram_range=tuple(settings["ngrams"]),
        min_df=settings["min_df"],
        sublinear_tf=True,
        strip_accents="unicode",
        dtype=np.float64,
    )
    return vectorizer.fit_transform(ta), vectorizer.transform(tb)


def out_of_fold(texts, y, splits, config: dict, alt: dict, seed: int, n_jobs: int = 2):
    """Pooled out-of-fold scores of every base alternative, and its mean fit seconds."""
    runs = Parallel(n_jobs=n_jobs)(
        delayed(fold_scores)(texts, y, a, b, config, alt, seed) for a, b in splits
    )
    n_classes = int(y.max()) + 1
    pooled = {name: np.zeros((len(y), n_classes)) for name in runs[0]}
    for (_, b), run in zip(splits, runs, strict=True):
        for name, (scores, _) in run.items():
            pooled[name][b] = scores
    seconds = {name: float(np.mean([run[name][1] for run in runs])) for name in pooled}
    return pooled, seconds


def common_scale(scores: np.ndarray) -> np.ndarray:
    """Scores divided by their median gap between the two best classes (for averaging)."""
    top = np.sort(scores, axis=1)
    return scores / np.median(top[:, -1] - top[:, -2])


def average(pooled: dict[str, np.ndarray], members: list[str]) -> np.ndarray:
    """An equal-weight average of scores: one linear model over the members' features."""
    return sum(common_scale(pooled[name]) for name in members) / len(members)


def with_bias(scores: np.ndarray, y: np.ndarray, splits, grid: np.ndarray) -> np.ndarray:
    """Per-class offsets maximising macro-F1, each fold's chosen on the other folds."""
    out = scores.copy()
    for _, held in splits:
        other = np.setdiff1d(np.arange(len(y)), held)
        out[held] += tune_bias(scores[other], y[other], grid)
    return out


def tune_bias(scores: np.ndarray, y: np.ndarray, grid: np.ndarray, rounds: int = 2):
    """Coordinate ascent over one offset per class."""
    bias = np.zeros(scores.shape[1])
    for _ in range(rounds):
        for k in range(len(bias)):
            trials = [np.where(np.arange(len(bias)) == k, g, bias) for g in grid]
            f1 = [f1_score(y, (scores + t).argmax(axis=1), average="macro") for t in trials]
            bias = trials[int(np.argmax(f1))]
    return bias


def figures(scores: np.ndarray, y: np.ndarray, splits) -> dict:
    """Macro-F1 per fold (mean, standard error), accuracy, accuracy at 80 % coverage
    ranked by the softmax's top probability and by the gap between the two best scores."""
    predicted = scores.argmax(axis=1)
    correct = predicted == y
    fold_f1 = [float(f1_score(y[b], predicted[b], average="macro")) for _, b in splits]
    top = np.sort(scores, axis=1)
    shifted = np.exp(scores - top[:, -1:])
    return {
        "macro_f1": float(np.mean(fold_f1)),
        "macro_f1_sem": float(np.std(fold_f1, ddof=1) / np.sqrt(len(fold_f1))),
        "accuracy": float(correct.mean()),
        "acc_at_80": accuracy_at_coverage(1.0 / shifted.sum(axis=1), correct, 0.8),
        "acc_at_80_margin": accuracy_at_coverage(top[:, -1] - top[:, -2], correct, 0.8),
    }


DESCRIPTIONS = {  # row name -> what it is
    "project": "the chosen grid configuration (words 1-2, LR, balanced)",
    "linear_svm": "LinearSVC, balanced, on the same features",
    "sgd_log": "SGDClassifier log-loss, averaged, balanced",
    "sgd_modified_huber": "SGDClassifier modified Huber, balanced",
    "nb_lr": "NB-LR: one-vs-rest LR over NB log-count-ratio-scaled TF-IDF",
    "cleaned": "LR refitted without training rows whose own label gets a low inner-CV probability",
    "binary_tf": "LR over binary term presence (x idf, l2)",
    "one_char_tokens": "LR, token pattern keeping 1-character tokens",
    "chi2": "LR over the chi2-best word 1-3 grams",
    "char_wb": "LinearSVC over char_wb n-grams alone",
    "project + bias": "the project's LR + per-class offsets tuned for macro-F1",
}


def evaluate(texts: np.ndarray, labels: np.ndarray, config: dict, alt: dict, folds: int, seed: int):
    """One row per alternative: its figures on the pooled out-of-fold scores."""
    classes = sorted(set(labels))
    y = np.searchsorted(np.array(classes), labels)
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y))
    pooled, seconds = out_of_fold(texts, y, splits, config, alt, seed)
    grid = np.linspace(*alt["bias_grid"][:2], int(alt["bias_grid"][2]))
    pooled["project + bias"] = with_bias(pooled["project"], y, splits, grid)
    seconds["project + bias"] = seconds["project"]
    rows = [
        {"name": name, "what": DESCRIPTIONS[name], "fold_seconds": seconds[name]} for name in pooled
    ]
    for name, members in alt["ensembles"].items():
        pooled[name] = average(pooled, members)
        what = "equal-weight average of " + ", ".join(members) + " (scores on a common scale)"
        rows.append({"name": name, "what": what, "fold_seconds": sum(seconds[m] for m in members)})
    for row in rows:
        row.update(figures(pooled[row["name"]], y, splits))
    return rows
