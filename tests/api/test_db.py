"""The engine: SQLite gets its folder, WAL, a busy timeout and foreign keys on every connection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from api.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, safe_url


def test_sqlite_file_gets_its_folder_and_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'nested' / 'triage.db'}")
    try:
        with engine.connect() as connection:
            pragma = {
                name: connection.execute(text(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        engine.dispose()

    assert (tmp_path / "var" / "nested" / "triage.db").is_file()
    assert pragma == {
        "journal_mode": "wal",
        "busy_timeout": SQLITE_BUSY_TIMEOUT_MS,
        "foreign_keys": 1,
    }


def test_in_memory_sqlite_needs_no_folder() -> None:
    engine = make_engine("sqlite://")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
    finally:
        engine.dispose()


def test_safe_url_hides_the_password() -> None:
    engine = make_engine("postgresql+psycopg://user:s3cret@db.example/triage")
    try:
        assert safe_url(engine) == "postgresql+psycopg://user:***@db.example/triage"
    finally:
        engine.dispose()
