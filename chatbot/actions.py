"""Doing: each intent's flow of questions and API calls (create, list, get, delete).

API failures are shown in the user's language with an offer to retry; declining, or
cancelling any question, raises Cancelled and the dialogue returns to its main prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from chatbot.client import ApiError, TicketClient
from chatbot.messages import percent, say
from chatbot.nlu import Parse
from chatbot.prompts import Cancelled, Prompts

T = TypeVar("T")
PAGE_SIZE = 20
KNOWN_IDS = 100  # ids offered for completion: the newest ones (the API's largest page)


class Actions:
    """The ticket flows, over injected prompts and client, in the utterance's language."""

    def __init__(self, prompts: Prompts, client: TicketClient) -> None:
        self.prompts, self.client = prompts, client

    def run(self, parse: Parse) -> None:
        getattr(self, parse.intent)(parse)

    def create_ticket(self, parse: Parse) -> None:
        lang = parse.language
        description = parse.ticket_text or self.prompts.text(
            say("ask_description", lang), say("description_empty", lang)
        )
        route = self.call(self.client.classify, description, lang=lang)
        self.prompts.say(preview(route, lang))
        if parse.department and parse.department != route.get("department"):
            self.prompts.say(say("department_said", lang, said=parse.department))
        if not self.prompts.confirm(say("confirm_create", lang), default=True):
            self.prompts.say(say("not_created", lang))
            return
        ticket = self.call(self.client.create_ticket, description, lang=lang)
        self.prompts.say(say("created", lang, id=ticket["id"], department=ticket["department"]))

    def list_tickets(self, parse: Parse) -> None:
        lang, department = parse.language, parse.department
        page = self.call(self.client.list_tickets, department, PAGE_SIZE, lang=lang)
        items, total = page.get("items", []), page.get("total", 0)
        if not items:
            key = "list_empty_department" if department else "list_empty"
            self.prompts.say(say(key, lang, department=department))
            return
        self.prompts.show_tickets(items, lang)
        if total > len(items):
            self.prompts.say(say("list_more", lang, shown=len(items), total=total))

    def get_ticket(self, parse: Parse) -> None:
        ticket = self.find(parse)
        if ticket:
            self.prompts.show_ticket(ticket, parse.language)

    def delete_ticket(self, parse: Parse) -> None:
        lang = parse.language
        ticket = self.find(parse)
        if not ticket:
            return
        self.prompts.show_ticket(ticket, lang)
        if not self.prompts.confirm(say("confirm_delete", lang, id=ticket["id"]), default=False):
            self.prompts.say(say("not_deleted", lang, id=ticket["id"]))
            return
        try:
            self.call(self.client.delete_ticket, ticket["id"], lang=lang)
        except ApiError:  # only a 404 gets here: deleted meanwhile
            self.prompts.say(say("unknown_id", lang, id=ticket["id"]))
            return
        self.prompts.say(say("deleted", lang, id=ticket["id"]))

    def find(self, parse: Parse) -> dict[str, Any] | None:
        """The ticket the user means, asking for its id when the utterance had none."""
        lang = parse.language
        ticket_id = parse.ticket_id or self.ask_id(lang, parse.latest)
        try:
            return self.call(self.client.get_ticket, ticket_id, lang=lang)
        except ApiError:
            self.prompts.say(say("unknown_id", lang, id=ticket_id))
            return None

    def ask_id(self, lang: str, latest: bool) -> int:
        """Ask which ticket; the newest one is offered when the user said "my last ticket"."""
        known = self.known_ids()
        default = known[0] if latest and known else None
        return self.prompts.ticket_id(say("ask_id", lang), say("id_invalid", lang), known, default)

    def known_ids(self) -> list[int]:
        """The newest ids, for completion; none when the API cannot tell (we ask anyway)."""
        try:
            page = self.client.list_tickets(limit=KNOWN_IDS)
        except ApiError:
            return []
        return [ticket["id"] for ticket in page.get("items", [])]

    def call(self, function: Callable[..., T], *args: Any, lang: str) -> T:
        """`function(*args)`, offering a retry while the API fails; a 404 is raised as is."""
        while True:
            try:
                return function(*args)
            except ApiError as error:
                if error.not_found:
                    raise
                self.prompts.say(failure(error, self.client, lang))
                if not retryable(error) or not self.prompts.confirm(say("retry", lang), True):
                    raise Cancelled from None


def retryable(error: ApiError) -> bool:
    """Worth another try: no answer, an unreadable one, a server error or a rate limit."""
    return error.status is None or error.status >= 500 or error.status == 429


def preview(route: dict[str, Any], lang: str) -> str:
    """'→ Finance, 87%' (or the Triage queue, when the service is unsure)."""
    share = percent(float(route.get("confidence") or 0), lang)
    if route.get("department") == "Triage":
        return say("preview_triage", lang, percent=share)
    return say("preview", lang, department=route.get("department"), percent=share)


def failure(error: ApiError, client: TicketClient, lang: str) -> str:
    """What went wrong with the API, in the user's words."""
    if error.kind == "unreachable":
        return say("api_unreachable", lang, url=client.base_url)
    if error.kind == "timeout":
        return say("api_timeout", lang, seconds=client.timeout)
    if error.kind == "invalid":
        return say("api_invalid", lang)
    if error.status == 401:
        return say("api_unauthorized", lang)
    if error.status == 403:
        return say("api_forbidden", lang, detail=error.detail)
    return say("api_error", lang, status=error.status, detail=error.detail)
