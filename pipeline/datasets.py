"""Reading and validating the labelled CSV files; every problem names its row."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.common import PipelineError

LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class Problem:
    row: int  # the line number in the CSV file (the header is line 1)
    message: str

    def __str__(self) -> str:
        return f"line {self.row}: {self.message}"


def read_csv(path: str | Path, required: list[str]) -> pd.DataFrame:
    """The file as strings (empty cells as ''), or a PipelineError naming what is missing."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise PipelineError(f"{path}: file not found") from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise PipelineError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PipelineError(
            f"{path}: missing column(s) {', '.join(missing)}; "
            f"expected at least {', '.join(required)}"
        )
    return frame


def validate(
    frame: pd.DataFrame, label: str, labels: list[str], min_per_class: int
) -> list[Problem]:
    """Empty texts, unknown labels or languages, exact duplicates, too-small classes."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for index, (text, value, language) in enumerate(
        zip(frame["text"], frame[label], frame["language"], strict=True)
    ):
        line = index + 2
        key = " ".join(text.split()).lower()
        if not key:
            problems.append(Problem(line, "empty text"))
        elif key in seen:
            problems.append(Problem(line, f"duplicate of line {seen[key]}"))
        else:
            seen[key] = line
        if value not in labels:
            problems.append(
                Problem(line, f"unknown {label} {value!r}; expected one of {', '.join(labels)}")
            )
        if language not in LANGUAGES:
            problems.append(Problem(line, f"unknown language {language!r}; expected fr or en"))
    counts = frame[label].value_counts()
    for value in labels:
        if counts.get(value, 0) < min_per_class:
            rows = [i + 2 for i in frame.index[frame[label] == value]][:10]
            where = f" (lines {', '.join(map(str, rows))})" if rows else ""
            problems.append(
                Problem(
                    0,
                    f"class {value!r} has {counts.get(value, 0)} examples, "
                    f"fewer than the {min_per_class} required{where}",
                )
            )
    return problems


def raise_for(path: str | Path, problems: list[Problem], shown: int = 20) -> None:
    if not problems:
        return
    listed = "\n  ".join(str(p) if p.row else p.message for p in problems[:shown])
    more = f"\n  … and {len(problems) - shown} more" if len(problems) > shown else ""
    raise PipelineError(
        f"{path}: {len(problems)} problem(s); fix the file and run again:\n  {listed}{more}"
    )
