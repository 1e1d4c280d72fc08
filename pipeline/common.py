"""What every stage needs: params, the task table, file helpers, and clean failures."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from textclf.encoder import EncoderError

# task -> (registered model name, data file, label column)
TASKS: dict[str, tuple[str, str, str]] = {
    "department": ("ticket-department", "data/tickets.csv", "department"),
    "intent": ("chat-intent", "data/intents.csv", "intent"),
}


class PipelineError(Exception):
    """A failure the user can fix; its message says what is wrong and what to do."""


def load_params(path: str | Path = "params.yaml") -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise PipelineError(f"{path} not found: run the stage from the project's root") from None
    except yaml.YAMLError as exc:
        raise PipelineError(f"{path} is not valid YAML: {exc}") from None


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_json(path: str | Path, data: Any) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_json(path: str | Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PipelineError(f"{path} not found: run the earlier stages first (dvc repro)") from None


def stage(name: str) -> Callable[[Callable[[], None]], Callable[[], int]]:
    """Run a stage's main(): a PipelineError or a crash ends in one line, not a traceback.

    TRIAGE_DEBUG=1 shows the traceback of unexpected errors.
    """

    def wrap(main: Callable[[], None]) -> Callable[[], int]:
        @functools.wraps(main)
        def run() -> int:
            try:
                main()
            except (PipelineError, EncoderError) as exc:  # EncoderError: no or other weights
                print(f"{name}: {exc}", file=sys.stderr)
                return 1
            except KeyboardInterrupt:
                print(f"{name}: interrupted", file=sys.stderr)
                return 130
            except Exception as exc:  # noqa: BLE001 - the last guard before the user
                if os.environ.get("TRIAGE_DEBUG"):
                    traceback.print_exc()
                print(
                    f"{name}: unexpected {type(exc).__name__}: {exc} "
                    "(set TRIAGE_DEBUG=1 to see where)",
                    file=sys.stderr,
                )
                return 1
            return 0

        return run

    return wrap
