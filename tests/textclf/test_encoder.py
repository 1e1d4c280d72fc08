"""textclf.encoder: all-MiniLM-L6-v2 in NumPy gives what its reference implementations give.

The expected token ids come from Hugging Face `tokenizers` (the model's tokenizer.json) and the
expected vectors from sentence-transformers 5 on PyTorch, both run outside the project once.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import ThreadpoolController

from textclf import encoder as encoder_module
from textclf.encoder import (
    EncoderError,
    SentenceEncoder,
    language_halves,
    read_safetensors,
    sentence_features,
)


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        (
            "Supprime le ticket n°12, STP!",
            [
                101,
                10514,
                9397,
                20026,
                2063,
                3393,
                7281,
                1050,
                7737,
                12521,
                1010,
                2358,
                2361,
                999,
                102,
            ],
        ),
        ("my chair broke :(", [101, 2026, 3242, 3631, 1024, 1006, 102]),
        (
            "l'écran ne s'allume plus… merci",
            [
                101,
                1048,
                1005,
                14925,
                5521,
                11265,
                1055,
                1005,
                2035,
                17897,
                4606,
                1529,
                21442,
                6895,
                102,
            ],
        ),
    ],
)
def test_word_pieces_are_the_reference_tokenizers(
    encoder: SentenceEncoder, text: str, ids: list[int]
) -> None:
    assert encoder.tokenizer.ids(text) == ids


def test_long_text_is_cut_to_the_models_limit(encoder: SentenceEncoder) -> None:
    ids = encoder.tokenizer.ids("ticket " * 400)
    assert len(ids) == encoder_module.MAX_TOKENS
    assert (ids[0], ids[-1]) == (encoder.tokenizer.first, encoder.tokenizer.last)
    # a very long text is read only up to MAX_CHARS: what lies beyond changes nothing
    padded = " " * (encoder_module.MAX_CHARS - 3) + "hello world"
    assert encoder.tokenizer.ids(padded) == encoder.tokenizer.ids("hel")


def test_vectors_are_sentence_transformers(encoder: SentenceEncoder) -> None:
    vectors = encoder.encode(["my chair broke", "je veux ajouter un ticket"])
    expected = [
        [0.0028831, -0.0037640, 0.0686661, 0.0263807, 0.0553749, -0.0336598],
        [-0.0567236, 0.0993133, -0.0141807, -0.0471463, -0.0245127, 0.0687246],
    ]
    assert vectors.shape == (2, 384)
    np.testing.assert_allclose(vectors[:, :6], expected, atol=2e-6)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)


def test_a_batch_of_uneven_lengths_gives_each_lines_own_vector(encoder: SentenceEncoder) -> None:
    texts = ["ok", "the printer on the second floor jams on every page since monday", "¿"]
    sequences = [encoder.tokenizer.ids(t) for t in texts]
    together = encoder.forward(sequences)  # padded to the longest: the mask must hide it
    alone = np.vstack([encoder.forward([ids]) for ids in sequences])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert not np.allclose(together[0], together[1])
    np.testing.assert_allclose(encoder.encode(texts[::-1]), together[::-1], atol=1e-5)


def test_the_first_layer_alone_is_a_cheaper_different_vector(encoder: SentenceEncoder) -> None:
    first = SentenceEncoder(layers=1)
    texts = ["show me ticket 12", "montre-moi le ticket 12"]

    shallow, deep = first.encode(texts), encoder.encode(texts)

    assert len(first.layers) == 1 and len(encoder.layers) == 6
    np.testing.assert_allclose(np.linalg.norm(shallow, axis=1), 1.0, rtol=1e-5)
    assert np.abs(shallow - deep).max() > 0.1
    np.testing.assert_array_equal(first.encode(texts[:1]), shallow[:1])  # from its cache
    with pytest.raises(EncoderError, match="6 layers; 7 cannot be kept"):
        SentenceEncoder(layers=7)


def test_without_feed_forward_the_last_layer_stops_after_its_attention() -> None:
    text = ["show me ticket 12"]
    attention = SentenceEncoder(layers=1, feed_forward=False)
    whole_layer = SentenceEncoder(layers=1)

    assert np.abs(attention.encode(text) - whole_layer.encode(text)).max() > 0.05
    two = SentenceEncoder(layers=2, feed_forward=False)  # the first layer whole, then attention
    assert np.abs(two.encode(text) - attention.encode(text)).max() > 0.05
    np.testing.assert_allclose(np.linalg.norm(attention.encode(text)), 1.0, rtol=1e-5)


def test_vectors_go_to_the_half_of_the_lines_language() -> None:
    vectors = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    halves = language_halves(["my screen stays black", "mon écran reste noir"], vectors)
    np.testing.assert_array_equal(halves, [[1, 2, 0, 0], [0, 0, 3, 4]])


def test_sentence_features_of_a_line_are_the_same_bits_alone_or_among_others() -> None:
    texts = ["ok", "the printer on the second floor jams on every page since monday", "salut"]
    among = sentence_features(SentenceEncoder(layers=1), texts)
    alone = [sentence_features(SentenceEncoder(layers=1), [t])[0] for t in texts]
    np.testing.assert_array_equal(among, np.vstack(alone))
    assert among.shape == (3, 2 * SentenceEncoder.dimensions)


def test_a_line_is_encoded_on_one_blas_thread_and_the_callers_setting_comes_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One thread: the training stage's bits, and no stall when other cores are busy."""
    attention = SentenceEncoder(layers=1, feed_forward=False)
    controller = ThreadpoolController()
    seen: list[set[int]] = []
    inner = attention._forward

    def spy(sequences: list[list[int]]) -> np.ndarray:
        seen.append({lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"})
        return inner(sequences)

    monkeypatch.setattr(attention, "_forward", spy)
    with controller.limit(limits=2, user_api="blas"):
        attention.encode(["the printer jams"])
        after = {lib["num_threads"] for lib in controller.info() if lib["user_api"] == "blas"}

    assert seen == [{1}]
    assert after == {2}


def test_missing_package_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder_module.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(EncoderError, match="make install"):
        SentenceEncoder()


def test_safetensors_reader_keeps_shapes_and_values(tmp_path: Path) -> None:
    matrix = np.arange(6, dtype="<f4").reshape(2, 3)
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "w": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
            "ids": {"dtype": "I64", "shape": [1], "data_offsets": [24, 32]},
        }
    ).encode()
    path = tmp_path / "t.safetensors"
    path.write_bytes(
        struct.pack("<Q", len(header)) + header + matrix.tobytes() + np.int64(7).tobytes()
    )
    tensors = read_safetensors(path)
    assert list(tensors) == ["w"]  # float32 tensors only
    np.testing.assert_array_equal(tensors["w"], matrix)
