"""End to end: `uvicorn api.main:app` as a real process, over HTTP, on a temporary database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import servers
from bench.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
API_KEY = "server-test-key"


def server_env(tmp_path: Path, models_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(
        TRIAGE_DATABASE_URL=f"sqlite:///{tmp_path / 'var' / 'triage.db'}",
        TRIAGE_MODELS_DIR=str(models_root),
        TRIAGE_API_KEYS=f"{API_KEY}=admin",
        **extra,
    )
    return env


def uvicorn(port: int, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        servers.command(servers.SERVICE_APP, port),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_up(process: subprocess.Popen, base: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {process.stderr.read()}")
        try:
            httpx.get(f"{base}/health", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail("the server did not answer within 30 s")


def serve(base_tmp: Path, models: Path, **extra: str) -> Iterator[httpx.Client]:
    """Run the server until the generator is closed; an httpx client pointed at it."""
    port = free_port()
    process = uvicorn(port, server_env(base_tmp, models, **extra))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(process, base)
        with httpx.Client(base_url=base, timeout=10, headers={"X-API-Key": API_KEY}) as client:
            yield client
    finally:
        process.terminate()
        try:
            process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


@pytest.fixture(scope="module")
def models_champion_2(models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test models with `champion` moved to version 2, so that pinning 1 shows."""
    copy = tmp_path_factory.mktemp("server") / "models"
    shutil.copytree(models_root, copy)
    (copy / "ticket-department" / "aliases.json").write_text(json.dumps({"champion": 2}))
    return copy


@pytest.fixture(scope="module")
def server(models_champion_2: Path) -> Iterator[httpx.Client]:
    """One server for the module, pinned to version 1 (champion is 2)."""
    yield from serve(
        models_champion_2.parent, models_champion_2, TRIAGE_DEPARTMENT_MODEL_VERSION="1"
    )


def test_round_trip_over_http(server: httpx.Client) -> None:
    created = server.post(
        "/tickets",
        json={
            "title": "Portable",
            "description": "Mon ordinateur portable ne démarre plus, l'écran reste noir",
        },
    )
    assert created.status_code == 201
    ticket = created.json()
    location = created.headers["location"]
    assert location.endswith(f"/tickets/{ticket['id']}")

    listed = server.get("/tickets").json()
    assert listed == {"items": [ticket], "total": 1}
    assert server.get(location).json() == ticket
    assert server.delete(location).status_code == 204
    assert server.get(location).status_code == 404


def test_classify_routes_french_and_english(server: httpx.Client) -> None:
    french = server.post(
        "/classify", json={"text": "Le chauffage est en panne dans la salle de réunion du 3e étage"}
    ).json()
    english = server.post("/classify", json={"text": "The supplier invoice was paid twice"}).json()

    assert (french["language"], french["department"], french["routed_by"]) == (
        "fr",
        "Facilities",
        "model",
    )
    assert (english["language"], english["department"], english["routed_by"]) == (
        "en",
        "Finance",
        "model",
    )


def test_pinned_version_1_is_served_although_champion_is_2(server: httpx.Client) -> None:
    health = server.get("/health").json()

    assert health["status"] == "ok" and health["database"] is True
    assert health["model"]["name"] == "ticket-department"
    assert health["model"]["version"] == 1


def test_champion_is_served_when_no_version_is_pinned(
    models_champion_2: Path, tmp_path: Path
) -> None:
    for client in serve(tmp_path, models_champion_2):
        assert client.get("/health").json()["model"]["version"] == 2


def test_bad_model_version_stops_the_server_with_one_line(
    tmp_path: Path, models_root: Path
) -> None:
    env = server_env(tmp_path, models_root, TRIAGE_DEPARTMENT_MODEL_VERSION="9")

    process = uvicorn(free_port(), env)
    _, stderr = process.communicate(timeout=30)

    assert process.returncode != 0
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if "Cannot start:" in line]
    assert len(errors) == 1
    assert "no version 9" in errors[0] and "pick an existing version" in errors[0]


def test_huge_body_is_413_over_http_and_nothing_is_stored(server: httpx.Client) -> None:
    before = server.get("/tickets").json()["total"]

    response = server.post(
        "/tickets", content=b"x" * 5_000_000, headers={"content-type": "application/json"}
    )

    assert response.status_code == 413
    assert response.json() == {"detail": "Request body larger than 65536 bytes"}
    assert server.get("/tickets").json()["total"] == before


def test_requests_without_a_key_are_refused_over_http(server: httpx.Client) -> None:
    anonymous = server.get("/tickets", headers={"X-API-Key": ""})
    wrong = server.post("/tickets", json={"description": "x"}, headers={"X-API-Key": "nope"})

    assert (anonymous.status_code, wrong.status_code) == (401, 401)
    assert server.get("/health", headers={"X-API-Key": ""}).status_code == 200
