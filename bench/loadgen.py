"""Closed-loop HTTP/1.1 load: N keep-alive connections, each sending its next request when the
last answer arrives, for a fixed time. wrk when it is installed, else an asyncio generator
(raw sockets, pre-encoded requests) that `bench.api` calibrates against a trivial server.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import shutil
import subprocess
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

LUA_SCRIPT = Path(__file__).with_name("load") / "requests.lua"
MODES = ("post-tickets", "get-ticket", "classify")


@dataclass(frozen=True)
class Workload:
    """What to send: MODES[i], the POST bodies (one JSON per line), GET ids in 1..max_id."""

    mode: str
    bodies: Path
    max_id: int = 1
    api_key: str = ""


@dataclass(frozen=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    failures: int  # non-2xx answers and socket errors
    generator_cpu_s: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds


def run(
    generator: str, url: str, work: Workload, *, connections: int, seconds: float
) -> LoadResult:
    """Drive `url` with `work` for `seconds`; generator is 'wrk' or 'python'."""
    if generator == "wrk":
        return run_wrk(url, work, connections=connections, seconds=seconds)
    return run_python(url, work, connections=connections, seconds=seconds)


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(url: str, work: Workload, *, connections: int, seconds: float) -> LoadResult:
    """One wrk thread (the server needs the other core), latency percentiles from its Lua hook."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA_SCRIPT),
        url,
        "--",
        work.mode,
        str(work.bodies),
        str(work.max_id),
        work.api_key,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in out.stdout.splitlines() if x.startswith("WRK_JSON "))
    stats = json.loads(line.removeprefix("WRK_JSON "))
    return LoadResult(
        requests=stats["requests"],
        seconds=stats["duration_us"] / 1e6,
        p50_ms=stats["p50_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        failures=stats["non_2xx"] + stats["socket_errors"],
        generator_cpu_s=(after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
    )


def run_python(url: str, work: Workload, *, connections: int, seconds: float) -> LoadResult:
    """The same load as the Lua script, from this process's event loop."""
    host, port = _host_port(url)
    started_cpu, started = time.process_time(), time.perf_counter()
    latencies, failures = asyncio.run(_drive(host, port, work, connections, seconds))
    wall = time.perf_counter() - started
    latencies.sort()
    return LoadResult(
        requests=len(latencies),
        seconds=wall,
        p50_ms=_percentile(latencies, 50) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
        failures=failures,
        generator_cpu_s=time.process_time() - started_cpu,
    )


def request_bytes(work: Workload, host: str, port: int) -> cycle[bytes] | _RandomGets:
    """Every request pre-encoded: the generator only writes bytes and counts answers."""
    head = f"Host: {host}:{port}\r\nX-API-Key: {work.api_key}\r\n"
    if work.mode == "get-ticket":
        return _RandomGets(head, work.max_id)
    path = "/classify" if work.mode == "classify" else "/tickets"
    requests = []
    for line in work.bodies.read_text(encoding="utf-8").splitlines():
        body = line.encode()
        requests.append(
            f"POST {path} HTTP/1.1\r\n{head}Content-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
    return cycle(requests)


class _RandomGets:
    def __init__(self, head: str, max_id: int) -> None:
        self.head, self.max_id, self.random = head, max_id, random.Random(7)

    def __next__(self) -> bytes:
        ticket_id = self.random.randint(1, self.max_id)
        return f"GET /tickets/{ticket_id} HTTP/1.1\r\n{self.head}\r\n".encode()


async def _drive(
    host: str, port: int, work: Workload, connections: int, seconds: float
) -> tuple[list[float], int]:
    loop = asyncio.get_running_loop()
    requests = request_bytes(work, host, port)
    deadline = loop.time() + seconds
    latencies: list[float] = []
    failures = [0]
    finished = [loop.create_future() for _ in range(connections)]
    for future in finished:
        await loop.create_connection(
            lambda f=future: _Connection(requests, latencies, failures, deadline, f), host, port
        )
    await asyncio.gather(*finished)
    return latencies, failures[0]


class _Connection(asyncio.Protocol):
    """One keep-alive connection: send, read one Content-Length answer, send the next."""

    def __init__(self, requests, latencies, failures, deadline, finished) -> None:  # noqa: ANN001
        self.requests, self.latencies, self.failures = requests, latencies, failures
        self.deadline, self.finished = deadline, finished
        self.buffer = bytearray()
        self.sent_at = 0.0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.loop = asyncio.get_running_loop()
        self._send()

    def _send(self) -> None:
        if self.loop.time() >= self.deadline:
            self.transport.close()
            return
        self.sent_at = time.perf_counter()
        self.transport.write(next(self.requests))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        length = int(head.split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
        if len(self.buffer) < end + 4 + length:
            return
        self.latencies.append(time.perf_counter() - self.sent_at)
        if not head.startswith((b"http/1.1 2", b"http/1.0 2")):
            self.failures[0] += 1
        del self.buffer[: end + 4 + length]
        self._send()

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None or self.loop.time() < self.deadline:
            self.failures[0] += 1
        if not self.finished.done():
            self.finished.set_result(None)


def _host_port(url: str) -> tuple[str, int]:
    host, _, port = url.removeprefix("http://").rstrip("/").partition(":")
    return host, int(port or 80)


def _percentile(sorted_values: list[float], percent: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(percent / 100 * len(sorted_values)) - 1))
    return sorted_values[index]
