"""The HTTP client: the API contract round trip, the key header, and every failure as ApiError."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from chatbot.client import ApiError, TicketClient


class Recorder(BaseHTTPRequestHandler):
    """Answers every GET with an empty page and remembers the request headers."""

    seen: list[dict[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server name
        Recorder.seen.append(dict(self.headers))
        body = b'{"items": [], "total": 0}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Recorder.seen = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_round_trip_through_the_real_api(client: TicketClient) -> None:
    route = client.classify("I lost my password")
    assert route["department"] == "IT"
    ticket = client.create_ticket("I lost my password", title="Password")
    assert client.get_ticket(ticket["id"])["title"] == "Password"
    assert ticket["id"] in [t["id"] for t in client.list_tickets(department="IT")["items"]]
    client.delete_ticket(ticket["id"])
    with pytest.raises(ApiError) as error:
        client.delete_ticket(ticket["id"])
    assert error.value.not_found and "not found" in error.value.detail


def test_a_refused_request_carries_the_api_detail(client: TicketClient) -> None:
    with pytest.raises(ApiError) as error:
        client.list_tickets(limit=1000)
    assert (error.value.kind, error.value.status) == ("http", 422)
    assert "100" in error.value.detail


def test_the_api_key_header_is_sent_when_the_variable_is_set(
    recorder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIAGE_API_KEY", "s3cret")
    TicketClient.from_env(recorder).list_tickets()
    monkeypatch.delenv("TRIAGE_API_KEY")
    TicketClient.from_env(recorder).list_tickets()
    assert [h.get("X-API-Key") for h in Recorder.seen] == ["s3cret", None]


def test_the_url_comes_from_the_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_API_URL", "http://api.example:9000/")
    assert TicketClient.from_env().base_url == "http://api.example:9000"
    assert TicketClient.from_env("http://other:1").base_url == "http://other:1"
    monkeypatch.delenv("TRIAGE_API_URL")
    assert TicketClient.from_env().base_url == "http://127.0.0.1:8000"


def test_nobody_listening_is_unreachable(closed_url: str) -> None:
    with pytest.raises(ApiError) as error:
        TicketClient(closed_url, timeout=2).health()
    assert error.value.kind == "unreachable" and error.value.status is None


def test_a_silent_server_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        client = TicketClient(f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.3)
        with pytest.raises(ApiError) as error:
            client.get_ticket(1)
    assert error.value.kind == "timeout"
