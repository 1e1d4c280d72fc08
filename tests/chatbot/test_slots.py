"""Slot extractors: ticket ids in every written form, departments by synonym, inline ticket text."""

import re
from pathlib import Path

import pandas as pd
import pytest

from chatbot import slots
from chatbot.description import ticket_text
from textclf import fold

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def intents() -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / "intents.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(
    "text",
    [
        "12",
        "#12",
        "# 12",
        "n°12",
        "n° 12",
        "N°12",
        "no 12",
        "no. 12",
        "nr 12",
        "numéro 12",
        "numero 12",
        "number 12",
        "ticket 12",
        "ticket12",
        "ticket#12",
        "le 12",
        "id 12",
        "id:12",
        "show ticket no.12 please",
        "supprime le ticket n° 12 stp",
        "où en est le 12 ?",
        "ticket number 12",
        "ma demande numéro 12",
        "request #12 status",
        "ticket-12",
        "TKT-12",
        "INC-12 status",
        "REQ-0012",
        "RITM0000012",
        "TCK-12",
        "SD-12 status",
        "HR-0012 ça en est où",
    ],
)
def test_ticket_id_reads_every_written_form(text: str) -> None:
    assert slots.ticket_id(text, loose=True) == 12


@pytest.mark.parametrize(
    "text",
    [
        "show me 316",
        "is 316 closed?",
        "quick look at 316",
        "rm 316",
        "I want 316 gone",
    ],
)
def test_a_lone_number_is_an_id_only_when_loose(text: str) -> None:
    assert slots.ticket_id(text, loose=True) == 316
    assert slots.ticket_id(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "l'imprimante du 2e étage est bloquée",
        "wifi très lent au 3eme etage",
        "the printer on floor 2 is jammed",
        "changer la serrure du bureau 214",
        "the blinds in office 4.12 are broken",
        "invoice 5521 was paid twice",
        "la facture 2024-118 a été payée deux fois",
        "create a ticket: invoice no. 5521 paid twice",
        "teams se déconnecte toutes les 5 minutes",
        "refund of 300 € please",
        "convert 100 dollars",
        "what's 15% of 80",
        "meeting at 8pm",
        "rendez-vous à 14h30",
        "supprime le ticket du 12 mars",
        "delete the one from 03/04/2025",
        "montre mes 10 derniers tickets",
        "salle n° 12 trop chaude",
        "the 3rd floor kitchen",
        "the one I opened at 8:30 today, where is it",
        "the request for 2 monitors I made, status",
        "the ticket about the March 15 invoice, any news?",
        "jira gives me a 403 since yesterday",
        "j'ai une erreur 500 sur SAP",
        "error code 1603 when installing",
    ],
)
def test_numbers_that_are_not_ids_are_left_alone(text: str) -> None:
    assert slots.ticket_id(text, loose=True) is None


def test_the_first_id_named_wins() -> None:
    assert slots.ticket_id("delete ticket 12 about invoice 5521") == 12


@pytest.mark.parametrize(
    ("text", "ticket_id"),
    [
        ("duplicate of 45, please delete 46", 46),
        ("le 1044 et le 1045 c'est pareil, vire le 1045", 1045),
        ("c'est qui le responsable du 880 maintenant", 880),
        ("when was 318 last updated", 318),
    ],
)
def test_the_id_among_other_numbers_and_words(text: str, ticket_id: int) -> None:
    assert slots.ticket_id(text, loose=True) == ticket_id


def test_a_floor_said_in_passing_in_a_new_ticket_is_no_reference() -> None:
    assert slots.ticket_id("salut, l'imprimante du 4 sort des pages blanches") is None
    assert slots.ticket_id("besoin d'un PC pour le stagiaire qui arrive le 14") is None
    assert slots.ticket_id("ouvre un ticket, lié au 1187 : facture payée deux fois") == 1187
    assert slots.ticket_id("montre les infos du 12", loose=True) == 12


def test_ticket_id_reproduces_every_annotation(intents: pd.DataFrame) -> None:
    """On the intents that take an id, as the understanding does (others never get one)."""
    wrong = []
    for row in intents.itertuples():
        if row.intent not in ("get_ticket", "delete_ticket"):
            continue
        loose = True
        expected = int(row.ticket_id) if row.ticket_id else None
        if slots.ticket_id(row.text, loose=loose) != expected:
            wrong.append((row.text, expected))
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("tickets RH", "HR"),
        ("open a ticket for payroll", "HR"),
        ("combien de tickets j'ai chez l'IT", "IT"),
        ("tickets info", "IT"),
        ("tickets direction financière", "Finance"),
        ("les ressources humaines", "HR"),
        ("human resources please", "HR"),
        ("show HR tickets", "HR"),
        ("tickets informatique", "IT"),
        ("la DSI", "IT"),
        ("tech support queue", "IT"),
        ("show IT tickets", "IT"),
        ("list it tickets", "IT"),
        ("la compta", "Finance"),
        ("la comptabilité", "Finance"),
        ("finance tickets", "Finance"),
        ("accounting", "Finance"),
        ("les services généraux", "Facilities"),
        ("moyens generaux", "Facilities"),
        ("facilities please", "Facilities"),
        ("building services", "Facilities"),
        ("le juridique", "Legal"),
        ("legal tickets", "Legal"),
        ("the lawyers", "Legal"),
        ("raise it with HR, not IT", "HR"),
    ],
)
def test_department_synonyms(text: str, department: str) -> None:
    assert slots.department(text) == department


