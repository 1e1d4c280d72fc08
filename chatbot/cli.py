"""`triage-chat`: talk to the ticket service in English or French; `triage-chat parse` reads
utterances on standard input and prints what each one means, one JSON object per line."""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from typing import TextIO

import textclf
from chatbot.client import DEFAULT_TIMEOUT, DEFAULT_URL, URL_ENV, TicketClient
from chatbot.nlu import VERSION_ENV, Understanding

NO_TERMINAL = (
    "triage-chat needs a terminal to chat; to read utterances from a pipe or a file "
    "use `triage-chat parse`.\n"
    "triage-chat a besoin d'un terminal pour dialoguer ; pour lire des phrases depuis "
    "un tube ou un fichier, utilisez `triage-chat parse`."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="triage-chat", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        choices=["chat", "parse"],
        default="chat",
        help="chat (default) or parse: one JSON line per line of stdin",
    )
    parser.add_argument("--api-url", help=f"the ticket service (${URL_ENV}, else {DEFAULT_URL})")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help="seconds to wait for each API call (default %(default)s)",
    )
    parser.add_argument(
        "--model-version", help=f"intent model version (${VERSION_ENV}, else champion)"
    )
    parser.add_argument(
        "--language",
        choices=["en", "fr"],
        default="en",
        help="language for utterances without a clue, like '12'",
    )
    return parser


def parse_lines(nlu: Understanding, lines: TextIO, out: TextIO, language: str = "en") -> None:
    """One JSON object per input line, written as soon as the line is read."""
    for line in lines:
        parse = nlu.parse(line.rstrip("\r\n"), language)
        out.write(json.dumps(parse.as_json(), ensure_ascii=False) + "\n")
        out.flush()


def chat(nlu: Understanding, args: argparse.Namespace) -> None:
    from chatbot.dialogue import Dialogue  # prompt_toolkit and rich: only for a conversation
    from chatbot.prompts import Prompts

    client = TicketClient.from_env(args.api_url, timeout=args.timeout)
    Dialogue(nlu, Prompts(), client, language=args.language).run()


def run(args: argparse.Namespace) -> None:
    nlu = Understanding.load(args.model_version)
    if args.command == "parse":
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
        sys.stdout.reconfigure(encoding="utf-8")
        parse_lines(nlu, sys.stdin, sys.stdout, args.language)
    else:
        chat(nlu, args)


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when done, 1 when the model cannot load, 2 without a terminal; never a traceback."""
    args = build_parser().parse_args(argv)
    if args.command == "chat" and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(NO_TERMINAL, file=sys.stderr)
        return 2
    try:
        run(args)
    except textclf.ModelLoadError as exc:
        print(f"triage-chat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away: stop quietly, without a flush error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - one line for the user; TRIAGE_DEBUG=1 for more
        if os.environ.get("TRIAGE_DEBUG"):
            traceback.print_exc()
        print(
            f"triage-chat: unexpected error: {type(exc).__name__}: {exc} "
            "(TRIAGE_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
