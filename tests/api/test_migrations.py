"""Alembic: the migrations build exactly the tables the models describe, on every database."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from api.db import make_engine
from api.migrate import HEAD, alembic_config, current_revision, ensure_current
from api.models import Base

ROOT = Path(__file__).resolve().parents[2]


def test_head_constant_is_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_heads() == [HEAD]


def test_migrations_match_the_models(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        ensure_current(engine)
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        ensure_current(engine)  # a second run is a no-op
    finally:
        engine.dispose()

    assert differences == []


def test_migrate_command_upgrades_the_configured_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'var' / 'cli.db'}"

    done = subprocess.run(
        [sys.executable, "-m", "api.migrate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"TRIAGE_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
    )

    assert done.returncode == 0, done.stderr
    assert f"is at revision {HEAD}" in done.stdout
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert current_revision(connection) == HEAD
    finally:
        engine.dispose()


def test_migrate_command_fails_in_one_line_when_the_database_is_unreachable(
    run_without_database: Callable[..., subprocess.CompletedProcess],
) -> None:
    done = run_without_database("api.migrate")

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "TRIAGE_DATABASE_URL" in done.stderr
    assert "pw" not in done.stderr
