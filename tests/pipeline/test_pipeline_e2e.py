"""The whole pipeline, as `dvc repro` runs it, in a throw-away copy of the project."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from textclf import load
from textclf.store import sha256_of

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run(args: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """dvc.yaml, params, code and a small slice of each data set, in a git repository."""
    root = tmp_path_factory.mktemp("project")
    for name in ("dvc.yaml", "params.yaml"):
        shutil.copy(ROOT / name, root / name)
    for package in ("pipeline", "textclf", "chatbot"):
        shutil.copytree(
            ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    (root / "data").mkdir()
    for name, label in (("tickets.csv", "department"), ("intents.csv", "intent")):
        frame = pd.read_csv(ROOT / "data" / name, dtype=str, keep_default_na=False)
        frame.groupby([label, "language"], group_keys=False).head(14).to_csv(
            root / "data" / name, index=False
        )
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["prepare"]["min_examples_per_class"] = 10
    params["train"]["cv_folds"] = 3
    params["register"]["min_metrics"] = {
        "department": {"macro_f1": 0.1},
        "intent": {"accuracy": 0.1},
    }
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{root / 'mlflow.db'}",
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@t",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@t",
    }
    env.pop("TRIAGE_MODELS_DIR", None)
    for command in (
        ["git", "init", "-q"],
        [sys.executable, "-m", "dvc", "init", "-q"],
        ["git", "add", "-A"],
        ["git", "commit", "-qm", "start"],
    ):
        assert run(command, root, env).returncode == 0
    return root, env


def dvc_repro(project: tuple[Path, dict]) -> str:
    root, env = project
    result = run([sys.executable, "-m", "dvc", "repro"], root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def tracking(root: Path):
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=f"sqlite:///{root / 'mlflow.db'}")


def registry(root: Path, name: str) -> tuple[list[int], dict[str, str]]:
    client = tracking(root)
    versions = sorted(int(v.version) for v in client.search_model_versions(f"name = '{name}'"))
    aliases = client.get_registered_model(name).aliases
    return versions, {alias: str(version) for alias, version in aliases.items()}


def test_repro_trains_registers_and_exports_both_models(project) -> None:
    root, _ = project
    output = dvc_repro(project)
    assert "register: ticket-department registered version 1, alias champion" in output
    for name in ("ticket-department", "chat-intent"):
        versions, aliases = registry(root, name)
        assert versions == [1] and aliases == {"champion": "1"}
        folder = root / "models" / name / "1"
        manifest = json.loads((folder / "manifest.json").read_text())
        assert manifest["model"]["sha256"] == sha256_of(folder / "model.pkl")
        assert manifest["mlflow_run_id"] and manifest["data_sha256"]
        assert json.loads((root / "models" / name / "aliases.json").read_text()) == {"champion": 1}
        assert load(name, "champion", root=root / "models").version == 1
    metrics = json.loads((root / "metrics" / "department.json").read_text())
    assert set(metrics["per_language"]) == {"en", "fr"}
    chatbot = json.loads((root / "metrics" / "intent.json").read_text())["chatbot"]
    assert set(chatbot["per_language"]) == {"en", "fr"}
    assert sum(part["n"] for part in chatbot["per_language"].values()) == chatbot["n"] > 0
    run_id = json.loads((root / "models" / "chat-intent" / "1" / "manifest.json").read_text())[
        "mlflow_run_id"
    ]
    logged = tracking(root).get_run(run_id).data.metrics
    assert logged["chatbot.per_language.fr.accuracy"] == chatbot["per_language"]["fr"]["accuracy"]
    assert (root / "plots" / "intent" / "confusion.png").stat().st_size > 0


def test_second_repro_does_nothing_and_registers_nothing(project) -> None:
    root, _ = project
    output = dvc_repro(project)
    assert "register:" not in output
    assert registry(root, "ticket-department")[0] == [1]


def test_register_run_by_hand_again_registers_nothing(project) -> None:
    root, env = project
    result = run([sys.executable, "-m", "pipeline.register"], root, env)
    assert result.returncode == 0, result.stderr
    assert "already registered as version 1" in result.stdout
    assert registry(root, "chat-intent")[0] == [1]


def test_changed_param_registers_the_next_version(project) -> None:
    root, _ = project
    params = yaml.safe_load((root / "params.yaml").read_text())
    params["train"]["department"]["C"] = 3.0
    (root / "params.yaml").write_text(yaml.safe_dump(params))
    output = dvc_repro(project)
    assert "ticket-department registered version 2, alias champion" in output
    assert registry(root, "ticket-department") == ([1, 2], {"champion": "2"})
    assert load("ticket-department", 1, root=root / "models").version == 1
    assert load("ticket-department", "champion", root=root / "models").version == 2


def test_invalid_data_stops_prepare_with_a_clear_message(project, tmp_path) -> None:
    root, env = project
    broken = tmp_path / "broken"
    shutil.copytree(root, broken, ignore=shutil.ignore_patterns("mlruns", "mlflow.db", ".dvc"))
    data = broken / "data" / "tickets.csv"
    data.write_text(data.read_text() + ",IT,en\nsomething,Sales,en\n", encoding="utf-8")
    result = run([sys.executable, "-m", "pipeline.prepare"], broken, env)
    assert result.returncode == 1
    assert "empty text" in result.stderr and "unknown department 'Sales'" in result.stderr
    assert "Traceback" not in result.stderr
