"""Text folding shared by the rules, the slot extractors and the data checks."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """Drop combining marks after NFKD, as scikit-learn's strip_accents='unicode' does."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed == text:
        return text
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, accent-free, single-spaced text: 'Écran  NOIR' -> 'ecran noir'."""
    return _SPACES.sub(" ", strip_accents(text.lower())).strip()
