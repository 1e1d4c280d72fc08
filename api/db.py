"""Engine and session factory, built from settings in the lifespan (never at import)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

SQLITE_BUSY_TIMEOUT_MS = 5000
WRITE_LOCK = "write_lock"  # Session.info key


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets its folder created and WAL + busy timeout set."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_size=10, max_overflow=20)
    database = parsed.database or ""
    if not database or database == ":memory:":  # one connection per thread, no pool sizing
        engine = create_engine(parsed)
    else:
        if not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            parsed, connect_args={"check_same_thread": False}, pool_size=10, max_overflow=20
        )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit: a created ticket needs no re-read.

    On SQLite they share one write lock (see `writing`); other databases need none.
    """
    lock = threading.Lock() if engine.dialect.name == "sqlite" else None
    return sessionmaker(engine, expire_on_commit=False, info={WRITE_LOCK: lock})


@contextmanager
def writing(session: Session) -> Iterator[Session]:
    """Hold the process's SQLite write lock around one write transaction (add ... commit).

    SQLite lets one connection write at a time; the others retry on busy_timeout, sleeping
    1, 2, 5 ... 100 ms between tries while the lock sits free. Waiting on a thread lock
    instead hands the database to the next writer at once: no sleeps, no 300 ms tails.
    Other processes on the same file still meet busy_timeout.
    """
    lock = session.info.get(WRITE_LOCK)
    if lock is None:
        yield session
        return
    with lock:
        yield session


async def close_session(session: Session) -> None:
    """Close a request's session from async code: inline when its work is committed (nothing
    to release), in a worker thread when a transaction still holds a connection (a rollback).
    """
    if session.in_transaction():
        await run_in_threadpool(session.close)
    else:
        session.close()


def safe_url(engine: Engine) -> str:
    """The database URL without its password, fit for a log line."""
    return engine.url.render_as_string(hide_password=True)
