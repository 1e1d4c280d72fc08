"""End to end: the real `triage-chat` program in a pseudo-terminal against a running API."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]
TRIAGE_CHAT = str(Path(sys.executable).parent / "triage-chat")
GAP = r"(?:\x1b\[[0-9;]*m|\s)+"  # spaces and the styling codes between table cells


def row(*cells: str) -> str:
    return GAP.join(cells)


@pytest.fixture
def spawn(models_root: Path) -> Iterator:
    """Start triage-chat in a terminal; every transcript is checked for tracebacks."""
    children: list[tuple[pexpect.spawn, io.StringIO]] = []

    def start(api_url: str) -> pexpect.spawn:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
        env.update(
            TRIAGE_API_URL=api_url,
            TRIAGE_MODELS_DIR=str(models_root),
            TERM="xterm",
            TRIAGE_API_KEY="chatbot-test-key",  # as tests/chatbot/conftest.py's API_KEY
            PROMPT_TOOLKIT_NO_CPR="1",  # pexpect does not answer cursor queries
        )
        child = pexpect.spawn(
            TRIAGE_CHAT, env=env, encoding="utf-8", dimensions=(40, 120), timeout=20
        )
        child.logfile_read = io.StringIO()
        children.append((child, child.logfile_read))
        child.expect("Type 'help' for examples")
        return child

    yield start
    for child, transcript in children:
        child.close(force=True)
        assert "Traceback" not in transcript.getvalue()


def test_a_conversation_in_a_real_terminal(spawn, api_url: str) -> None:
    chat = spawn(api_url)
    chat.sendline("new ticket: my password expired this morning")
    chat.expect(r"→ IT, 100%")
    chat.expect(r"Create this ticket\?")
    chat.send("y")
    chat.expect(r"Ticket #(\d+) created → IT\.")
    number = chat.match.group(1)

    chat.sendline("show the IT tickets")
    chat.expect(row(number, "IT", r"\d{4}-\d\d-\d\d \d\d:\d\d", "my password expired this morning"))

    chat.sendline("supprime un ticket")
    chat.expect(r"Quel ticket \?")
    chat.sendline(number)
    chat.expect(r"Supprimer le ticket n°\d+ \? C'est définitif\.")
    chat.send("y")
    chat.expect(rf"Ticket n°{number} supprimé\.")

    chat.sendline(f"ticket {number}")  # no language clue: the conversation stays in French
    chat.expect(rf"Il n'y a pas de ticket n°{number}\.")

    chat.sendline("I want to open a ticket")
    chat.expect("Describe the problem:")
    chat.sendcontrol("c")
    chat.expect(r"Cancelled\.")

    chat.sendline("quit")
    chat.expect("Goodbye!")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0


def test_the_api_down_is_said_and_ctrl_d_leaves(spawn, closed_url: str) -> None:
    chat = spawn(closed_url)
    chat.sendline("montre le ticket 3")
    chat.expect(r"ne répond pas")
    chat.expect(r"Réessayer \?")
    chat.send("n")
    chat.expect(r"Annulé\.")
    chat.expect("›")  # the main prompt is up (raw mode): Ctrl-D is a key, not the tty's EOF
    chat.sendcontrol("d")
    chat.expect(r"Au revoir !")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0
