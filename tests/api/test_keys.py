"""API keys: admins make, list and revoke them; only a hash is stored; a known key is cached."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from api import keys
from api.auth import KeyRing, Principal, parse_env_keys
from api.config import Settings
from api.db import make_engine, make_sessionmaker
from api.errors import StartupError
from api.migrate import ensure_current
from api.models import ApiKey
from api.schemas import Role

ENGLISH_IT = "My laptop won't turn on this morning"


def make_key(client: TestClient, name: str = "alice", role: str = "requester") -> dict:
    response = client.post("/keys", json={"name": name, "role": role})
    assert response.status_code == 201, response.text
    return response.json()


def test_admin_makes_a_key_that_works_at_once(client: TestClient) -> None:
    made = make_key(client, "alice", "agent")

    response = client.get("/tickets", headers={"X-API-Key": made["key"]})

    assert set(made) == {"id", "name", "role", "created_at", "revoked_at", "key"}
    assert (made["name"], made["role"], made["revoked_at"]) == ("alice", "agent", None)
    assert keys.looks_generated(made["key"])
    assert response.status_code == 200


def test_only_the_keys_sha256_is_stored(client: TestClient, database_url: str) -> None:
    made = make_key(client)

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(select(ApiKey.__table__)).one()
    finally:
        engine.dispose()

    assert row.key_hash == keys.hash_key(made["key"])
    assert made["key"] not in [str(value) for value in row]


def test_list_shows_keys_without_the_keys_themselves(client: TestClient) -> None:
    first = make_key(client, "alice")
    second = make_key(client, "bob", "admin")

    listed = client.get("/keys").json()

    assert listed["total"] == 2
    assert [(k["id"], k["name"], k["role"]) for k in listed["items"]] == [
        (first["id"], "alice", "requester"),
        (second["id"], "bob", "admin"),
    ]
    assert all("key" not in k for k in listed["items"])


def test_revoked_key_is_refused_at_once_by_the_same_worker(client: TestClient) -> None:
    made = make_key(client)
    headers = {"X-API-Key": made["key"]}
    assert client.get("/tickets", headers=headers).status_code == 200  # now cached

    revoked = client.delete(f"/keys/{made['id']}")

    assert revoked.status_code == 204
    assert client.get("/tickets", headers=headers).status_code == 401
    assert client.get("/keys").json()["items"][0]["revoked_at"] is not None


def test_revoking_twice_or_an_unknown_key_is_404(client: TestClient) -> None:
    made = make_key(client)
    client.delete(f"/keys/{made['id']}")

    again = client.delete(f"/keys/{made['id']}")
    unknown = client.delete("/keys/4242")

    assert (again.status_code, unknown.status_code) == (404, 404)
    assert unknown.json() == {"detail": "No valid key 4242"}


def test_key_revoked_elsewhere_is_refused_once_the_cache_expires(
    make_client, database_url: str
) -> None:
    """Another worker (here: the database directly) revokes; with no cache it shows at once."""
    client = make_client(api_key_cache_seconds=0)
    made = make_key(client)
    headers = {"X-API-Key": made["key"]}
    assert client.get("/tickets", headers=headers).status_code == 200

    engine = make_engine(database_url)
    with make_sessionmaker(engine)() as session:
        assert keys.revoke_key(session=session, key_id=made["id"])
    engine.dispose()

    assert client.get("/tickets", headers=headers).status_code == 401


@pytest.mark.parametrize(
    ("body", "loc", "error_type"),
    [
        ({"name": "alice"}, ["body", "role"], "missing"),
        ({"name": "alice", "role": "root"}, ["body", "role"], "enum"),
        ({"name": "", "role": "agent"}, ["body", "name"], "string_too_short"),
        ({"name": "a b", "role": "agent"}, ["body", "name"], "string_pattern_mismatch"),
        ({"name": "a\u0000", "role": "agent"}, ["body", "name"], "string_pattern_mismatch"),
        ({"name": "a" * 101, "role": "agent"}, ["body", "name"], "string_too_long"),
        ({"name": "a", "role": "agent", "key": "mine"}, ["body", "key"], "extra_forbidden"),
    ],
    ids=["no-role", "unknown-role", "empty-name", "space", "nul", "too-long", "chosen-key"],
)
def test_bad_key_requests_are_422(client: TestClient, body: dict, loc: list, error_type) -> None:
    response = client.post("/keys", json=body)

    assert response.status_code == 422
    assert any(e["loc"] == loc and e["type"] == error_type for e in response.json()["detail"])
    assert client.get("/keys").json()["total"] == 0


def count_key_lookups(client: TestClient) -> list[str]:
    """The api_keys queries the app's engine runs from now on."""
    engine = client.app.state.sessionmaker.kw["bind"]
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "api_keys" in statement:
            seen.append(statement)

    return seen


