"""Bad input gets a 4xx JSON error naming the field and the reason, and stores nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.schemas import DESCRIPTION_MAX

VALID = "My laptop won't turn on this morning"


@pytest.fixture
def client(module_client: TestClient) -> TestClient:
    """One app per database for the module: every request here must leave it empty."""
    return module_client


def assert_refused(response, loc: list, error_type: str, status: int = 422) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    errors = response.json()["detail"]
    assert isinstance(errors, list) and errors
    assert any(
        e["loc"][: len(loc)] == loc and e["type"] == error_type and e["msg"] for e in errors
    ), errors
    return errors[0]


def assert_nothing_stored(client: TestClient) -> None:
    assert client.get("/tickets").json() == {"items": [], "total": 0}


@pytest.mark.parametrize(
    ("body", "loc", "error_type"),
    [
        ({}, ["body", "description"], "missing"),
        ({"title": "Laptop"}, ["body", "description"], "missing"),
        ({"description": ""}, ["body", "description"], "value_error"),
        ({"description": "   \n\t "}, ["body", "description"], "value_error"),
        ({"description": None}, ["body", "description"], "string_type"),
        ({"description": 42}, ["body", "description"], "string_type"),
        ({"description": ["a", "list"]}, ["body", "description"], "string_type"),
        ({"description": "x" * (DESCRIPTION_MAX + 1)}, ["body", "description"], "string_too_long"),
        ({"description": "a\u0000b"}, ["body", "description"], "value_error"),
        ({"description": VALID, "title": 12}, ["body", "title"], "string_type"),
        ({"description": VALID, "title": "t" * 201}, ["body", "title"], "string_too_long"),
        ({"description": VALID, "requester": True}, ["body", "requester"], "string_type"),
        ({"description": VALID, "department": "IT"}, ["body", "department"], "extra_forbidden"),
    ],
    ids=[
        "empty-object",
        "no-description",
        "empty",
        "whitespace",
        "null",
        "number",
        "list",
        "too-long",
        "nul-character",
        "title-number",
        "title-too-long",
        "requester-bool",
        "unknown-field",
    ],
)
def test_create_refuses_bad_fields(
    client: TestClient, body: dict, loc: list, error_type: str
) -> None:
    response = client.post("/tickets", json=body)

    assert_refused(response, loc, error_type)
    assert_nothing_stored(client)


def test_blank_description_error_says_why(client: TestClient) -> None:
    error = assert_refused(
        client.post("/tickets", json={"description": "  "}), ["body", "description"], "value_error"
    )

    assert "empty or only whitespace" in error["msg"]


@pytest.mark.parametrize(
    ("content", "content_type", "error_type"),
    [
        (b"this is not json", "application/json", "json_invalid"),
        (b'{"description": "unterminated', "application/json", "json_invalid"),
        (b'["a", "list"]', "application/json", "model_attributes_type"),
        (b'"a string"', "application/json", "model_attributes_type"),
        (b'{"description": "x"}', "text/plain", "model_attributes_type"),
        (b"", "application/json", "missing"),
    ],
    ids=["text", "truncated", "array", "string", "not-json-content-type", "empty"],
)
@pytest.mark.parametrize("path", ["/tickets", "/classify"])
def test_body_that_is_not_a_json_object_is_refused(
    client: TestClient, path: str, content: bytes, content_type: str, error_type: str
) -> None:
    response = client.post(path, content=content, headers={"content-type": content_type})

    assert_refused(response, ["body"], error_type)
    assert_nothing_stored(client)


@pytest.mark.parametrize("ticket_id", ["abc", "0", "-1", "1.5", "1e3", "9" * 20])
@pytest.mark.parametrize("method", ["GET", "DELETE"])
def test_id_that_is_not_a_positive_integer_is_refused(
    client: TestClient, method: str, ticket_id: str
) -> None:
    response = client.request(method, f"/tickets/{ticket_id}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "ticket_id"]


@pytest.mark.parametrize(
    ("query", "loc", "error_type"),
    [
        ({"department": "Marketing"}, ["query", "department"], "enum"),
        ({"department": "it"}, ["query", "department"], "enum"),
        ({"limit": 0}, ["query", "limit"], "greater_than_equal"),
        ({"limit": 101}, ["query", "limit"], "less_than_equal"),
        ({"limit": "ten"}, ["query", "limit"], "int_parsing"),
        ({"offset": -1}, ["query", "offset"], "greater_than_equal"),
        ({"offset": "9" * 20}, ["query", "offset"], "less_than_equal"),
        ({"q": "x" * 201}, ["query", "q"], "string_too_long"),
        ({"q": "a\u0000b"}, ["query", "q"], "value_error"),
        ({"sort": "id"}, ["query", "sort"], "extra_forbidden"),
    ],
    ids=[
        "unknown-department",
        "department-case",
        "limit-zero",
        "limit-too-big",
        "limit-text",
        "offset-negative",
        "offset-huge",
        "q-too-long",
        "q-nul",
        "unknown-parameter",
    ],
)
def test_list_refuses_bad_query_parameters(
    client: TestClient, query: dict, loc: list, error_type: str
) -> None:
    assert_refused(client.get("/tickets", params=query), loc, error_type)


@pytest.mark.parametrize(
    ("body", "loc", "error_type"),
    [
        ({}, ["body", "text"], "missing"),
        ({"text": " "}, ["body", "text"], "value_error"),
        ({"text": 3}, ["body", "text"], "string_type"),
        ({"text": "x" * (DESCRIPTION_MAX + 1)}, ["body", "text"], "string_too_long"),
        ({"description": VALID}, ["body", "description"], "extra_forbidden"),
    ],
    ids=["missing", "blank", "number", "too-long", "ticket-shaped"],
)
def test_classify_refuses_bad_text(
    client: TestClient, body: dict, loc: list, error_type: str
) -> None:
    assert_refused(client.post("/classify", json=body), loc, error_type)


def test_unknown_path_and_method_are_json_errors(client: TestClient) -> None:
    missing = client.get("/nowhere")
    wrong_method = client.put("/tickets/1", json={"description": VALID})

    assert (missing.status_code, missing.json()) == (404, {"detail": "Not Found"})
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "Method Not Allowed"}