@pytest.mark.parametrize(
    "text",
    [
        "ticket it please",
        "can you log it",
        "DELETE IT NOW",
        "what is it",
        "show my tickets",
        "l'informaticien est parti",
    ],
)
def test_no_department_from_pronouns_or_lookalikes(text: str) -> None:
    assert slots.department(text) is None


def test_department_matches_the_list_annotations(intents: pd.DataFrame) -> None:
    rows = intents[intents.intent == "list_tickets"]
    wrong = [
        (t, d)
        for t, d in zip(rows.text, rows.department, strict=True)
        if slots.department(t) != (d or None)
    ]
    assert wrong == []


def test_every_annotated_department_is_found(intents: pd.DataFrame) -> None:
    """Create rows often leave the department they name unannotated; none names another one."""
    rows = intents[intents.department != ""]
    wrong = [
        (t, d) for t, d in zip(rows.text, rows.department, strict=True) if slots.department(t) != d
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("open a ticket: the fridge on floor 3 smells", "the fridge on floor 3 smells"),
        ("I need a new ticket because my VPN token expired", "my VPN token expired"),
        (
            "please log a ticket for IT: outlook asks for my password every hour",
            "outlook asks for my password every hour",
        ),
        ("my second screen flickers, could you open a ticket?", "my second screen flickers"),
        ("create a ticket about printer jams on level 2", "printer jams on level 2"),
        ("nouveau ticket : le store du bureau 305 est cassé", "le store du bureau 305 est cassé"),
        ("crée une demande pour la compta : note de frais refusée", "note de frais refusée"),
        (
            "j'ai plus de réseau depuis ce matin, tu peux ouvrir un ticket ?",
            "j'ai plus de réseau depuis ce matin",
        ),
        ("ouvre un ticket parce que mon badge ne marche plus", "mon badge ne marche plus"),
        (
            "signale aux services généraux que la lumière du parking est en panne",
            "la lumière du parking est en panne",
        ),
        ("help! the printer is on fire", "the printer is on fire"),
        ("log a ticket that says the coffee machine is broken", "the coffee machine is broken"),
        ('new ticket "VPN drops every hour"', "VPN drops every hour"),
        ("crée un ticket « écran cassé »", "écran cassé"),
        ("new request: access to the finance sharepoint", "access to the finance sharepoint"),
        ("can you put a ticket in? i can't log into workday", "i can't log into workday"),
        (
            "ouvre un ticket services généraux, la porte du garage ne s'ouvre plus",
            "la porte du garage ne s'ouvre plus",
        ),
        ("open a ticket to cancel my gym benefit", "cancel my gym benefit"),
        ("need to report a broken window in the stairwell", "a broken window in the stairwell"),
        ("besoin d'aide : impossible d'ouvrir Teams", "impossible d'ouvrir Teams"),
        (
            "Suite à notre échange, pourriez-vous ouvrir un ticket pour l'informatique : "
            "mon poste redémarre tout seul",
            "mon poste redémarre tout seul",
        ),
        (
            "As discussed with my manager, please raise a request to HR to correct my leave days",
            "correct my leave days",
        ),
        ("le VPN plante depuis ce matin", "le VPN plante depuis ce matin"),
        ("Bonjour, ma souris ne répond plus !", "ma souris ne répond plus"),
        (
            "Dear Helpdesk, my expense claim was rejected twice. Kind regards, Margaret Holloway",
            "my expense claim was rejected twice",
        ),
        ("the window in our office won't close and it's raining in 😬", None),
        ("Je souhaite signaler une fuite d'eau au 5e étage.", "une fuite d'eau au 5e étage"),
        (
            "Could you please create a ticket regarding my leave balance, which looks wrong",
            "my leave balance, which looks wrong",
        ),
        (
            "Peux-tu ouvrir une demande pour mes 3 alternants ? Leur mutuelle n'est pas activée",
            "Leur mutuelle n'est pas activée",
        ),
        (
            "salut, ouvre un ticket stp l'imprimante zebra bourre encore",
            "l'imprimante zebra bourre encore",
        ),
        ("la porte sectionnelle du quai 7 remonte plus", None),
        ("clocking machine didnt record me in this morning", None),
        (
            "Hello, assistant to the CFO here. His calendar stopped syncing, can someone look?",
            "His calendar stopped syncing",
        ),
        (
            "Thanks for the help last week! New one though: the blinds are stuck down",
            "the blinds are stuck down",
        ),
        (
            "I can't log into Workday, it says my account is locked?? first week btw",
            "I can't log into Workday, it says my account is locked",
        ),
        (
            "hi team, the shredder on 3 is jammed, can someone look at it?",
            "the shredder on 3 is jammed",
        ),
        ("escalate this please: payroll portal shows a 500", "payroll portal shows a 500"),
        ("pouvez-vous escalader ? la clim du 2e souffle chaud", "la clim du 2e souffle chaud"),
        (
            "la photocopieuse du 1er fait des traces, qqn peut passer ?",
            "la photocopieuse du 1er fait des traces",
        ),
        (
            "Dear team, the fax in accounts prints blank pages. Could you please look into it? "
            "Yours faithfully, P. Grant",
            "the fax in accounts prints blank pages",
        ),
        (
            "Bonjour, le store du bureau 12 est bloqué. Merci d'avance, Inès",
            "le store du bureau 12 est bloqué",
        ),
        (
            "Can you open a Finance ticket? My claim is stuck in 'awaiting approval' since May.",
            "My claim is stuck in 'awaiting approval' since May",
        ),
        (
            "Je souhaiterais ouvrir un ticket auprès du service des ressources humaines : "
            "mon solde de congés est faux",
            "mon solde de congés est faux",
        ),
        (
            "I want to report the shower on floor 1 is broken, the drain overflows",
            "the shower on floor 1 is broken, the drain overflows",
        ),
        (
            "Bonjour, mon badge ne marche plus. Je ne sais pas si je m'adresse au bon endroit.",
            "mon badge ne marche plus",
        ),
        (
            "Madame, Monsieur, la facture Orange est en double, la compta doit la bloquer",
            "la facture Orange est en double",
        ),
        (
            "the microwave in the break room sparks, someone needs to unplug it",
            "the microwave in the break room sparks",
        ),
    ],
)
def test_ticket_text_is_cut_out_of_the_command(text: str, expected: str | None) -> None:
    """`None` as expected: the whole text is the description."""
    assert ticket_text(text) == (text.rstrip(" 😬") if expected is None else expected)


