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
    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, text in enumerate(texts):
        for gram, count in trigrams(text).items():
            rows.append(i)
            cols.append(vocabulary.setdefault(gram, len(vocabulary)))
            values.append(count)
    from scipy.sparse import csr_matrix

    matrix = csr_matrix(
        (values, (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64
    )
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = csr_matrix(matrix.multiply(1.0 / norms[:, None]))
    similar = (unit @ unit.T).tocoo()
    pairs = [
        (int(i), int(j), float(s))
        for i, j, s in zip(similar.row, similar.col, similar.data, strict=True)
        if i < j and s >= threshold - 1e-12
    ]
    return sorted(pairs, key=lambda p: -p[2])
