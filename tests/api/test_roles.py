"""Roles: requesters create and see their own tickets only; agents see all and delete."""

from __future__ import annotations

from fastapi.testclient import TestClient

ENGLISH_IT = "My laptop won't turn on this morning"
FINANCE = "The supplier invoice was paid twice"


def create_as(client: TestClient, headers: dict, description: str = ENGLISH_IT) -> dict:
    response = client.post("/tickets", json={"description": description}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_requester_creates_tickets_owned_by_their_key(client: TestClient, as_role) -> None:
    ticket = create_as(client, as_role("requester"))

    assert ticket["owner"].startswith("env-")
    assert client.get(f"/tickets/{ticket['id']}", headers=as_role("requester")).json() == ticket


def test_requester_lists_only_their_own_tickets(client: TestClient, as_role) -> None:
    mine = create_as(client, as_role("requester"))
    create_as(client, as_role("other-requester"), FINANCE)
    create_as(client, as_role("admin"))

    listed = client.get("/tickets", headers=as_role("requester")).json()
    found = client.get("/tickets", params={"q": "invoice"}, headers=as_role("requester")).json()

    assert listed == {"items": [mine], "total": 1}
    assert found == {"items": [], "total": 0}


def test_someone_elses_ticket_is_404_to_a_requester(client: TestClient, as_role) -> None:
    theirs = create_as(client, as_role("other-requester"))

    response = client.get(f"/tickets/{theirs['id']}", headers=as_role("requester"))

    assert response.status_code == 404
    assert response.json() == {"detail": f"Ticket {theirs['id']} not found"}


def test_requester_cannot_delete_even_their_own_ticket(client: TestClient, as_role) -> None:
    mine = create_as(client, as_role("requester"))

    response = client.delete(f"/tickets/{mine['id']}", headers=as_role("requester"))

    assert response.status_code == 403
    assert client.get(f"/tickets/{mine['id']}").status_code == 200


def test_requester_may_classify(client: TestClient, as_role) -> None:
    response = client.post("/classify", json={"text": FINANCE}, headers=as_role("requester"))

    assert response.status_code == 200
    assert response.json()["department"] == "Finance"


def test_agent_lists_reads_and_deletes_everyones_tickets(client: TestClient, as_role) -> None:
    one = create_as(client, as_role("requester"))
    two = create_as(client, as_role("other-requester"), FINANCE)
    agent = as_role("agent")

    listed = client.get("/tickets", headers=agent).json()
    read = client.get(f"/tickets/{one['id']}", headers=agent)
    deleted = client.delete(f"/tickets/{two['id']}", headers=agent)

    assert listed["total"] == 2 and {t["id"] for t in listed["items"]} == {one["id"], two["id"]}
    assert read.json() == one
    assert deleted.status_code == 204
    assert client.get(f"/tickets/{two['id']}", headers=agent).status_code == 404


def test_agent_may_also_create_and_classify(client: TestClient, as_role) -> None:
    ticket = create_as(client, as_role("agent"))

    assert client.post("/classify", json={"text": FINANCE}, headers=as_role("agent")).is_success
    assert client.get(f"/tickets/{ticket['id']}", headers=as_role("requester")).status_code == 404


def test_keys_of_the_same_name_share_tickets(client: TestClient) -> None:
    """A rotated key (new key, same name, old one revoked) keeps its holder's tickets."""
    old = client.post("/keys", json={"name": "priya", "role": "requester"}).json()
    ticket = create_as(client, {"X-API-Key": old["key"]})
    new = client.post("/keys", json={"name": "priya", "role": "requester"}).json()
    client.delete(f"/keys/{old['id']}")

    listed = client.get("/tickets", headers={"X-API-Key": new["key"]}).json()

    assert ticket["owner"] == "priya"
    assert [t["id"] for t in listed["items"]] == [ticket["id"]]
