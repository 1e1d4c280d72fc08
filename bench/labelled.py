"""The labelled sets the shipped-model benchmarks score: the project's held-out split, and any
CSV file given by path (text written independently of the project, which stays outside it).

The held-out split is recomputed from data/*.csv and params.yaml with the pipeline's own
`split`, so it is exactly the rows the current champion did not train on.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.common import TASKS, load_params, sha256_file
from pipeline.datasets import read_csv
from pipeline.prepare import split
from pipeline.similarity import near_duplicates_in

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class LabelledSet:
    name: str  # "held-out" or the file's name
    rows: pd.DataFrame
    source: dict  # where it came from: the split, or the path and its sha256

    @property
    def external(self) -> bool:
        """Read from a file outside the project (the held-out split is part of its data)."""
        return "path" in self.source

    def describe(self) -> dict:
        return {"name": self.name, "rows": len(self.rows), **self.source}


def held_out(task: str) -> LabelledSet:
    """The test split of `task` ("department" or "intent"), as the pipeline makes it."""
    _, data_path, label = TASKS[task]
    params = load_params(ROOT / "params.yaml")
    frame = read_csv(ROOT / data_path, ["text", label, "language"])
    frame["data_row"] = range(1, len(frame) + 1)  # where the row stands in the data file
    _, test = split(frame, params["prepare"]["test_size"], params["prepare"]["seed"])
    return LabelledSet("held-out", test, {"data": data_path, "split": "test"})


def by_rows(whole: LabelledSet, parts: dict[str, tuple[int, int | None]]) -> list[LabelledSet]:
    """`whole` (the held-out split) cut by where its rows stand in the data file: NAME ->
    (first, last) data rows, 1-based, `last` None for the end."""
    rows, cut = whole.rows["data_row"], []
    for name, (first, last) in parts.items():
        inside = (rows >= first) & (rows <= (last or rows.max()))
        source = {**whole.source, "data_rows": [first, last]}
        cut.append(LabelledSet(f"{whole.name}, {name}", whole.rows[inside], source))
    return cut


def from_file(argument: str, label: str) -> LabelledSet:
    """`PATH` or `NAME=PATH`: a CSV file with at least `text` and `label` (`language` and
    slot columns are optional), reported under NAME (default: the file's name)."""
    name, _, path = argument.rpartition("=") if "=" in argument else ("", "", argument)
    frame = read_csv(path, ["text", label])
    return LabelledSet(name or Path(path).name, frame, {"path": path, "sha256": sha256_file(path)})


def languages(rows: pd.DataFrame) -> list[str]:
    """The languages to report apart: those the file labels (none when it has no column)."""
    return sorted(set(rows["language"])) if "language" in rows.columns else []


def per_language(rows: pd.DataFrame, correct: np.ndarray, key: str) -> dict:
    """{language: {"rows": n, key: share correct}} for the languages the set labels."""
    report = {}
    for language in languages(rows):
        mask = rows["language"].to_numpy() == language
        report[language] = {"rows": int(mask.sum()), key: share(correct[mask])}
    return report


def share(mask: np.ndarray) -> float | None:
    return round(float(np.mean(mask)), 4) if len(mask) else None


def table(header: list[str], sets: list[dict], cells: Callable[[dict], list]) -> list[str]:
    """A Markdown table: one row a set, its name and row count first, then `cells(set)`."""
    lines = [
        "| " + " | ".join(["set", "rows", *header]) + " |",
        "|---|" + "---:|" * (len(header) + 1),
    ]
    for one in sets:
        values = [_cell(v) for v in cells(one)]
        lines.append("| " + " | ".join([one["name"], str(one["rows"]), *values]) + " |")
    return lines


def _cell(value: float | int | None) -> str:
    if value is None:
        return "–"
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def arguments(prog: str, doc: str, option: str, columns: str) -> argparse.ArgumentParser:
    """The command line of a benchmark that scores extra labelled files given by path."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.split("\n")[0])
    parser.add_argument(
        option,
        action="append",
        default=[],
        metavar="[NAME=]CSV",
        help=f"a labelled file to score as well ({columns}); repeatable",
    )
    return parser


def novel(rows: pd.DataFrame, task: str) -> np.ndarray:
    """Which rows have no near-duplicate (pipeline.similarity) in the project's data for
    `task`: short utterances recur across writers ("list tickets"), so a set written apart
    still shares some rows with the training data."""
    _, data_path, _ = TASKS[task]
    known = read_csv(ROOT / data_path, ["text"])["text"].tolist()
    texts = rows["text"].tolist()
    seen = {i for i, _, _ in near_duplicates_in(texts, known)}
    return np.array([i not in seen for i in range(len(texts))], dtype=bool)
