"""Temperature scaling: one number that makes a classifier's confidence mean what it says.

A logistic regression fitted with class weights and a penalty is often under- or
over-confident. Dividing its scores by a temperature T, chosen to minimise the log-loss of
out-of-fold predictions, fixes that without changing a single predicted label. Folding 1/T
into the coefficients keeps the model a plain LogisticRegression: the pickle, scikit-learn's
predict_proba and the fast predictor all give the calibrated probabilities.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax
from sklearn.pipeline import Pipeline

_TINY = np.finfo(np.float64).tiny


def log_loss_at(temperature: float, log_proba: np.ndarray, labels: np.ndarray) -> float:
    """Mean negative log-likelihood of `labels` (column indices) once scaled by temperature."""
    scaled = log_softmax(log_proba / temperature, axis=1)
    return float(-scaled[np.arange(len(labels)), labels].mean())


def fit_temperature(proba: np.ndarray, labels: np.ndarray) -> float:
    """The temperature (0.05 to 20) that minimises the log-loss of these predictions."""
    log_proba = np.log(np.maximum(proba, _TINY))
    found = minimize_scalar(
        lambda log_t: log_loss_at(float(np.exp(log_t)), log_proba, labels),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(np.exp(found.x))


def rescale(proba: np.ndarray, temperature: float) -> np.ndarray:
    """The probabilities the model gives once its scores are divided by the temperature."""
    return np.exp(log_softmax(np.log(np.maximum(proba, _TINY)) / temperature, axis=1))


def apply_temperature(model: Pipeline, temperature: float) -> Pipeline:
    """Divide the fitted classifier's coefficients and intercepts by the temperature, in place."""
    classifier = model.steps[-1][1]
    classifier.coef_ = classifier.coef_ / temperature
    classifier.intercept_ = classifier.intercept_ / temperature
    return model
