"""Whole conversations typed through prompt_toolkit's pipe input, against a real API process."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from chatbot.client import ApiError, TicketClient
from chatbot.nlu import Understanding

pytestmark = pytest.mark.timeout(60)  # a conversation waiting for keys fails instead of hanging
ENTER, DOWN, CTRL_C, BACKSPACE = "\r", "\x1b[B", "\x03", "\x7f"
Converse = Callable[..., str]  # the `converse` fixture: typed keys in, printed text out


def created_id(printed: str) -> int:
    match = re.search(r"Ticket (?:#|n°)(\d+) (?:created|créé)", printed)
    assert match, printed
    return int(match.group(1))


def new_ticket(client: TicketClient, description: str) -> int:
    return client.create_ticket(description)["id"]


def test_create_with_the_text_in_the_utterance(converse: Converse, client: TicketClient) -> None:
    printed = converse("new ticket: my password expired this morning" + ENTER, "y")
    assert "→ IT, 100%" in printed
    ticket = client.get_ticket(created_id(printed))
    assert (ticket["description"], ticket["department"]) == (
        "my password expired this morning",
        "IT",
    )
    assert f"Ticket #{ticket['id']} created → IT." in printed


def test_create_asks_for_the_description_and_refuses_an_empty_one(
    converse: Converse, client: TicketClient
) -> None:
    printed = converse(
        "je voudrais créer un ticket" + ENTER,
        "   " + ENTER,
        "je n'ai pas reçu ma fiche de paie" + ENTER,
        ENTER,
    )
    assert "→ HR, 100 %" in printed
    assert client.get_ticket(created_id(printed))["description"] == (
        "je n'ai pas reçu ma fiche de paie"
    )


def test_create_declined_stores_nothing(converse: Converse, client: TicketClient) -> None:
    before = client.list_tickets()["total"]
    printed = converse("new ticket: the coffee machine leaks" + ENTER, "n")
    assert "no ticket created" in printed
    assert client.list_tickets()["total"] == before


def test_list_shows_a_table_filtered_by_the_department_said(
    converse: Converse, client: TicketClient
) -> None:
    hr = new_ticket(client, "my payslip for March is missing")
    it = new_ticket(client, "I forgot my password again")
    printed = converse("show the HR tickets" + ENTER)
    assert re.search(rf"\b{hr}\s+HR\s+\d{{4}}-\d\d-\d\d \d\d:\d\d\s+my payslip for March", printed)
    assert not re.search(rf"^\s*{it}\s", printed, re.MULTILINE)
    assert "Department" in printed and "Description" in printed


def test_get_asks_for_the_id_and_validates_it(converse: Converse, client: TicketClient) -> None:
    number = new_ticket(client, "The projector in room B shows no signal")
    printed = converse(
        "I'd like to see one of my tickets" + ENTER,
        "abc" + ENTER,
        BACKSPACE * 3 + f"{number}" + ENTER,
    )
    assert f"Ticket #{number}" in printed
    assert "The projector in room B shows no signal" in printed


def test_get_an_unknown_id_says_so(converse: Converse) -> None:
    printed = converse("montre le ticket 987654" + ENTER)
    assert "Il n'y a pas de ticket n°987654." in printed


def test_delete_defaults_to_no_then_deletes_on_yes(
    converse: Converse, client: TicketClient
) -> None:
    number = new_ticket(client, "Please remove my old desk phone")
    kept = converse(f"delete ticket {number}" + ENTER, ENTER)
    assert "Please remove my old desk phone" in kept and f"ticket #{number} kept" in kept
    assert client.get_ticket(number)["id"] == number
    deleted = converse(f"delete ticket {number}" + ENTER, "y")
    assert f"Ticket #{number} deleted." in deleted
    with pytest.raises(ApiError) as error:
        client.get_ticket(number)
    assert error.value.not_found


def test_cancel_word_at_a_slot_prompt_returns_to_the_main_prompt(converse: Converse) -> None:
    printed = converse("supprime un ticket" + ENTER, "annuler" + ENTER, "aide" + ENTER)
    assert "Annulé." in printed
    assert "supprimer un ticket" in printed  # the help text, so the bot kept listening


def test_ctrl_c_at_a_slot_prompt_cancels_the_action(
    converse: Converse, client: TicketClient
) -> None:
    before = client.list_tickets()["total"]
    printed = converse("I want to open a ticket" + ENTER, CTRL_C, "hello" + ENTER)
    assert "Cancelled." in printed and "What can I do for you?" in printed
    assert client.list_tickets()["total"] == before


def test_cancel_at_the_main_prompt_has_nothing_to_cancel(converse: Converse) -> None:
    assert "Nothing to cancel." in converse("cancel" + ENTER)


@pytest.mark.parametrize(
    ("keys", "farewell"),
    [
        ("goodbye" + ENTER + "help" + ENTER, "Goodbye!"),
        ("new ticket" + ENTER + "\x04" + "help" + ENTER, "Goodbye!"),  # Ctrl-D at a slot question
        ("quit" + ENTER + "help" + ENTER, "Goodbye!"),
        ("au revoir" + ENTER + "aide" + ENTER, "Au revoir !"),
        ("", "Goodbye!"),  # Ctrl-D alone
    ],
)
def test_goodbye_quit_and_ctrl_d_leave(converse: Converse, keys: str, farewell: str) -> None:
    printed = converse(keys)
    assert printed.rstrip().endswith(farewell)
    assert "I can:" not in printed and "Je sais" not in printed


def test_help_lists_actions_with_examples(converse: Converse) -> None:
    printed = converse("help" + ENTER)
    for example in ("new ticket:", "show the HR tickets", "ticket 12", "delete ticket 12"):
        assert example in printed


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("do you speak French?", "Write in English or in French."),
        ("tu parles anglais ?", "Écrivez en français ou en anglais."),
    ],
)
def test_asked_about_languages_the_help_names_them(
    converse: Converse, line: str, answer: str
) -> None:
    assert answer in converse(line + ENTER)


def test_out_of_scope_is_declined(converse: Converse) -> None:
    assert "I can only help with helpdesk tickets" in converse(
        "what's the weather like in Paris tomorrow" + ENTER
    )


def test_below_the_threshold_the_bot_offers_a_menu(
    converse: Converse, nlu: Understanding, client: TicketClient
) -> None:
    unsure = Understanding(nlu.model, threshold=1.01)  # never sure: always the menu
    ranking = [
        i
        for i, _ in unsure.ranking("the printer tickets stuff")
        if i in ("create_ticket", "list_tickets", "get_ticket", "delete_ticket", "help")
    ]
    printed = converse(
        "the printer tickets stuff" + ENTER,
        DOWN * ranking.index("list_tickets") + ENTER,
        "tickets stuff" + ENTER,
        DOWN * 5 + ENTER,
        understanding=unsure,
    )
    assert "Description" in printed  # list_tickets ran after the first choice
    assert "OK, tell me again in other words." in printed  # "none of these" the second time


def test_api_down_is_said_with_an_offer_to_retry(converse: Converse, closed_url: str) -> None:
    down = TicketClient(closed_url, timeout=2)
    printed = converse(
        "show ticket 3" + ENTER, "y", "n", "liste les tickets" + ENTER, "n", with_client=down
    )
    assert printed.count("does not answer") == 2
    assert "Cancelled." in printed
    assert "ne répond pas" in printed and "Annulé." in printed


def test_replies_follow_the_language_of_each_utterance(converse: Converse) -> None:
    printed = converse("bonjour" + ENTER, "hello" + ENTER, "12345678" + ENTER)
    assert "Bonjour ! Que puis-je faire pour vous ?" in printed
    assert "Hello! What can I do for you?" in printed
    assert "There is no ticket #12345678." in printed  # "12345678" keeps the last language


def test_my_last_ticket_offers_the_newest_id(converse: Converse, client: TicketClient) -> None:
    number = new_ticket(client, "The blinds in meeting room C are stuck")
    printed = converse("show my last ticket" + ENTER, ENTER)
    assert f"Ticket #{number}" in printed and "The blinds in meeting room C" in printed
