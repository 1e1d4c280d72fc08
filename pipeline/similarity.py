"""Near-duplicate detection for the hand-written data sets.

Two texts are near-duplicates when the cosine similarity of their character-trigram count
vectors, after `signature` folding (case, accents, punctuation, spacing, and every number
turned into "0"), reaches NEAR_DUPLICATE. 0.85 flags a template with one word swapped
("delete ticket 12" / "delete ticket 45" score 1.0) while letting different phrasings of
the same request through ("show the tickets" / "list every ticket" score about 0.5).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix

from textclf.text import fold

NEAR_DUPLICATE = 0.85
_NUMBER = re.compile(r"\d+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def signature(text: str) -> str:
    """'Supprime le ticket n°12 !' -> 'supprime le ticket n 0'."""
    return " ".join(_NOT_ALNUM.sub(" ", _NUMBER.sub("0", fold(text))).split())


def trigrams(text: str) -> Counter:
    padded = f" {signature(text)} "
    return Counter(padded[i : i + 3] for i in range(len(padded) - 2))


def near_duplicates(
    texts: list[str], threshold: float = NEAR_DUPLICATE
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose similarity reaches `threshold`, most similar first."""
    unit = _unit_vectors(texts)
    return _similar(unit, unit, threshold, upper_only=True)


def near_duplicates_in(
    texts: list[str], known: list[str], threshold: float = NEAR_DUPLICATE
) -> list[tuple[int, int, float]]:
    """Pairs (i, j) where texts[i] is a near-duplicate of known[j], most similar first: one
    row against the corpus costs a row of products, not the corpus squared."""
    unit = _unit_vectors(texts + known)
    return _similar(unit[: len(texts)], unit[len(texts) :], threshold, upper_only=False)


def _unit_vectors(texts: list[str]) -> csr_matrix:
    """Length-normalised trigram counts, one row a text."""
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        for gram, count in trigrams(text).items():
            rows.append(i)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append(count)
    matrix = csr_matrix(
        (values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return csr_matrix(matrix.multiply(1.0 / norms[:, None]))


def _similar(
    left: csr_matrix, right: csr_matrix, threshold: float, upper_only: bool, block: int = 2000
) -> list[tuple[int, int, float]]:
    """Cosine similarities of `left`'s rows with `right`'s that reach `threshold`. By blocks of
    rows, filtered in NumPy: most pairs share a common trigram (" de", "the"), so the whole
    product holds 140 million entries for 15,000 rows."""
    right_t = right.T.tocsr()
    found: list[tuple[int, int, float]] = []
    for start in range(0, left.shape[0], block):
        product = (left[start : start + block] @ right_t).tocoo()
        rows = product.row + start
        keep = product.data >= threshold - 1e-12
        if upper_only:
            keep &= rows < product.col
        found += zip(
            rows[keep].tolist(),
            product.col[keep].tolist(),
            product.data[keep].tolist(),
            strict=True,
        )
    return sorted(found, key=lambda pair: -pair[2])
