"""The body limit: 413 JSON before a large body is read, whether declared or chunked."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.limits import DEFAULT_MAX_BODY_BYTES
from api.models import REQUESTER_MAX, TITLE_MAX
from api.schemas import DESCRIPTION_MAX

TOO_LARGE = {"detail": f"Request body larger than {DEFAULT_MAX_BODY_BYTES} bytes"}


@pytest.fixture
def client(module_client: TestClient) -> TestClient:
    """Every request here is refused or classifies: one app per database for the module."""
    return module_client


def chunks(body: bytes, size: int = 1000) -> Iterator[bytes]:
    """The body as a generator: the client sends it chunked, without Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def ticket_body(size: int) -> bytes:
    return json.dumps({"description": "x" * size}).encode()


@pytest.mark.parametrize("path", ["/tickets", "/classify", "/keys"])
def test_declared_body_over_the_limit_is_413(client: TestClient, path: str) -> None:
    response = client.post(
        path,
        content=ticket_body(DEFAULT_MAX_BODY_BYTES),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE
    assert client.get("/tickets").json()["total"] == 0


def test_huge_body_is_413_before_it_is_read(client: TestClient) -> None:
    sent: list[int] = []

    def endless() -> Iterator[bytes]:
        for _ in range(10_000):  # 640 MB if it were all read
            sent.append(1)
            yield b"x" * 65536

    response = client.post("/tickets", content=endless(), headers={"content-length": str(2**40)})

    assert response.status_code == 413
    assert len(sent) <= 1


def test_chunked_body_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post(
        "/classify",
        content=chunks(ticket_body(DEFAULT_MAX_BODY_BYTES)),
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json() == TOO_LARGE


def test_chunked_body_under_the_limit_is_read_whole(client: TestClient) -> None:
    body = json.dumps({"text": "The supplier invoice was paid twice " * 120}).encode()
    assert len(body) > 4000

    response = client.post(
        "/classify", content=chunks(body), headers={"content-type": "application/json"}
    )

    assert response.status_code == 200
    assert response.json()["department"] == "Finance"


def test_largest_valid_ticket_fits_under_the_default_limit(make_client) -> None:
    """Every field at its maximum, each character escaped as a JSON surrogate pair (12 bytes)."""
    astral = "\U0001f4bb"
    ticket = {
        "title": astral * TITLE_MAX,
        "description": astral * DESCRIPTION_MAX,
        "requester": astral * REQUESTER_MAX,
    }
    body = json.dumps(ticket, ensure_ascii=True).encode()

    response = make_client().post(
        "/tickets", content=body, headers={"content-type": "application/json"}
    )

    assert len(body) > 0.9 * DEFAULT_MAX_BODY_BYTES
    assert response.status_code == 201
    assert response.json()["description"] == ticket["description"]


def test_limit_comes_from_the_settings(make_client) -> None:
    client = make_client(max_body_bytes=2048)

    small = client.post("/classify", json={"text": "x" * 2000})
    large = client.post("/classify", json={"text": "x" * 2100})

    assert small.status_code == 200
    assert (large.status_code, large.json()) == (
        413,
        {"detail": "Request body larger than 2048 bytes"},
    )


def test_openapi_documents_413_on_every_body(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    for path in ("/tickets", "/classify", "/keys"):
        assert "413" in paths[path]["post"]["responses"]
