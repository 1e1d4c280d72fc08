"""/health, the OpenAPI page, and how the service answers when a dependency or the code fails."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from api.deps import get_router, get_session
from textclf.store import sha256_of

UNREACHABLE = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


def unreachable_session() -> Iterator[Session]:
    engine = create_engine(UNREACHABLE, connect_args={"connect_timeout": 2})
    try:
        with Session(engine) as session:
            yield session
    finally:
        engine.dispose()


def test_health_names_the_database_and_the_model(client: TestClient, models_root) -> None:
    response = client.get("/health")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": True,
        "model": {
            "name": "ticket-department",
            "version": 1,
            "threshold": 0.5,
            "sha256": sha256_of(models_root / "ticket-department" / "1" / "model.pkl"),
        },
    }


def test_health_is_503_when_the_database_does_not_answer(client: TestClient) -> None:
    client.app.dependency_overrides[get_session] = unreachable_session

    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["database"] is False
    assert response.json()["model"]["version"] == 1


def test_database_outage_during_a_request_is_503_json(client: TestClient) -> None:
    client.app.dependency_overrides[get_session] = unreachable_session

    response = client.post("/tickets", json={"description": "The invoice was paid twice"})

    assert response.status_code == 503
    assert response.json() == {"detail": "The database is unavailable; try again later."}


class BrokenRouter:
    def route(self, text: str) -> None:
        raise RuntimeError("secret internal detail")


def test_unexpected_error_is_a_bare_500_json(make_client) -> None:
    client = make_client(raise_server_exceptions=False)
    client.app.dependency_overrides[get_router] = BrokenRouter

    response = client.post("/classify", json={"text": "anything"})

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error."}
    assert "secret" not in response.text


def test_openapi_documents_every_endpoint_with_examples(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    paths = schema["paths"]
    assert set(paths) == {
        "/tickets",
        "/tickets/{ticket_id}",
        "/classify",
        "/keys",
        "/keys/{key_id}",
        "/health",
    }
    assert set(paths["/tickets"]) == {"get", "post"}
    assert set(paths["/tickets/{ticket_id}"]) == {"get", "delete"}
    assert set(paths["/keys"]) == {"get", "post"}
    assert set(paths["/keys/{key_id}"]) == {"delete"}
    for path, method in [("/tickets", "post"), ("/classify", "post")]:
        examples = paths[path][method]["requestBody"]["content"]["application/json"]["examples"]
        assert {"english", "french"} <= set(examples)
    assert "examples" in schema["components"]["schemas"]["TicketPublic"]
    assert client.get("/docs").status_code == 200
