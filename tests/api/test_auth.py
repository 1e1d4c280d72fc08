"""X-API-Key: 401 without a valid key, 403 for a role that may not; requesters see their own."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

ENGLISH_IT = "My laptop won't turn on this morning"
NO_KEY = {"X-API-Key": ""}

PROTECTED = [
    ("POST", "/tickets", {"description": ENGLISH_IT}),
    ("GET", "/tickets", None),
    ("GET", "/tickets/1", None),
    ("DELETE", "/tickets/1", None),
    ("POST", "/classify", {"text": ENGLISH_IT}),
    ("POST", "/keys", {"name": "mallory", "role": "admin"}),
    ("GET", "/keys", None),
    ("DELETE", "/keys/1", None),
]
PROTECTED_IDS = [f"{method} {path}" for method, path, _ in PROTECTED]


@pytest.fixture
def client(module_client: TestClient) -> TestClient:
    """Refusals change nothing, so one app per database serves the whole module's reads."""
    return module_client


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED, ids=PROTECTED_IDS)
@pytest.mark.parametrize(
    "headers",
    [NO_KEY, {"X-API-Key": "not-a-key"}, {"X-API-Key": "tt_" + "A" * 43}],
    ids=["missing", "unknown", "unknown-generated-shape"],
)
def test_request_without_a_valid_key_is_401(
    client: TestClient, method: str, path: str, body: dict | None, headers: dict
) -> None:
    response = client.request(method, path, json=body, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "ApiKey"
    assert response.json()["detail"] in {
        "Missing X-API-Key header: every endpoint but /health needs a key",
        "Unknown or revoked API key",
    }


@pytest.mark.parametrize("path", ["/health", "/docs", "/openapi.json"])
def test_health_and_docs_need_no_key(client: TestClient, path: str) -> None:
    assert client.get(path, headers=NO_KEY).status_code == 200


@pytest.mark.parametrize(
    ("label", "method", "path", "body"),
    [
        ("requester", "DELETE", "/tickets/1", None),
        ("requester", "GET", "/keys", None),
        ("requester", "POST", "/keys", {"name": "me", "role": "admin"}),
        ("agent", "GET", "/keys", None),
        ("agent", "POST", "/keys", {"name": "me", "role": "admin"}),
        ("agent", "DELETE", "/keys/1", None),
    ],
)
def test_role_that_may_not_is_403(
    client: TestClient, as_role, label: str, method: str, path: str, body: dict | None
) -> None:
    response = client.request(method, path, json=body, headers=as_role(label))

    assert response.status_code == 403
    assert "key or above; yours is a" in response.json()["detail"]


def test_openapi_declares_the_key_header_on_protected_operations(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()

    scheme = schema["components"]["securitySchemes"]["APIKeyHeader"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")
    for method, path, _ in PROTECTED:
        template = "/keys/{key_id}" if path == "/keys/1" else path
        operation = schema["paths"][template.replace("/1", "/{ticket_id}")][method.lower()]
        assert operation["security"] == [{"APIKeyHeader": []}]
        assert {"401", "403"} <= set(operation["responses"])
    assert "security" not in schema["paths"]["/health"]["get"]
