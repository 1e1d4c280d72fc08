"""A problem told as it is: cue words that only name things, and the wrappers around it."""

import re

import pytest

from chatbot import problem
from chatbot.slots import keep_length_fold


def first_cue(text: str, word: str) -> tuple[str, re.Match]:
    folded = keep_length_fold(text)
    return folded, re.search(rf"(?<!\w){word}(?!\w)", folded)


@pytest.mark.parametrize(
    ("text", "word", "thing"),
    [
        ("my holiday request has been pending for 3 weeks", "request", True),
        ("la demande d'achat est coincée", "demande", True),
        ("le wifi demande un code", "demande", True),
        ("Excel crashes whenever I open the forecast file", "open", True),
        ("open a ticket please", "open", False),
        ("log a fault with the cleaners", "log", False),
        ("new request: access to the finance sharepoint", "request", False),
        ("un mail bizarre qui demande mon mot de passe", "demande", True),
        ("card blocked after buying a train ticket", "ticket", True),
        ("my performance review form won't submit", "submit", True),
        ("submit a ticket for me", "submit", False),
        ("mon entretien annuel ne veut pas s'enregistrer", "enregistrer", True),
        ("log: the fridge in the break room smells awful", "log", False),
        ("clocking machine didnt record me this morning", "record", True),
        ("la porte du quai remonte plus", "remonte", True),
        ("SAP logs me out when I open the cost center report", "report", True),
    ],
)
def test_a_cue_word_may_only_name_a_thing(text: str, word: str, thing: bool) -> None:
    folded, match = first_cue(text, word)
    assert problem.cue_is_a_thing(folded, match) is thing


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("URGENT smell of gas near the back entrance", "smell of gas near the back entrance"),
        ("Hi HR, tax code is wrong on my payslip", "tax code is wrong on my payslip"),
        ("pour la compta : le client n'a pas payé", "le client n'a pas payé"),
        ("the E key fell off lol", "the E key fell off"),
        (
            "I clicked a suspicious link in an email sorry",
            "I clicked a suspicious link in an email",
        ),
        ("mouse dead, batteries didn't help", "mouse dead, batteries didn't help"),
        ("la DSI, le ventilo de mon portable hurle", "le ventilo de mon portable hurle"),
        ("bonjour a tous plus moyen d'ouvrir Concur", "plus moyen d'ouvrir Concur"),
        ("wesh le wifi de la cantine est mort", "le wifi de la cantine est mort"),
        ("la compta a pas payé ma facture", "la compta a pas payé ma facture"),
        ("webcam shows black, help!", "webcam shows black"),
        ('SAP me dit "verrouillé"', 'SAP me dit "verrouillé"'),
        (
            "les néons clignotent non stop ngl ça donne mal à la tête",
            "les néons clignotent non stop",
        ),
        (
            "j'ai besoin d'une place de parking, on m'a dit de passer par toi",
            "j'ai besoin d'une place de parking",
        ),
        ("Madame, Monsieur, ma note de frais est bloquée", "ma note de frais est bloquée"),
        (
            "my contract has the wrong job title on it fyi",
            "my contract has the wrong job title on it",
        ),
        ("hello again, the scanner is offline", "the scanner is offline"),
        ("salut le bot, Excel rame a mort", "Excel rame a mort"),
        ("Morning, Priya here. The lift smells of smoke", "The lift smells of smoke"),
        ("legal pls: the NDA for Orbis expired", "the NDA for Orbis expired"),
        ("les services generaux svp, le store est bloqué", "le store est bloqué"),
        ("quick one: Outlook search finds nothing", "Outlook search finds nothing"),
        ("ugh, the blinds on floor 2 are stuck", "the blinds on floor 2 are stuck"),
        ("Concur rejects my receipts, need help", "Concur rejects my receipts"),
    ],
)
def test_wrappers_around_a_problem_are_cut(text: str, kept: str) -> None:
    start, end = problem.without_wrappers(keep_length_fold(text))
    assert text[start:end] == kept
