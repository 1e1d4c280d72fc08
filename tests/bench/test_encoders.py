"""bench.encoders: the feature sets it compares, and what it reports."""

from __future__ import annotations

import numpy as np
import pytest

from bench import encoders
from textclf.encoder import SentenceEncoder

LINES = [
    ("supprime le ticket 12", "delete_ticket"),
    ("delete ticket 7 please", "delete_ticket"),
    ("efface la demande 31", "delete_ticket"),
    ("remove #44", "delete_ticket"),
    ("bonjour", "greet"),
    ("hello there", "greet"),
    ("salut tout le monde", "greet"),
    ("hi!", "greet"),
]


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_piece_vectors_average_the_pieces_of_a_line(encoder: SentenceEncoder) -> None:
    table = np.random.default_rng(0).normal(size=(len(encoder.tokenizer.vocab), 4))
    kinds = {encoders.WHOLE: encoder}
    pieces = encoders.embedders(kinds, table.astype(np.float32))["tf-idf + piece vectors"]
    ids = encoder.tokenizer.ids("my chair broke")[1:-1]
    mean = table[ids].mean(axis=0)
    np.testing.assert_allclose(pieces(["my chair broke"])[0], mean / np.linalg.norm(mean), 1e-5)


@pytest.mark.parametrize("kind", [encoders.KINDS[0], encoders.WHOLE])
def test_each_model_learns_and_answers_like_a_predictor(
    kind: str, encoder: SentenceEncoder, params: dict
) -> None:
    embed = encoders.embedders({encoders.WHOLE: encoder}, None)[kind]
    texts, labels = zip(*LINES, strict=True)
    model = encoders.Model(params["train"]["intent"], embed).fit(list(texts), np.array(labels))
    assert list(model.predict(["supprime le 9", "hello"])) == ["delete_ticket", "greet"]
    proba = model.proba_one("bonjour à tous")  # what the whole understanding asks of it
    assert model.classes == ["delete_ticket", "greet"]
    assert proba.shape == (2,) and proba.sum() == pytest.approx(1.0) and proba[1] > 0.5


def test_each_depth_kind_gets_an_encoder_of_that_depth() -> None:
    made = encoders.encoders_for(
        ["tf-idf", "tf-idf + encoder, first layer", "tf-idf + piece vectors"]
    )

    assert {kind: len(e.layers) for kind, e in made.items()} == {
        "tf-idf + encoder, first layer": 1,
        "tf-idf + sentence encoder": 6,  # the piece table is built with the whole encoder
    }


def test_report_table_has_a_row_per_feature_set() -> None:
    figures = {"overall": 0.95, "en": 0.953, "fr": 0.947}
    row = {"cv": figures, "held_out": figures, "cost": {"p50_ms": 11.2, "p99_ms": 30.5}}
    table = encoders.markdown({"encoder_sha256": "ab" * 32, "kinds": {"tf-idf": row}})
    assert "| tf-idf | 0.9530 | 0.9470 | 0.9530 | 0.9470 | 0.9500 | 11.20 | 30.50 |" in table
    assert table.count("\n| ") == 3  # the header, its rule and the one row


def test_line_cost_is_zero_without_an_embedding_and_measured_with_one(
    encoder: SentenceEncoder,
) -> None:
    assert encoders.line_cost(None, ["hello"]) == {"p50_ms": 0.0, "p99_ms": 0.0}
    cost = encoders.line_cost(encoder.encode, ["a first line", "a second one"])
    assert 0.0 < cost["p50_ms"] <= cost["p99_ms"]