@pytest.mark.parametrize(
    "text",
    [
        "I want to create a ticket",
        "open a ticket with legal",
        "create a ticket for finance please",
        "new ticket please",
        "nouveau ticket stp",
        "open a ticket for me",
        "crée une demande pour moi",
        "got a problem, can someone write it up",
        "j'ai un souci, tu peux ouvrir un ticket",
        "new ticket:",
        "sup bot, gotta report an issue",
        "i've got something for the helpdesk, can you take it down",
        "I would like to open a new request, if that is at all possible.",
        "Pouvez vous créer une demande pour moi s'il vous plait",
        "je voudrais creer un ticket pour mon chef svp",
        "Bonjour, j'aimerais déclarer un incident s'il vous plaît",
        "je souhaite déclarer un problème technique",
        "Est-ce que vous pouvez me créer un ticket RH ?",
        "open a ticket for me please, details to follow",
        "tu peux me créer une demande ? je te donne les détails après",
    ],
)
def test_no_ticket_text_when_the_utterance_only_asks(text: str) -> None:
    assert ticket_text(text) is None


def test_ticket_text_matches_the_create_annotations(intents: pd.DataFrame) -> None:
    rows = intents[intents.intent == "create_ticket"]
    agree = sum(
        ticket_text(t) == (x or None) for t, x in zip(rows.text, rows.ticket_text, strict=True)
    )
    assert agree / len(rows) >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "qu'est-ce qui s'est passé en 1789",
        "the Nasdaq 100 closed higher?",
        "le CAC 40 a fait quoi aujourd'hui",
        "la clé de mon nouveau bureau, le 305, n'est pas arrivée",
        "show the first 20",
        "there were 4 or 5 of them about laptops",
    ],
)
def test_years_indices_and_offices_are_not_tickets(text: str) -> None:
    assert slots.ticket_id(text, loose=True) is None


def test_a_day_of_the_month_is_not_a_ticket() -> None:
    assert slots.ticket_id("relecture du contrat avant le 15") is None
    assert slots.ticket_id("on a la clôture du mois le 31, le VPN plante") is None
    assert slots.ticket_id("supprime le 15") == 15


def test_numbers_in_new_ticket_texts_are_not_taken_for_ids(intents: pd.DataFrame) -> None:
    """Amounts, rooms, floors, dates and invoice numbers in create_ticket requests name no
    ticket; only a ticket the request refers to does ("same problem as #930", "INC-3318
    closed too early", "une relance du 640", "le 309 a été clôturé trop vite")."""
    creating = intents[intents["intent"] == "create_ticket"]
    wrong = []
    for text in creating["text"]:
        number = slots.ticket_id(text)
        if number is None:
            continue
        folded = fold(text)
        marked = re.search(
            rf"(?:#|n°|ticket|numero|request|requete|inc-0*)\s?{number}(?!\d)", folded
        )
        # "le 309 a été clôturé trop vite", "réglé avec le 577": an earlier ticket
        articled = re.search(rf"(?:du|au|le) {number}(?!\d)", folded) and (
            number >= 100 or re.search(rf"(?:a jour|rouvrir|reopen) le {number}", folded)
        )
        if not (marked or articled):
            wrong.append((text, number))
    assert wrong == []
