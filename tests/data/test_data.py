"""The shipped data sets: enough of each class in each language, no copies, exact slots."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from chatbot.nlu import INTENTS
from pipeline.similarity import near_duplicates, near_duplicates_in, signature

DATA = Path(__file__).resolve().parents[2] / "data"
DEPARTMENTS = ["IT", "HR", "Finance", "Facilities", "Legal"]


@pytest.fixture(scope="module")
def tickets() -> pd.DataFrame:
    return pd.read_csv(DATA / "tickets.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def intents() -> pd.DataFrame:
    return pd.read_csv(DATA / "intents.csv", dtype=str, keep_default_na=False)


def test_tickets_columns_and_labels(tickets: pd.DataFrame) -> None:
    assert list(tickets.columns) == ["text", "department", "language"]
    assert set(tickets["department"]) == set(DEPARTMENTS)
    assert set(tickets["language"]) == {"fr", "en"}
    assert (tickets["text"].str.strip() != "").all()


def test_at_least_150_tickets_per_department_and_language(tickets: pd.DataFrame) -> None:
    counts = tickets.groupby(["department", "language"]).size()
    assert len(counts) == 10
    assert counts.min() >= 150, counts.to_dict()
    assert len(tickets) >= 1500


def test_intents_columns_and_labels(intents: pd.DataFrame) -> None:
    assert list(intents.columns) == [
        "text",
        "intent",
        "language",
        "ticket_id",
        "department",
        "ticket_text",
    ]
    assert set(intents["intent"]) == set(INTENTS)
    assert set(intents["language"]) == {"fr", "en"}


def test_at_least_60_utterances_per_intent_and_language(intents: pd.DataFrame) -> None:
    counts = intents.groupby(["intent", "language"]).size()
    assert len(counts) == 16
    assert counts.min() >= 60, counts.to_dict()


def test_ticket_ids_are_digits_found_in_the_text(intents: pd.DataFrame) -> None:
    annotated = intents[intents["ticket_id"] != ""]
    assert len(annotated) >= 100
    for text, ticket_id in zip(annotated["text"], annotated["ticket_id"], strict=True):
        assert ticket_id.isdigit(), (text, ticket_id)
        # leading zeros are part of how helpdesk tools write ids: "INC-0012" is 12
        assert re.search(rf"(?<!\d)0*{ticket_id}(?!\d)", text), (text, ticket_id)
    assert set(annotated["intent"]) <= {"get_ticket", "delete_ticket"}


def test_departments_are_canonical(intents: pd.DataFrame) -> None:
    named = intents[intents["department"] != ""]
    assert set(named["department"]) <= set(DEPARTMENTS)
    assert (named["intent"] == "list_tickets").sum() >= 40


def test_ticket_texts_are_exact_substrings(intents: pd.DataFrame) -> None:
    carried = intents[intents["ticket_text"] != ""]
    assert len(carried) >= 40
    assert set(carried["intent"]) == {"create_ticket"}
    for text, ticket_text in zip(carried["text"], carried["ticket_text"], strict=True):
        assert ticket_text.strip() and ticket_text in text, (text, ticket_text)


@pytest.mark.parametrize("name", ["tickets.csv", "intents.csv"])
def test_no_two_rows_are_identical_after_normalisation(name: str) -> None:
    texts = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)["text"]
    folded = texts.map(signature)
    repeated = texts[folded.duplicated(keep=False)].tolist()
    assert repeated == []


@pytest.mark.parametrize("name", ["tickets.csv", "intents.csv"])
def test_no_two_rows_are_near_duplicates(name: str) -> None:
    texts = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)["text"].tolist()
    pairs = [(texts[i], texts[j], round(s, 2)) for i, j, s in near_duplicates(texts)]
    assert pairs == []


def test_signature_folds_case_accents_punctuation_and_numbers() -> None:
    assert signature("  Supprime le TICKET n°12 !! ") == "supprime le ticket n 0"
    assert signature("Écran-noir") == signature("ecran noir")


def test_near_duplicate_measure_flags_templates_not_rephrasings() -> None:
    texts = [
        "delete ticket 12",
        "delete ticket #45",
        "show the tickets",
        "list every ticket please",
        "mon écran reste noir",
        "mon ecran reste noir !",
    ]
    flagged = {(i, j) for i, j, _ in near_duplicates(texts)}
    assert flagged == {(0, 1), (4, 5)}


def test_near_duplicates_in_a_corpus_pair_each_text_with_the_rows_it_repeats() -> None:
    known = ["delete ticket 12", "show the tickets", "mon écran reste noir"]
    texts = [
        "zxqv wibble florp",
        "Mon ecran reste noir !",
        "DELETE TICKET #7",
        "show me every ticket",
    ]

    pairs = near_duplicates_in(texts, known)

    assert [(i, j) for i, j, _ in pairs] == [(1, 2), (2, 0)]
    assert pairs[0][2] == pytest.approx(1.0) and pairs[1][2] == pytest.approx(1.0)
    assert (3, 1) in {(i, j) for i, j, _ in near_duplicates_in(texts, known, threshold=0.3)}
