"""The prepare stage names every data problem with its line and stops cleanly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.common import PipelineError
from pipeline.datasets import raise_for, read_csv, validate

LABELS = ["IT", "HR"]


def frame(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["text", "department", "language"])


def messages(rows: list[tuple[str, str, str]], min_per_class: int = 1) -> list[str]:
    return [str(p) for p in validate(frame(rows), "department", LABELS, min_per_class)]


def test_clean_data_has_no_problem() -> None:
    assert messages([("vpn down", "IT", "en"), ("ma fiche de paie", "HR", "fr")]) == []


def test_empty_and_blank_texts_are_reported_by_line() -> None:
    found = messages([("vpn down", "IT", "en"), ("   ", "IT", "en"), ("paie", "HR", "fr")])
    assert found == ["line 3: empty text"]


def test_unknown_label_and_language_are_reported() -> None:
    found = messages([("vpn down", "IT", "en"), ("paie", "Payroll", "fr"), ("x y", "HR", "de")])
    assert "line 3: unknown department 'Payroll'; expected one of IT, HR" in found
    assert "line 4: unknown language 'de'; expected fr or en" in found


def test_exact_duplicates_name_the_first_line() -> None:
    found = messages([("VPN  down", "IT", "en"), ("paie", "HR", "fr"), ("vpn down", "IT", "en")])
    assert found == ["line 4: duplicate of line 2"]


def test_too_small_class_is_reported_with_its_lines() -> None:
    found = messages([("vpn down", "IT", "en"), ("wifi", "IT", "en"), ("paie", "HR", "fr")], 2)
    assert any("'HR' has 1 examples, fewer than the 2 required (lines 4)" in m for m in found)


def test_raise_for_lists_problems_in_one_error() -> None:
    problems = validate(frame([("", "IT", "en")]), "department", LABELS, 1)
    with pytest.raises(PipelineError) as caught:
        raise_for("data/tickets.csv", problems)
    assert "data/tickets.csv: 2 problem(s)" in str(caught.value)


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("text,label\nhello,IT\n", encoding="utf-8")
    with pytest.raises(PipelineError, match="missing column"):
        read_csv(path, ["text", "department", "language"])


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("text,department,language\nprobl\xe8me,IT,fr\n".encode("latin-1"))
    with pytest.raises(PipelineError, match="UTF-8"):
        read_csv(path, ["text", "department", "language"])
