"""Rows that train the intent model without being scored: long department tickets."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from pipeline import train
from pipeline.train import fit_task, long_tickets

ROOT = Path(__file__).resolve().parents[2]
CONFIG = {"word_ngrams": [1, 2], "char_ngrams": None, "C": 10.0, "class_weight": "balanced"}


@pytest.fixture(scope="module")
def intents() -> pd.DataFrame:
    frame = pd.read_csv(ROOT / "data" / "intents.csv", dtype=str, keep_default_na=False)
    return frame.groupby("intent").head(40).reset_index(drop=True)


@pytest.fixture(autouse=True)
def one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def test_extra_rows_train_every_fit_but_are_never_scored(
    intents: pd.DataFrame, monkeypatch
) -> None:
    scored = []
    choose = train.choose_threshold
    monkeypatch.setattr(
        train, "choose_threshold", lambda p, c, t: scored.append(len(c)) or choose(p, c, t)
    )
    extra = (["zorglub quantum flux capacitor is leaking"] * 5, ["goodbye"] * 5)
    model, info = fit_task(intents, "intent", CONFIG, 0.9, folds=3, seed=0, extra=extra)
    plain, _ = fit_task(intents, "intent", CONFIG, 0.9, folds=3, seed=0)

    assert model.predict(["zorglub quantum flux capacitor"])[0] == "goodbye"
    assert plain.predict(["zorglub quantum flux capacitor"])[0] != "goodbye"
    assert scored == [len(intents), len(intents)]  # out-of-fold scores on the own rows only
    assert 0 < info["coverage"] <= 1


def test_long_tickets_are_the_train_splits_long_ones(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / train.PREPARED / "department"
    folder.mkdir(parents=True)
    pd.DataFrame(
        {
            "text": ["printer jams", " ".join(["word"] * 20), " ".join(["mot"] * 25)],
            "department": ["IT", "HR", "Legal"],
            "language": ["en", "en", "fr"],
        }
    ).to_csv(folder / "train.csv", index=False)
    monkeypatch.chdir(tmp_path)

    texts, labels = long_tickets({"min_words": 20})
    assert len(texts) == 2 and "printer jams" not in texts
    assert labels == ["create_ticket", "create_ticket"]
    assert long_tickets(None) is None
