"""The load generators send the requests they are told to, and measure what came back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import loadgen, servers


@pytest.fixture
def bodies(tmp_path: Path) -> Path:
    path = tmp_path / "tickets.jsonl"
    path.write_text("".join(json.dumps({"description": f"ticket {n}"}) + "\n" for n in range(3)))
    return path


def test_requests_cycle_through_the_bodies_and_carry_the_key(bodies: Path) -> None:
    work = loadgen.Workload("post-tickets", bodies, api_key="k")

    requests = loadgen.request_bytes(work, "127.0.0.1", 8000)
    sent = [next(requests) for _ in range(4)]

    assert sent[0] == sent[3] != sent[1]
    assert sent[0].startswith(b"POST /tickets HTTP/1.1\r\n")
    assert b"\r\nX-API-Key: k\r\n" in sent[0]
    assert sent[0].endswith(b'{"description": "ticket 0"}')


def test_gets_ask_for_existing_ids(bodies: Path) -> None:
    work = loadgen.Workload("get-ticket", bodies, max_id=5)

    requests = loadgen.request_bytes(work, "127.0.0.1", 8000)
    ids = {int(next(requests).split(b" ")[1].rsplit(b"/", 1)[1]) for _ in range(200)}

    assert ids == {1, 2, 3, 4, 5}


@pytest.mark.parametrize("generator", ["python", "wrk"])
def test_generator_measures_a_server(generator: str, bodies: Path, tmp_path: Path) -> None:
    if generator == "wrk" and not loadgen.wrk_available():
        pytest.skip("wrk is not installed")
    work = loadgen.Workload("post-tickets", bodies)

    with servers.trivial_server(tmp_path / "trivial.log") as port:
        result = loadgen.run(generator, f"http://127.0.0.1:{port}", work, connections=4, seconds=1)

    assert result.requests > 100
    assert result.failures == 0
    assert 0 < result.p50_ms <= result.p99_ms
