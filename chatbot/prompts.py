"""The terminal side: questionary questions in, rich text out. The only questionary import.

A slot question ends in `Cancelled` when the user presses Ctrl-C or types 'annuler'/'cancel';
Ctrl-D raises EOFError (leave the bot). Tests pass prompt_toolkit's pipe input and
DummyOutput, and a rich Console writing to a buffer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import questionary
from prompt_toolkit.history import InMemoryHistory
from rich.console import Console

from chatbot import views
from chatbot.nlu import is_cancel


class Cancelled(Exception):
    """The user left the current action; the bot goes back to its main prompt."""


class Prompts:
    """Asks questions and shows answers; `input`/`output` are prompt_toolkit's."""

    def __init__(
        self, input: Any = None, output: Any = None, console: Console | None = None
    ) -> None:
        self._io = {key: value for key, value in (("input", input), ("output", output)) if value}
        self.console = console or Console(highlight=False)
        self._history = InMemoryHistory()

    def utterance(self) -> str:
        """The main prompt; Ctrl-C and Ctrl-D both leave (KeyboardInterrupt, EOFError)."""
        question = questionary.text("", qmark="›", history=self._history, **self._io)
        return question.unsafe_ask()

    def text(self, message: str, invalid: str, valid: Callable[[str], bool] = bool) -> str:
        """A free-text answer that `valid` accepts (after trimming)."""

        def check(answer: str) -> bool | str:
            return is_cancel(answer) or valid(answer.strip()) or invalid

        return self._ask(questionary.text(message, validate=check, **self._io)).strip()

    def ticket_id(
        self, message: str, invalid: str, known: list[int], default: int | None = None
    ) -> int:
        """A ticket number, completed from the `known` ids when there are some."""

        def check(answer: str) -> bool | str:
            return is_cancel(answer) or _as_id(answer) is not None or invalid

        choices = [str(number) for number in known]
        if choices:
            question = questionary.autocomplete(
                message,
                choices=choices,
                validate=check,
                default=str(default or ""),
                match_middle=False,
                **self._io,
            )
        else:
            question = questionary.text(message, validate=check, **self._io)
        return int(_as_id(self._ask(question)))

    def confirm(self, message: str, default: bool) -> bool:
        return bool(self._ask(questionary.confirm(message, default=default, **self._io)))

    def select(self, message: str, choices: list[tuple[str, str]]) -> str:
        """One of `choices` (value, title); returns the value."""
        options = [questionary.Choice(title, value=value) for value, title in choices]
        return self._ask(questionary.select(message, choices=options, **self._io))

    def say(self, message: str) -> None:
        self.console.print(message, markup=False)

    def show_ticket(self, ticket: dict, language: str) -> None:
        self.console.print(views.ticket_card(ticket, language))

    def show_tickets(self, items: list[dict], language: str) -> None:
        self.console.print(views.tickets_table(items, language))

    @staticmethod
    def _ask(question: questionary.Question) -> Any:
        try:
            answer = question.unsafe_ask()
        except KeyboardInterrupt:
            raise Cancelled from None
        if isinstance(answer, str) and is_cancel(answer):
            raise Cancelled
        return answer


def _as_id(answer: str) -> int | None:
    text = answer.strip().lstrip("#").strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        return None
    return int(text) or None
