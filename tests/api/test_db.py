"""The engine: SQLite gets its folder, WAL, a busy timeout and foreign keys on every connection;
its writers queue on one lock; request sessions give their connection back when closed."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from sqlalchemy import text

from api.db import (
    SQLITE_BUSY_TIMEOUT_MS,
    WRITE_LOCK,
    close_session,
    make_engine,
    make_sessionmaker,
    safe_url,
    writing,
)


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


def test_sqlite_sessions_share_one_write_lock_and_postgres_needs_none(tmp_path: Path) -> None:
    sqlite = make_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    postgres = make_engine("postgresql+psycopg://user@db.example/triage")
    try:
        sessions = make_sessionmaker(sqlite)
        first, second = sessions(), sessions()
        assert first.info[WRITE_LOCK] is second.info[WRITE_LOCK] is not None
        assert make_sessionmaker(postgres)().info[WRITE_LOCK] is None
    finally:
        sqlite.dispose()
        postgres.dispose()


def test_a_second_writer_waits_for_the_first_instead_of_sleeping_on_busy(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    sessions = make_sessionmaker(engine)
    first_writing, second_done = threading.Event(), threading.Event()

    def second_writer() -> None:
        first_writing.wait()
        with sessions() as session, writing(session):
            second_done.set()

    thread = threading.Thread(target=second_writer)
    thread.start()
    try:
        with sessions() as session, writing(session):
            first_writing.set()
            assert not second_done.wait(0.2)
        assert second_done.wait(5)
    finally:
        first_writing.set()
        thread.join()
        engine.dispose()


def test_closing_a_session_gives_its_connection_back(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    sessions = make_sessionmaker(engine)
    try:
        reading, idle = sessions(), sessions()
        reading.execute(text("SELECT 1"))  # a transaction holds a connection until closed
        assert engine.pool.checkedout() == 1

        asyncio.run(close_session(reading))
        asyncio.run(close_session(idle))

        assert engine.pool.checkedout() == 0
        assert not reading.in_transaction()
    finally:
        engine.dispose()
