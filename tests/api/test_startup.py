"""Start-up: the model version is pinned by settings; anything unusable stops the start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from api.config import Settings, get_settings
from api.db import make_engine
from api.errors import StartupError
from api.main import load_settings

FRENCH_IT = "Mon ordinateur portable ne démarre plus, l'écran reste noir"


@pytest.fixture
def models_copy(models_root: Path, tmp_path: Path) -> Path:
    """A writable copy of the test models, to damage."""
    copy = tmp_path / "models"
    shutil.copytree(models_root, copy)
    return copy


def refusal(make_client, **settings: object) -> str:
    with pytest.raises(StartupError) as caught:
        make_client(**settings)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("version", "served"), [("champion", 1), ("1", 1), ("2", 2), ("latest", 2)]
)
def test_model_version_setting_picks_the_served_model(
    make_client, version: str, served: int
) -> None:
    client = make_client(department_model_version=version)

    assert client.get("/health").json()["model"]["version"] == served
    assert client.post("/classify", json={"text": "hello"}).json()["model_version"] == served


def test_pinned_versions_really_differ(make_client) -> None:
    one = make_client(department_model_version="1")
    two = make_client(department_model_version="2")

    decided_by_one = one.post("/tickets", json={"description": FRENCH_IT}).json()
    decided_by_two = two.post("/tickets", json={"description": FRENCH_IT}).json()

    assert (decided_by_one["model_version"], decided_by_one["department"]) == (1, "IT")
    assert decided_by_two["model_version"] == 2
    assert decided_by_two["confidence"] != decided_by_one["confidence"]


def test_model_version_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DEPARTMENT_MODEL_VERSION", "2")

    assert Settings().department_model_version == "2"


def test_missing_version_stops_the_start(make_client) -> None:
    message = refusal(make_client, department_model_version="7")

    assert "no version 7" in message and "pick an existing version" in message


@pytest.mark.parametrize("version", ["../1", "/etc/passwd", "1/../../x", ".."])
def test_version_that_could_leave_the_models_folder_stops_the_start(
    make_client, version: str
) -> None:
    message = refusal(make_client, department_model_version=version)

    assert "is not a number" in message and repr(version) in message


def test_tampered_pickle_stops_the_start(make_client, models_copy: Path) -> None:
    pickle = models_copy / "ticket-department" / "1" / "model.pkl"
    pickle.write_bytes(pickle.read_bytes() + b"tampered")

    message = refusal(make_client, models_dir=models_copy)

    assert "sha256" in message and "model.pkl" in message


def test_missing_models_folder_stops_the_start(make_client, tmp_path: Path) -> None:
    message = refusal(make_client, models_dir=tmp_path / "nowhere")

    assert "ticket-department" in message


def test_edited_manifest_stops_the_start(make_client, models_copy: Path) -> None:
    manifest = models_copy / "ticket-department" / "1" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["name"] = "other"
    manifest.write_text(json.dumps(data))

    assert "manifest" in refusal(make_client, models_dir=models_copy)


def test_bad_rules_file_stops_the_start(make_client, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - department: Marketing\n    keywords: [campaign]\n")

    message = refusal(make_client, rules_path=rules)

    assert str(rules) in message and "Marketing" in message


def test_unreachable_database_stops_the_start(make_client) -> None:
    message = refusal(make_client, database_url="postgresql+psycopg://u:secret@127.0.0.1:1/x")

    assert "TRIAGE_DATABASE_URL" in message
    assert "secret" not in message


def test_invalid_setting_stops_the_start_naming_the_variable(monkeypatch) -> None:
    monkeypatch.setenv("TRIAGE_CONFIDENCE_THRESHOLD", "1.5")
    get_settings.cache_clear()
    try:
        with pytest.raises(StartupError, match=r"^TRIAGE_CONFIDENCE_THRESHOLD: .*1"):
            load_settings(FastAPI())
    finally:
        get_settings.cache_clear()


def test_start_without_migrations_needs_an_existing_schema(make_client) -> None:
    make_client()  # migrates

    client = make_client(migrate_on_start=False)

    assert client.get("/health").json()["database"] is True


def test_database_at_an_unknown_revision_stops_the_start(make_client, database_url: str) -> None:
    make_client()  # migrates to HEAD
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()

    message = refusal(make_client)

    assert "f00d" in message and "TRIAGE_DATABASE_URL" in message


def test_unusable_database_url_stops_the_start(make_client) -> None:
    message = refusal(make_client, database_url="nosuchdb://somewhere")

    assert message.startswith("TRIAGE_DATABASE_URL is unusable")
