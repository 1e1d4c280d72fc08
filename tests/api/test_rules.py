"""The rules file: what it matches, that it is right on the project's data, and its refusals."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from api.config import Settings
from api.routing import DEPARTMENTS, RulesError, TicketRouter, load_rules

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def router() -> TicketRouter:
    model = SimpleNamespace(name="stub", version=0, classes=list(DEPARTMENTS))
    return TicketRouter(rules=load_rules(Settings().rules_path), model=model, threshold=0.5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Où est ma Fiche de Paie ?", {"HR": ["fiche de paie"]}),
        ("forgot my PASSWORD", {"IT": ["password"]}),
        ("les mots de passe expirent", {"IT": ["mots de passe"]}),
        ("two expense reports", {"Finance": ["expense reports"]}),
        ("demande RGPD", {"Legal": ["rgpd"]}),
        ("lost my badge on the bus", {"Facilities": ["lost my badge"]}),
        ("password and access badge", {"IT": ["password"], "Facilities": ["access badge"]}),
    ],
)
def test_rules_match_whole_words_in_folded_text(
    router: TicketRouter, text: str, expected: dict
) -> None:
    assert router.match_rules(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "the agenda for Monday",  # contains "nda"
        "passwordless login",  # contains "password"
        "my badge works, the printer does not",  # a bare badge is not unambiguous
        "payslips",  # plural not listed: left to the model
    ],
)
def test_rules_ignore_parts_of_words_and_ambiguous_terms(router: TicketRouter, text: str) -> None:
    assert router.match_rules(text) == {}


def test_each_rule_agrees_with_the_labelled_data(router: TicketRouter) -> None:
    """On data/tickets.csv, a rule's department is the labelled one at least 90% of the time."""
    data = pd.read_csv(ROOT / "data" / "tickets.csv", dtype=str, keep_default_na=False)
    hits: dict[str, Counter] = {}
    for text, label in zip(data["text"], data["department"], strict=True):
        matches = router.match_rules(text)
        if len(matches) == 1:
            hits.setdefault(next(iter(matches)), Counter())[label] += 1
    assert set(hits) == set(DEPARTMENTS)
    for department, labels in hits.items():
        assert labels[department] / labels.total() >= 0.9, (department, labels)


def test_a_model_with_unknown_departments_is_refused() -> None:
    model = SimpleNamespace(name="m", version=3, classes=["IT", "Marketing"])

    with pytest.raises(RulesError, match="unknown departments Marketing"):
        TicketRouter(rules=[], model=model, threshold=0.5)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("rules: [", "not valid YAML at line"),
        ("", "top level"),
        ("- department: IT\n", "top level"),
        ("rules:\n  - department: Marketing\n    keywords: [x]\n", "Marketing"),
        ("rules:\n  - department: IT\n", "at least one keyword or pattern"),
        ("rules:\n  - department: IT\n    keywords: ['  ']\n", "at least one keyword or pattern"),
        ("rules:\n  - department: IT\n    patterns: ['(unclosed']\n", "not a valid regular"),
        ("rules:\n  - department: IT\n    patterns: ['x*']\n", "matches an empty text"),
        ("rules:\n  - department: IT\n    keyword: [vpn]\n", "rules.1.keyword"),
        ("rules:\n  - department: IT\n    keywords: vpn\n", "rules.1.keywords"),
    ],
    ids=[
        "yaml",
        "empty",
        "list",
        "department",
        "no-terms",
        "blank-terms",
        "regex",
        "empty-match",
        "typo",
        "not-a-list",
    ],
)
def test_bad_rules_file_is_one_clear_line(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(RulesError) as caught:
        load_rules(path)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"rules file {path}")
    assert reason in message
    assert "api/rules.yaml say how" in message


def test_missing_rules_file_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot be read"):
        load_rules(tmp_path / "absent.yaml")


def test_empty_rule_list_routes_everything_by_model(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("rules: []\n", encoding="utf-8")

    assert load_rules(path) == []
