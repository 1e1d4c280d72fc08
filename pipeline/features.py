"""The sentence block of the intent model: a scikit-learn transformer over textclf.encoder.

`SentenceFeatures(layers=1, feed_forward=False)` turns texts into
`textclf.encoder.sentence_features`: the mean vector of the encoder's first `layers` layers
(the last one without its feed-forward part unless `feed_forward`), in an English or a French
half. It keeps no weights: the pickled model names the encoder by depth and by the sha256 of
its weights, and refuses other weights than those it was fitted with. The fast predictor
(textclf.fast.SentenceBlock) computes the same numbers without scikit-learn.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from textclf.encoder import (
    SentenceEncoder,
    check_weights,
    sentence_feature_names,
    sentence_features,
    shared,
    weights_sha256,
)


class SentenceFeatures(TransformerMixin, BaseEstimator):
    def __init__(self, layers: int = 1, feed_forward: bool = True) -> None:
        self.layers = layers
        self.feed_forward = feed_forward

    def fit(self, texts: list[str], labels: object = None) -> SentenceFeatures:
        self.sha256_ = weights_sha256()
        self.n_features_out_ = 2 * SentenceEncoder.dimensions
        return self

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        check_weights(self.sha256_)
        encoder = shared(self.layers, self.feed_forward)
        return sp.csr_matrix(sentence_features(encoder, list(texts)))

    def get_feature_names_out(self, names: object = None) -> np.ndarray:
        return np.array(sentence_feature_names())
