"""The model layer of the router: one feature pass gives the same decision as two did."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import textclf
from api.config import DEPARTMENT_MODEL
from api.routing import EXPLANATION_TERMS, TicketRouter, _merged

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def router(models_root: Path) -> TicketRouter:
    model = textclf.load(DEPARTMENT_MODEL, "champion", root=models_root)
    return TicketRouter(rules=[], model=model, threshold=0.5)


def test_decision_is_the_best_guess_explained_by_its_own_top_terms(router: TicketRouter) -> None:
    texts = pd.read_csv(ROOT / "data" / "tickets.csv")["text"].iloc[::50].tolist()
    predictor = router.model.predictor
    for text in [*texts, "工工工", ""]:
        probabilities = predictor.proba_one(text)
        guess = predictor.classes[int(probabilities.argmax())]
        top = predictor.top_terms(text, guess, 3 * EXPLANATION_TERMS)

        decision = router.route(text)

        assert decision.confidence == float(probabilities.max())
        assert decision.explanation == _merged(top)
        expected = guess if decision.confidence >= 0.5 else "Triage"
        assert decision.department == expected
