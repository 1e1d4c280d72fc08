"""What the bot prints: the routing preview, the ticket table and card, in both languages."""

from rich.console import Console

from chatbot.actions import failure, preview
from chatbot.client import ApiError, TicketClient
from chatbot.messages import percent
from chatbot.views import start_of, ticket_card, tickets_table

TICKET = {
    "id": 7,
    "title": None,
    "description": "Le chauffage est coupé au 3e étage " * 3,
    "requester": "marie@example.com",
    "language": "fr",
    "department": "Facilities",
    "confidence": 0.873,
    "routed_by": "model",
    "model_version": 1,
    "explanation": [],
    "created_at": "2026-01-05T09:30:00Z",
}


def render(renderable: object) -> str:
    console = Console(width=100, record=True, file=None, force_terminal=False)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def test_the_preview_names_the_department_and_the_confidence() -> None:
    assert preview({"department": "Finance", "confidence": 0.873}, "en") == "→ Finance, 87%"
    assert preview({"department": "Finance", "confidence": 0.873}, "fr") == "→ Finance, 87 %"


def test_the_preview_explains_the_triage_queue() -> None:
    assert "a person will route it" in preview({"department": "Triage", "confidence": 0.4}, "en")


def test_percent_follows_the_language() -> None:
    assert (percent(1.0, "en"), percent(0.005, "fr")) == ("100%", "0 %")


def test_long_descriptions_are_cut_on_one_line() -> None:
    cut = start_of("first line\nsecond line " + "x" * 80)
    assert len(cut) == 50 and cut.endswith("…") and "\n" not in cut


def test_the_table_has_id_department_date_and_description() -> None:
    printed = render(tickets_table([TICKET], "fr"))
    assert "Service" in printed and "Description" in printed
    assert "7" in printed and "Facilities" in printed and "Le chauffage est coupé" in printed
    assert "2026-01-05" in printed


def test_the_card_shows_every_field_and_how_it_was_routed() -> None:
    printed = render(ticket_card(TICKET, "en"))
    for text in ("Ticket #7", "Facilities (87%, model)", "marie@example.com", "Requester"):
        assert text in printed
    assert "Title" not in printed  # empty fields are left out


def test_api_failures_are_told_in_the_user_language() -> None:
    client = TicketClient("http://127.0.0.1:9", timeout=2.5)
    cases = [
        (ApiError("unreachable", ""), "en", "The ticket service at http://127.0.0.1:9 does not"),
        (ApiError("timeout", ""), "fr", "n'a pas répondu en 2.5 s"),
        (ApiError("http", "", 401, "Missing key"), "en", "set TRIAGE_API_KEY"),
        (ApiError("http", "", 403, "agents only"), "fr", "ne permet pas cette action (agents"),
        (ApiError("http", "", 503, "The database is unavailable"), "en", "error (503): The data"),
    ]
    for error, language, expected in cases:
        assert expected in failure(error, client, language)
