"""Chatbot fixtures: the understanding over the test models, a real ticket service, and a
conversation driver (prompt_toolkit pipe input + DummyOutput, rich output into a buffer)."""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from bench import servers
from bench.servers import free_port
from chatbot.client import TicketClient
from chatbot.dialogue import Dialogue
from chatbot.nlu import Understanding
from chatbot.prompts import Prompts

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "chatbot-test-key"  # the test API accepts it as an agent key (TRIAGE_API_KEYS)


@pytest.fixture(scope="session")
def nlu(models_root: Path) -> Understanding:
    return Understanding.load("champion", root=models_root)


def start_api(models_root: Path, folder: Path) -> tuple[subprocess.Popen, str]:
    """`uvicorn api.main:app` on a free port over a new SQLite database in `folder`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(
        TRIAGE_DATABASE_URL=f"sqlite:///{folder / 'triage.db'}",
        TRIAGE_MODELS_DIR=str(models_root),
        TRIAGE_API_KEYS=f"{API_KEY}=agent",
    )
    port = free_port()
    process = servers.start(servers.SERVICE_APP, port, env, folder / "server.log")
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the API exited: {(folder / 'server.log').read_text()}")
        try:
            requests.get(f"{url}/health", timeout=1)
            return process, url
        except requests.RequestException:
            time.sleep(0.05)
    process.kill()
    pytest.fail("the API did not answer within 30 s")


@pytest.fixture(scope="session")
def api_url(models_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ticket service for the session, on a temporary database."""
    process, url = start_api(models_root, tmp_path_factory.mktemp("api"))
    yield url
    servers.stop(process)


@pytest.fixture
def closed_url() -> str:
    """An address where nothing listens."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def client(api_url: str) -> TicketClient:
    return TicketClient(api_url, timeout=10, api_key=API_KEY)


@pytest.fixture
def converse(nlu: Understanding, client: TicketClient) -> Callable[..., str]:
    """Run a whole conversation from typed keys; returns what the bot printed."""

    def run(
        *keys: str,
        language: str = "en",
        understanding: Understanding | None = None,
        with_client: TicketClient | None = None,
    ) -> str:
        printed = io.StringIO()
        with create_pipe_input() as pipe:
            prompts = Prompts(
                input=pipe, output=DummyOutput(), console=Console(file=printed, width=120)
            )
            pipe.send_text("".join(keys) + "\x04")  # Ctrl-D ends every conversation
            Dialogue(understanding or nlu, prompts, with_client or client, language).run()
        return printed.getvalue()

    return run
