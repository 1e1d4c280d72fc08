"""The real IT service-desk tickets (../shared/data/it-service-tickets), read in place.

The data set is not copied into the repository: benchmarks read it by path and skip
their real-data part, saying so, where it is absent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "it-service-tickets" / "tickets.csv.gz"
PARAMS = Path(__file__).with_name("params-it-tickets.yaml")
LABEL = "category"


def available() -> bool:
    return DATA.is_file()


def missing_message() -> str:
    return (
        f"{DATA} is absent: skipping the real-data benchmark (it runs where the project is "
        "cloned next to ../shared with its data sets)"
    )


def load_splits() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The fixed `train` and `test` splits, each with `text` and `category`."""
    frame = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    train = frame[frame["split"] == "train"].reset_index(drop=True)
    test = frame[frame["split"] == "test"].reset_index(drop=True)
    return train, test


def load_params() -> dict:
    return yaml.safe_load(PARAMS.read_text(encoding="utf-8"))


def label_indices(labels: np.ndarray, classes: list[str]) -> np.ndarray:
    """Each label's position in `classes`."""
    position = {c: i for i, c in enumerate(classes)}
    return np.array([position[label] for label in labels])
