"""API test fixtures: the app on a fresh database per test, SQLite and (when reachable) PostgreSQL.

PostgreSQL: TRIAGE_TEST_POSTGRES_URL, default postgresql+psycopg://postgres@127.0.0.1:5432/test.
Each test gets its own schema (through the URL's search_path, so the service code is the one
that runs in production) and the schema is dropped afterwards. With CI=true an unreachable
server fails the PostgreSQL variants instead of skipping them.

Keys: every app accepts the TEST_KEYS below (through TRIAGE_API_KEYS); clients send the admin
key unless a test sends another with `headers=as_role("requester")`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import StarletteDeprecationWarning

from api.config import Settings, get_settings
from api.main import create_app
from bench import servers

with warnings.catch_warnings():
    # Starlette 1.x asks for httpx2 behind its TestClient; the project pins httpx 0.28.
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# label -> (key, role); two requesters, to tell "mine" from "someone else's".
TEST_KEYS = {
    "admin": ("test-admin-key", "admin"),
    "agent": ("test-agent-key", "agent"),
    "requester": ("test-requester-key", "requester"),
    "other-requester": ("test-other-requester-key", "requester"),
}
TEST_API_KEYS = ",".join(f"{key}={role}" for key, role in TEST_KEYS.values())
ADMIN_HEADERS = {"X-API-Key": TEST_KEYS["admin"][0]}

MakeClient = Callable[..., TestClient]


def _clear_triage_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("TRIAGE_") and name != "TRIAGE_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _no_triage_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings come from each test, never from the shell that runs pytest."""
    _clear_triage_environment(monkeypatch)


def isolated_settings(**values: object) -> Settings:
    """Settings from these values (and the test keys) alone, whatever the shell has."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_triage_environment(monkeypatch)
        return Settings(**{"api_keys": TEST_API_KEYS, **values})


@pytest.fixture
def as_role() -> Callable[[str], dict[str, str]]:
    """The X-API-Key header of one of the TEST_KEYS, by label."""
    return lambda label: {"X-API-Key": TEST_KEYS[label][0]}


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The test server's URL, or None when it does not answer."""
    url = os.environ.get("TRIAGE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return url
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def require_postgres(postgres_url: str | None) -> str:
    """The server's URL; skip (or, with CI=true, fail) when it does not answer."""
    if postgres_url is None:
        where = os.environ.get("TRIAGE_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
        reason = f"PostgreSQL at {make_url(where).render_as_string()} is not reachable"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must run the PostgreSQL tests")
        pytest.skip(reason)
    return postgres_url


@contextmanager
def fresh_database(kind: str, folder: Path, postgres_url: str | None) -> Iterator[str]:
    """An empty database: a SQLite file in `folder`, or a PostgreSQL schema dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'var' / 'triage.db'}"
        return
    server_url = require_postgres(postgres_url)
    with servers.postgres_schema(server_url, "test") as url:
        yield url


BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[str]:
    """A fresh, empty database for one test."""
    with fresh_database(request.param, tmp_path, postgres_url) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_client(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str | None,
    models_root: Path,
) -> Iterator[TestClient]:
    """One app for a whole module, for tests that must leave the database untouched."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db"), postgres_url) as url:
        app = create_app()
        settings = isolated_settings(database_url=url, models_dir=models_root)
        app.dependency_overrides[get_settings] = lambda: settings
        with TestClient(app, headers=ADMIN_HEADERS) as client:
            yield client


@pytest.fixture
def make_settings(database_url: str, models_root: Path) -> Callable[..., Settings]:
    """Settings for the test database and the trained test models, plus any overrides."""

    def make(**overrides: object) -> Settings:
        values = {"database_url": database_url, "models_dir": models_root, **overrides}
        return isolated_settings(**values)

    return make


@pytest.fixture
def make_client(make_settings: Callable[..., Settings]) -> Iterator[MakeClient]:
    """Start the app (lifespan included) with settings overrides; stopped after the test."""
    started: list[TestClient] = []

    def make(*, raise_server_exceptions: bool = True, **overrides: object) -> TestClient:
        app = create_app()
        settings = make_settings(**overrides)
        app.dependency_overrides[get_settings] = lambda: settings
        client = TestClient(
            app, raise_server_exceptions=raise_server_exceptions, headers=ADMIN_HEADERS
        )
        client.__enter__()
        started.append(client)
        return client

    yield make
    for client in reversed(started):
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: MakeClient) -> TestClient:
    return make_client()


@pytest.fixture
def create(client: TestClient) -> Callable[..., dict]:
    """POST a ticket and return its JSON, checking it was created."""

    def create_ticket(description: str, **fields: object) -> dict:
        response = client.post("/tickets", json={"description": description, **fields})
        assert response.status_code == 201, response.text
        return response.json()

    return create_ticket


@pytest.fixture
def run_without_database() -> Callable[..., subprocess.CompletedProcess]:
    """Runs `python -m <module> <args>` against a PostgreSQL URL nobody listens on (with a
    password, which the error must not print)."""

    def run(module: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            timeout=60,
            env={
                "TRIAGE_DATABASE_URL": "postgresql+psycopg://u:pw@127.0.0.1:1/x",
                "PATH": "/usr/bin:/bin",
            },
        )

    return run
