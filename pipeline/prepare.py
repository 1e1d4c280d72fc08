"""Stage prepare: validate data/*.csv and split each task stratified, with a fixed seed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split

from pipeline.common import TASKS, load_params, sha256_file, stage, write_json
from pipeline.datasets import raise_for, read_csv, validate

OUT = Path("build/prepared")


def split(
    frame: pd.DataFrame, label: str, test_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stratified on label and language together, so both languages are tested per class."""
    strata = frame[label] + "/" + frame["language"]
    train, test = train_test_split(frame, test_size=test_size, random_state=seed, stratify=strata)
    return train.reset_index(drop=True), test.reset_index(drop=True)


def prepare_task(task: str, params: dict, out: Path = OUT) -> dict:
    _, data_path, label = TASKS[task]
    config = params["prepare"]
    frame = read_csv(data_path, ["text", label, "language"])
    raise_for(
        data_path, validate(frame, label, config["labels"][task], config["min_examples_per_class"])
    )
    train, test = split(frame, label, config["test_size"], config["seed"])
    folder = out / task
    folder.mkdir(parents=True, exist_ok=True)
    train.to_csv(folder / "train.csv", index=False)
    test.to_csv(folder / "test.csv", index=False)
    return {
        "data": data_path,
        "data_sha256": sha256_file(data_path),
        "rows": len(frame),
        "train": len(train),
        "test": len(test),
    }


@stage("prepare")
def main() -> None:
    params = load_params()
    summary = {task: prepare_task(task, params) for task in TASKS}
    write_json(OUT / "summary.json", summary)
    for task, info in summary.items():
        print(f"prepare: {task}: {info['rows']} rows -> {info['train']} train, {info['test']} test")


if __name__ == "__main__":
    raise SystemExit(main())
