"""Load an exported model by version, checking what is on disk before trusting it.

Layout written by the pipeline's register stage:

    models/<name>/aliases.json              {"champion": 3}
    models/<name>/<version>/model.pkl       the scikit-learn pipeline (artifact of record)
    models/<name>/<version>/predictor.npz   the same numbers for FastLinearModel
    models/<name>/<version>/manifest.json   version, sha256 of both files, versions, metrics...

Nothing here imports scikit-learn or MLflow: the service starts on NumPy alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from textclf.encoder import EncoderError
from textclf.fast import FastLinearModel

ALIASES = ("champion", "latest")
DEFAULT_MODELS_DIR = "models"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_NUMBER = re.compile(r"^[0-9]{1,9}$")


class ModelLoadError(Exception):
    """A model could not be loaded; the message is one line saying why and what to do."""


@dataclass(frozen=True)
class LoadedModel:
    """A verified model: its predictor and the manifest that describes it."""

    name: str
    version: int
    sha256: str
    manifest: dict[str, Any]
    predictor: FastLinearModel
    path: Path

    @property
    def threshold(self) -> float:
        """Confidence under which a prediction should go to a human (0 when none was set)."""
        return float(self.manifest.get("threshold", 0.0))

    @property
    def classes(self) -> list[str]:
        return self.predictor.classes


def models_dir() -> Path:
    """Where exported models live: $TRIAGE_MODELS_DIR, else ./models."""
    return Path(os.environ.get("TRIAGE_MODELS_DIR", DEFAULT_MODELS_DIR))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_version(name: str, version: str | int, root: Path | None = None) -> int:
    """Turn '3', 'champion' or 'latest' into a version number that exists on disk."""
    base = _model_root(name, root)
    text = str(version).strip()
    if _NUMBER.match(text):
        number = int(text)
    elif text in ALIASES:
        number = _alias(base, name, text)
    else:
        raise ModelLoadError(
            f"model version {text!r} for {name!r} is not a number or one of "
            f"{', '.join(ALIASES)}: set it to e.g. 1, champion or latest"
        )
    if not _inside(base / str(number), base) or not (base / str(number)).is_dir():
        known = ", ".join(str(v) for v in list_versions(name, root)) or "none"
        raise ModelLoadError(
            f"model {name!r} has no version {number} in {base} (versions: {known}): "
            "pick an existing version or run `dvc repro` to train one"
        )
    return number


def list_versions(name: str, root: Path | None = None) -> list[int]:
    base = _model_root(name, root)
    if not base.is_dir():
        return []
    return sorted(
        int(p.name)
        for p in base.iterdir()
        if _NUMBER.match(p.name) and p.is_dir() and not p.is_symlink()
    )


def read_manifest(name: str, version: str | int, root: Path | None = None) -> tuple[Path, dict]:
    """The version's folder and its parsed manifest, after every path check."""
    number = resolve_version(name, version, root)
    folder = _model_root(name, root) / str(number)
    manifest_path = folder / "manifest.json"
    try:
        manifest = json.loads(_checked_file(manifest_path, folder).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelLoadError(
            f"{manifest_path}: unreadable manifest ({exc}); re-export the model "
            "with `dvc repro` or pick another version"
        ) from None
    if manifest.get("version") != number or manifest.get("name") != name:
        raise ModelLoadError(
            f"{manifest_path}: describes {manifest.get('name')!r} version "
            f"{manifest.get('version')!r}, not {name!r} version {number}; "
            "the models folder was edited by hand: re-export with `dvc repro`"
        )
    return folder, manifest


def verified_file(folder: Path, manifest: dict, key: str) -> tuple[Path, str]:
    """The file the manifest names under `key`, once its sha256 matches the manifest's."""
    entry = manifest.get(key) or {}
    file_name, expected = str(entry.get("file", "")), str(entry.get("sha256", ""))
    if not file_name or Path(file_name).name != file_name:
        raise ModelLoadError(
            f"{folder / 'manifest.json'}: {key} file {file_name!r} is not a "
            "plain file name in the version's folder; refusing to load it"
        )
    path = _checked_file(folder / file_name, folder)
    actual = sha256_of(path)
    if actual != expected:
        raise ModelLoadError(
            f"{path}: sha256 {actual[:12]}… does not match the manifest's "
            f"{expected[:12]}…; the file was changed after export: restore it "
            "or re-export the model with `dvc repro`"
        )
    return path, actual


def check_sklearn(manifest: dict, folder: Path) -> None:
    wanted = manifest.get("sklearn_version")
    try:
        installed = metadata.version("scikit-learn")
    except metadata.PackageNotFoundError:
        installed = None
    if wanted != installed:
        raise ModelLoadError(
            f"{folder / 'model.pkl'}: exported with scikit-learn {wanted}, but "
            f"{installed} is installed; install the pinned dependencies "
            "(make install) or retrain with `dvc repro`"
        )


def load(name: str, version: str | int = "champion", root: Path | None = None) -> LoadedModel:
    """Load `name` at `version` (a number, 'champion' or 'latest'), hash-checked."""
    folder, manifest = read_manifest(name, version, root)
    check_sklearn(manifest, folder)
    _, pickle_sha = verified_file(folder, manifest, "model")
    predictor_path, _ = verified_file(folder, manifest, "predictor")
    try:
        predictor = FastLinearModel.load(predictor_path)
    except EncoderError as exc:  # the sentence encoder it needs is missing or another one
        raise ModelLoadError(f"{name} version {manifest['version']}: {exc}") from None
    except (OSError, ValueError, KeyError) as exc:
        raise ModelLoadError(
            f"{predictor_path}: unreadable predictor ({exc}); re-export the model with `dvc repro`"
        ) from None
    return LoadedModel(
        name=name,
        version=manifest["version"],
        sha256=pickle_sha,
        manifest=manifest,
        predictor=predictor,
        path=folder,
    )


def load_estimator(name: str, version: str | int = "champion", root: Path | None = None) -> Any:
    """Unpickle the scikit-learn pipeline itself, after the same checks as `load`."""
    import pickle

    folder, manifest = read_manifest(name, version, root)
    check_sklearn(manifest, folder)
    path, _ = verified_file(folder, manifest, "model")
    with open(path, "rb") as handle:
        return pickle.load(handle)  # noqa: S301 - sha256 checked against the manifest above


def _model_root(name: str, root: Path | None) -> Path:
    if not _NAME.match(name):
        raise ModelLoadError(f"model name {name!r} is not a plain name like 'ticket-department'")
    return (root if root is not None else models_dir()) / name


def _alias(base: Path, name: str, alias: str) -> int:
    if alias == "latest":
        versions = list_versions(name, base.parent)
        if not versions:
            raise ModelLoadError(
                f"model {name!r} has no exported version in {base}: "
                "run `dvc repro` (or `make run`) to train and export one"
            )
        return versions[-1]
    aliases_path = base / "aliases.json"
    try:
        aliases = json.loads(_checked_file(aliases_path, base).read_text(encoding="utf-8"))
    except ModelLoadError:
        raise ModelLoadError(
            f"model {name!r} has no alias {alias!r} ({aliases_path} is missing): "
            "run `dvc repro` (or `make run`) to train and register one"
        ) from None
    except (OSError, ValueError) as exc:
        raise ModelLoadError(f"{aliases_path}: unreadable ({exc}); run `dvc repro`") from None
    value = aliases.get(alias)
    if not isinstance(value, int):
        raise ModelLoadError(
            f"model {name!r} has no version with alias {alias!r} "
            f"({aliases_path}): pick a version number or retrain with "
            "`dvc repro`"
        )
    return value


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _checked_file(path: Path, folder: Path) -> Path:
    """`path` if it is a regular file inside `folder` and not a symbolic link."""
    if path.is_symlink() or not _inside(path, folder):
        raise ModelLoadError(f"{path}: is a link or lies outside {folder}; refusing to load it")
    if not path.is_file():
        raise ModelLoadError(f"{path}: missing; re-export the model with `dvc repro`")
    return path
