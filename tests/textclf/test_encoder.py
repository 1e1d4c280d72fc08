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

from textclf import encoder as encoder_module
from textclf.encoder import EncoderError, SentenceEncoder, read_safetensors


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
