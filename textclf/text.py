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


_NUMBER = re.compile(r"\d+")


def model_text(text: str) -> str:
    """What a model with `fold_numbers` sees: lower case, no accents, every number as '0'.

    Ticket ids, amounts and room numbers say little about intent or department, and each
    one would otherwise be a separate, mostly unseen, feature.
    """
    return _NUMBER.sub("0", strip_accents(text.lower()))


# Preprocessors a TF-IDF step may use and FastLinearModel can reproduce, by qualified name.
PREPROCESSORS = {"textclf.text.model_text": model_text}
