"""The `triage-chat` program: the parse mode's contract and speed, and clean refusals."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

TRIAGE_CHAT = str(Path(sys.executable).parent / "triage-chat")
KEYS = ["text", "intent", "confidence", "language", "ticket_id", "department", "ticket_text"]


def env_for(models_root: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    return env | {"TRIAGE_MODELS_DIR": str(models_root)} | extra


def run(
    args: list[str], models_root: Path, stdin: str | None = None, **extra: str
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [TRIAGE_CHAT, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(models_root, **extra),
        timeout=60,
        stdin=None if stdin is not None else subprocess.DEVNULL,
    )


def test_parse_prints_one_json_object_per_line(models_root: Path) -> None:
    lines = [
        "supprime le ticket n° 42",
        "show the HR tickets",
        "new ticket: the printer on floor 2 is jammed",
        "",
        "bye",
    ]
    result = run(["parse"], models_root, stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    parsed = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(p) for p in parsed] == [KEYS] * len(lines)
    assert [p["text"] for p in parsed] == lines
    assert parsed[0] | {"confidence": 1.0} == {
        "text": lines[0],
        "intent": "delete_ticket",
        "confidence": 1.0,
        "language": "fr",
        "ticket_id": 42,
        "department": None,
        "ticket_text": None,
    }
    assert (parsed[1]["intent"], parsed[1]["department"]) == ("list_tickets", "HR")
    assert parsed[2]["ticket_text"] == "the printer on floor 2 is jammed"
    assert parsed[2]["ticket_id"] is None
    assert parsed[4]["intent"] == "goodbye"


def test_parse_answers_each_line_in_under_5_ms(models_root: Path) -> None:
    delays = []
    with subprocess.Popen(
        [TRIAGE_CHAT, "parse"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env_for(models_root),
    ) as process:
        process.stdin.write("hello\n")  # start-up (model loading) is not counted
        process.stdin.flush()
        process.stdout.readline()
        for text in [
            "show ticket 12",
            "je voudrais créer un ticket pour la compta",
            "what's the weather like",
            "liste les tickets RH",
        ] * 25:
            started = time.perf_counter()
            process.stdin.write(text + "\n")
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["text"] == text
            delays.append(time.perf_counter() - started)
        process.stdin.close()
    assert statistics.median(delays) < 0.005


def test_chat_without_a_terminal_says_so(models_root: Path) -> None:
    result = run([], models_root)
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and "triage-chat parse" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unloadable_model_is_one_line_and_exit_1(models_root: Path) -> None:
    result = run(["parse"], models_root, stdin="hello\n", TRIAGE_INTENT_MODEL_VERSION="9")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "no version 9" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("flag", [["--model-version", "2"], []])
def test_the_model_version_flag_wins_over_the_environment(
    models_root: Path, flag: list[str]
) -> None:
    result = run(["parse", *flag], models_root, stdin="hello\n", TRIAGE_INTENT_MODEL_VERSION="9")
    assert result.returncode == (0 if flag else 1)
