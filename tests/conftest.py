"""Fixtures every test package shares: models trained from the project's data, in tmp folders."""

from __future__ import annotations

import pickle
from importlib import metadata
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.common import TASKS, sha256_file
from pipeline.register import export, write_aliases
from pipeline.train import build_pipeline

ROOT = Path(__file__).resolve().parents[1]


def train_and_export(
    models_root: Path,
    task: str,
    version: int,
    config: dict,
    threshold: float,
    rows: int | None = None,
) -> Path:
    """Fit the project's pipeline for `task` on data/ and export it as `version`."""
    name, data_path, label = TASKS[task]
    frame = pd.read_csv(ROOT / data_path, dtype=str, keep_default_na=False)
    if rows:
        frame = frame.groupby(label, group_keys=False).head(rows)
    model = build_pipeline(config).fit(frame["text"].tolist(), frame[label].tolist())
    build = models_root / ".build" / f"{task}-{version}.pkl"
    build.parent.mkdir(parents=True, exist_ok=True)
    build.write_bytes(pickle.dumps(model))
    export(
        models_root / name / str(version),
        build,
        {
            "name": name,
            "task": task,
            "version": version,
            "threshold": threshold,
            "sklearn_version": metadata.version("scikit-learn"),
            "params": config,
            "metrics": {},
            "data": data_path,
            "data_sha256": sha256_file(ROOT / data_path),
            "source_sha256": sha256_file(build),
            "git_commit": "test",
            "mlflow_run_id": None,
        },
    )
    return models_root / name / str(version)


@pytest.fixture(scope="session")
def params() -> dict:
    return yaml.safe_load((ROOT / "params.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def models_root(tmp_path_factory: pytest.TempPathFactory, params: dict) -> Path:
    """Both models, trained on the project's data: version 1 (champion) and version 2.

    Version 2 of ticket-department is a deliberately weaker model (few rows, word features only)
    so that tests can tell the versions apart. Treat the folder as read-only.
    """
    root = tmp_path_factory.mktemp("models")
    for task in TASKS:
        config = params["train"][task]
        train_and_export(root, task, 1, config, threshold=0.5)
        weak = {
            **config,
            "char_ngrams": None,
            "char_ngrams_across_words": None,
            "sentence_encoder": None,
        }
        train_and_export(root, task, 2, weak, threshold=0.5, rows=30)
        write_aliases(root, TASKS[task][0], {"champion": 1})
    return root
