"""What api/ and chatbot/ share: versioned model loading, the fast predictor, text folding."""

from textclf.language import detect_language
from textclf.store import LoadedModel, ModelLoadError, load
from textclf.text import fold

__all__ = ["LoadedModel", "ModelLoadError", "detect_language", "fold", "load"]
