"""How tickets look on screen: a table for a page, a card for one ticket (rich renderables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from chatbot.messages import percent, say

PREVIEW_CHARS = 50


def local_time(stamp: str) -> str:
    """'2026-01-05T09:30:00Z' -> '2026-01-05 10:30' in the local time zone."""
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def start_of(text: str, width: int = PREVIEW_CHARS) -> str:
    """The first line of `text`, cut to `width` characters with an ellipsis."""
    line = " ".join(str(text).split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def tickets_table(items: list[dict[str, Any]], language: str) -> Table:
    """Id, department, date and the start of the description, one row per ticket."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column(say("field_department", language))
    table.add_column(say("field_date", language), no_wrap=True)
    table.add_column(say("field_description", language))
    for ticket in items:
        table.add_row(
            str(ticket.get("id")),
            str(ticket.get("department")),
            local_time(ticket.get("created_at", "")),
            Text(start_of(ticket.get("description", ""))),
        )
    return table


def ticket_card(ticket: dict[str, Any], language: str) -> Table:
    """Every field of one ticket, label on the left."""
    card = Table.grid(padding=(0, 2))
    card.add_column(style="bold")
    card.add_column()
    card.title = say("ticket_heading", language, id=ticket.get("id"))
    share = percent(float(ticket.get("confidence") or 0), language)
    rows = [
        ("field_department", f"{ticket.get('department')} ({share}, {routing(ticket, language)})"),
        ("field_created", local_time(ticket.get("created_at", ""))),
        ("field_requester", ticket.get("requester")),
        ("field_title", ticket.get("title")),
        ("field_description", ticket.get("description")),
    ]
    for key, value in rows:
        if value:
            card.add_row(say(key, language), Text(str(value)))
    return card


def routing(ticket: dict[str, Any], language: str) -> str:
    """Who decided the department: a rule, the model, or nobody yet (the Triage queue)."""
    routed = str(ticket.get("routed_by", ""))
    return say(f"routed_{routed}", language) if routed in ("rule", "model", "fallback") else routed