def test_a_known_stored_key_costs_no_query_until_the_cache_expires(client: TestClient) -> None:
    made = make_key(client)
    lookups = count_key_lookups(client)
    headers = {"X-API-Key": made["key"]}

    for _ in range(5):
        assert client.get("/tickets", headers=headers).status_code == 200

    assert len(lookups) == 1


def test_env_keys_and_malformed_keys_cost_no_query(client: TestClient, as_role) -> None:
    lookups = count_key_lookups(client)

    client.get("/tickets", headers=as_role("requester"))
    client.get("/tickets", headers={"X-API-Key": "'; DROP TABLE api_keys; --"})

    assert lookups == []


def test_key_ring_forgets_stored_keys_after_the_ttl() -> None:
    now = [100.0]
    ring = KeyRing({}, ttl=10, clock=lambda: now[0])
    engine = make_engine("sqlite://")
    ensure_current(engine)
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        stored, key = keys.create_key(session=session, name="alice", role="agent")
    digest = keys.hash_key(key)

    assert ring.cached(digest) == (False, None)
    holder = ring.load(sessions, digest)
    now[0] += 9.9
    assert ring.cached(digest) == (True, holder)
    now[0] += 0.2
    assert ring.cached(digest) == (False, None)
    assert holder == Principal(name="alice", role=Role.AGENT, key_id=stored.id)
    engine.dispose()


def test_env_keys_parse_into_roles() -> None:
    holders = parse_env_keys(" dev-1=admin , x=y=z=requester,,")

    assert {h.role for h in holders.values()} == {Role.ADMIN, Role.REQUESTER}
    assert holders[keys.hash_key("x=y=z")].role == Role.REQUESTER
    assert holders[keys.hash_key("dev-1")].name == "env-" + keys.hash_key("dev-1")[:8]


@pytest.mark.parametrize("value", ["dev-1", "dev-1=root", "=admin", "a=admin,b=superuser"])
def test_malformed_env_keys_stop_the_start_without_showing_them(make_client, value) -> None:
    with pytest.raises(StartupError) as caught:
        make_client(api_keys=value)

    message = str(caught.value)
    assert message.startswith("TRIAGE_API_KEYS: pair")
    assert "dev-1" not in message.split(";")[0] and "superuser" not in message


def test_roles_are_cumulative() -> None:
    admin = Principal(name="a", role=Role.ADMIN)
    requester = Principal(name="r", role=Role.REQUESTER)

    assert all(admin.may(role) for role in Role)
    assert requester.may(Role.REQUESTER) and not requester.may(Role.AGENT)
    assert not requester.sees_every_ticket


def test_settings_names_are_the_documented_environment_variables(monkeypatch) -> None:
    monkeypatch.setenv("TRIAGE_API_KEYS", "k=admin")
    monkeypatch.setenv("TRIAGE_API_KEY_CACHE_SECONDS", "2.5")
    monkeypatch.setenv("TRIAGE_MAX_BODY_BYTES", "4096")

    settings = Settings()

    assert settings.api_keys.get_secret_value() == "k=admin" and "k=admin" not in repr(settings)
    assert (settings.api_key_cache_seconds, settings.max_body_bytes) == (2.5, 4096)
