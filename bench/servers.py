"""The processes `make bench-api` measures: each app under the same uvicorn command line."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_APP = "bench.reference_app:app"
SERVICE_APP = "api.main:app"
# What `make run` does, plus one explicit worker; the same for both apps.
UVICORN_OPTIONS = ("--host", "127.0.0.1", "--workers", "1")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command(app: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", app, *UVICORN_OPTIONS, "--port", str(port)]


def start(app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(command(app, port), cwd=ROOT, env=env, stdout=out, stderr=out)


def wait_healthy(
    process: subprocess.Popen, port: int, log: Path, api_key: str = "", timeout: float = 60
) -> float:
    """Seconds until /health first answers 200; polls every 5 ms."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited:\n{log.read_text(errors='replace')[-2000:]}")
        if health_status(port, api_key) == 200:
            return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError(f"no 200 from /health within {timeout:g} s; see {log}")


def health_status(port: int, api_key: str = "") -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health", headers={"X-API-Key": api_key})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class Server:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float:
        """User + system CPU time the server process has used so far (all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def running(app: str, env: dict[str, str], log: Path, api_key: str = "") -> Iterator[Server]:
    """Serve `app` until the block ends; yields it once /health answers."""
    port = free_port()
    process = start(app, port, env, log)
    try:
        wait_healthy(process, port, log, api_key)
        yield Server(port, process)
    finally:
        stop(process)


def cold_start(env: dict[str, str], log: Path, api_key: str = "") -> float:
    """Seconds from spawning `uvicorn api.main:app` to its first 200 from /health."""
    port = free_port()
    started = time.perf_counter()
    process = start(SERVICE_APP, port, env, log)
    try:
        wait_healthy(process, port, log, api_key)
        return time.perf_counter() - started
    finally:
        stop(process)


@contextmanager
def trivial_server(log: Path) -> Iterator[int]:
    port = free_port()
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.trivial_server", str(port)],
            cwd=ROOT,
            stdout=out,
            stderr=out,
        )
    try:
        for _ in range(400):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.01)
        yield port
    finally:
        stop(process)


@contextmanager
def postgres_schema(server_url: str, prefix: str) -> Iterator[str]:
    """The URL of a new, empty schema on `server_url` (through search_path, so the service's
    own code runs unchanged); the schema is dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
