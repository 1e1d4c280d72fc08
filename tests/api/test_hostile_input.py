"""Hostile input: refused with a 4xx JSON answer, or stored and returned verbatim; never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.schemas import MAX_ID, MAX_KEY_ID

JSON = {"content-type": "application/json"}
SQL = [
    "'; DROP TABLE tickets; --",
    "1' OR '1'='1",
    "Robert'); DELETE FROM api_keys; --",
    "%' UNION SELECT key_hash, NULL FROM api_keys --",
]
HTML = [
    "<script>alert(document.cookie)</script>",
    '<img src=x onerror="alert(1)">',
    "{{7*7}} ${7*7} <%= 7*7 %>",
]
CONTROL = "tab\there, bell\x07, escape \x1b[31mred\x1b[0m, DEL\x7f, \u2028\u200b\ufeff end"


def post_raw(client: TestClient, path: str, body: bytes):
    return client.post(path, content=body, headers=JSON)


@pytest.mark.parametrize("text", [*SQL, *HTML, CONTROL], ids=lambda t: t[:12])
def test_injection_strings_are_stored_and_returned_verbatim(client: TestClient, text) -> None:
    created = client.post(
        "/tickets", json={"title": text[:200], "description": text, "requester": text}
    )

    assert created.status_code == 201
    assert created.headers["content-type"] == "application/json"
    ticket = client.get(f"/tickets/{created.json()['id']}").json()
    assert (ticket["title"], ticket["description"], ticket["requester"]) == (text[:200], text, text)


@pytest.mark.parametrize("text", SQL)
def test_sql_in_a_search_finds_only_the_literal_text(client: TestClient, text: str) -> None:
    client.post("/tickets", json={"description": "The supplier invoice was paid twice"})
    client.post("/tickets", json={"description": f"quoted: {text}"})

    found = client.get("/tickets", params={"q": text}).json()

    assert found["total"] == 1 and found["items"][0]["description"] == f"quoted: {text}"
    assert client.get("/tickets").json()["total"] == 2
    assert client.get("/keys").status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/tickets", {"description": "ok", "title": "a\u0000"}, ["body", "title"]),
        ("/tickets", {"description": "ok", "requester": "\u0000"}, ["body", "requester"]),
        ("/classify", {"text": "a\u0000b"}, ["body", "text"]),
        ("/keys", {"name": "a\u0000b", "role": "agent"}, ["body", "name"]),
    ],
    ids=["title", "requester", "classify", "key-name"],
)
def test_nul_characters_are_refused_in_every_text_field(
    client: TestClient, path: str, body: dict, loc: list
) -> None:
    response = client.post(path, json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc
    assert client.get("/tickets").json()["total"] == 0


def test_lone_surrogate_is_a_422_not_a_500(client: TestClient) -> None:
    response = post_raw(client, "/tickets", b'{"description": "broken \\ud800 pair"}')

    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "string_unicode"


@pytest.mark.parametrize(
    "body",
    [b'{"description": "caf\xe9"}', b"\xff\xfe{\x00}\x00", b'{"description": "\xed\xa0\x80"}'],
    ids=["latin-1", "utf-16", "encoded-surrogate"],
)
def test_invalid_utf8_is_a_client_error(client: TestClient, body: bytes) -> None:
    response = post_raw(client, "/tickets", body)

    assert response.status_code in {400, 422}
    assert "detail" in response.json()
    assert client.get("/tickets").json()["total"] == 0


@pytest.mark.parametrize("depth", [50, 900, 5000, 20_000])
def test_deeply_nested_json_is_a_client_error(client: TestClient, depth: int) -> None:
    as_value = b'{"description": ' + b"[" * depth + b"]" * depth + b"}"
    as_unknown_field = b'{"description": "x", "x": ' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"

    for body in (as_value, as_unknown_field):
        response = post_raw(client, "/tickets", body)
        assert response.status_code in {400, 413, 422}, response.text[:200]
        assert "detail" in response.json()
    assert client.get("/tickets").json()["total"] == 0


@pytest.mark.parametrize("key_id", ["0", "-1", "-9223372036854775808", str(MAX_KEY_ID + 1), "1e3"])
def test_key_id_that_is_not_a_positive_integer_is_refused(client: TestClient, key_id) -> None:
    response = client.delete(f"/keys/{key_id}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "key_id"]


@pytest.mark.parametrize(("path", "largest"), [("/tickets", MAX_ID), ("/keys", MAX_KEY_ID)])
def test_largest_id_is_a_plain_404(client: TestClient, path: str, largest: int) -> None:
    response = client.delete(f"{path}/{largest}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    "key",
    [b"k\xe9y", b"\x00", b"x" * 8000, b"test-admin-key\x00"],
    ids=["latin-1", "nul", "long", "suffix"],
)
def test_strange_key_headers_are_401(client: TestClient, key: bytes) -> None:
    response = client.get("/tickets", headers={"X-API-Key": key})

    assert response.status_code == 401


def test_strange_query_bytes_are_not_an_error(client: TestClient) -> None:
    response = client.get("/tickets?q=%FF%FE%00")
    undecodable_id = client.get("/tickets/%FF")

    assert response.status_code in {200, 422}
    assert undecodable_id.status_code == 422
