"""The load's clients: each creates, reads and deletes its own tickets and notes what it saw.

Requests go out with a requester key (the tickets are the client's own) and deletes with an
agent key. A request without an answer is `unanswered`, never an acknowledgement.
"""

from __future__ import annotations

import random
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field

import httpx

TEXTS = (
    "My laptop screen stays black after the update",
    "Je n'ai pas reçu ma fiche de paie de mars",
    "The supplier invoice was paid twice",
    "Le chauffage ne marche plus au 2e étage",
    "Please review the NDA before we sign it",
)
LOCKED = "database is locked"


@dataclass
class Tally:
    """What one client saw; tallies add up."""

    sent: int = 0
    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[int, str] = field(default_factory=dict)  # 201: id -> description
    deleted: set[int] = field(default_factory=set)  # 204
    uncertain: set[int] = field(default_factory=set)  # a delete that got no answer
    missing_during_run: set[int] = field(default_factory=set)  # a live ticket read as 404
    server_errors: list[str] = field(default_factory=list)  # "POST /tickets 503 ..."
    locked: int = 0
    refused: int = 0  # no connection: the request surely did nothing
    unanswered: int = 0  # sent, but no answer: it may or may not have been carried out

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.statuses.update(other.statuses)
        self.acknowledged.update(other.acknowledged)
        self.deleted |= other.deleted
        self.uncertain |= other.uncertain
        self.missing_during_run |= other.missing_during_run
        self.server_errors += other.server_errors
        self.locked += other.locked
        self.refused += other.refused
        self.unanswered += other.unanswered


class Progress:
    """Shared by all the clients: the creates acknowledged and deletes done so far, and the
    signal to stop (the runner decides when the load has done enough)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.acknowledged = 0
        self.deleted = 0
        self._lock = threading.Lock()

    def add(self, *, acknowledged: int = 0, deleted: int = 0) -> None:
        with self._lock:
            self.acknowledged += acknowledged
            self.deleted += deleted


class Refused(Exception):
    """The server refused the connection (it is down or restarting): nothing was sent."""


def client_loop(url: str, keys: dict[str, str], progress: Progress, rng: random.Random) -> Tally:
    """One client until `progress.stop`: half creates, the rest reads and deletes of its own."""
    tally, live = Tally(), []
    # Plain HTTP on loopback: verify=False spares loading the CA bundle, 50 ms a client, which
    # for 64 clients took the whole of a short run before the first request went out.
    headers = {"X-API-Key": keys["requester"]}
    with httpx.Client(base_url=url, timeout=15, headers=headers, verify=False) as http:
        while not progress.stop.is_set():
            choice = rng.random()
            try:
                if not live or choice < 0.5:
                    create(http, tally, live, rng, progress)
                elif choice < 0.8:
                    read(http, tally, live, rng.choice(live))
                else:
                    delete(http, tally, live, rng.choice(live), keys["agent"], progress)
            except Refused:
                progress.stop.wait(0.05)  # the server is restarting: wait rather than spin
    return tally


def create(
    http: httpx.Client, tally: Tally, live: list[int], rng: random.Random, progress: Progress
) -> None:
    description = f"{rng.choice(TEXTS)} #{secrets.token_hex(6)}"
    response = send(http, tally, "POST", "/tickets", json={"description": description})
    if response is not None and response.status_code == 201:
        ticket_id = response.json()["id"]
        tally.acknowledged[ticket_id] = description
        live.append(ticket_id)
        progress.add(acknowledged=1)


def read(http: httpx.Client, tally: Tally, live: list[int], ticket_id: int) -> None:
    response = send(http, tally, "GET", f"/tickets/{ticket_id}")
    if response is not None and response.status_code == 404:
        tally.missing_during_run.add(ticket_id)
        live.remove(ticket_id)


def delete(
    http: httpx.Client,
    tally: Tally,
    live: list[int],
    ticket_id: int,
    key: str,
    progress: Progress,
) -> None:
    response = send(http, tally, "DELETE", f"/tickets/{ticket_id}", headers={"X-API-Key": key})
    live.remove(ticket_id)
    if response is None:
        tally.uncertain.add(ticket_id)
    elif response.status_code == 204:
        tally.deleted.add(ticket_id)
        progress.add(deleted=1)
    elif response.status_code == 404:
        tally.missing_during_run.add(ticket_id)


def send(
    http: httpx.Client, tally: Tally, method: str, path: str, **kwargs
) -> httpx.Response | None:
    """One request, recorded; None when it went out but no answer came back (a kill)."""
    try:
        response = http.request(method, path, **kwargs)
    except httpx.ConnectError:
        tally.refused += 1
        raise Refused from None
    except httpx.TransportError:
        tally.sent += 1
        tally.unanswered += 1
        return None
    tally.sent += 1
    tally.statuses[response.status_code] += 1
    if LOCKED in response.text:
        tally.locked += 1
    if response.status_code >= 500:
        tally.server_errors.append(f"{method} {path} {response.status_code} {response.text[:200]}")
    return response
