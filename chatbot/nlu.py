"""Understanding: the intent (the model, plus a few rules it cannot miss) and the slots.

The model does the bulk; rules.py overrules it only where the words alone are enough (a lone
"bye", "#12", a ticket id: get or delete). Slots are filled for the intents that use them, as
Rasa maps slots: an id for get/delete (also one marked as an id in a create, list or help
request), a department for list/create, the text for create.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import textclf
from chatbot import rules, slots
from chatbot.description import ticket_text

MODEL_NAME = "chat-intent"
VERSION_ENV = "TRIAGE_INTENT_MODEL_VERSION"
INTENTS = (
    "create_ticket",
    "list_tickets",
    "get_ticket",
    "delete_ticket",
    "help",
    "greet",
    "goodbye",
    "out_of_scope",
)
ACTIONS = ("create_ticket", "list_tickets", "get_ticket", "delete_ticket", "help")
ID_INTENTS = ("get_ticket", "delete_ticket")
# Intents that may mention another ticket ("ticket 12 is back, open a new one"): an id marked
# as one ("ticket 12", "#12", "n°12") is reported, a bare number is not.
REFERENCE_INTENTS = ("create_ticket", "list_tickets", "help")
DEPARTMENT_INTENTS = ("create_ticket", "list_tickets")

_CANCEL = {"cancel", "annuler", "annule", "abort"}


@dataclass(frozen=True)
class Parse:
    """What one utterance means: the contract of `triage-chat parse`, one line of JSON."""

    text: str
    intent: str
    confidence: float
    language: str
    ticket_id: int | None = None
    department: str | None = None
    ticket_text: str | None = None
    latest: bool = False  # no id, but "my last ticket": not part of the JSON contract

    def as_json(self) -> dict:
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": round(self.confidence, 4),
            "language": self.language,
            "ticket_id": self.ticket_id,
            "department": self.department,
            "ticket_text": self.ticket_text,
        }


def is_cancel(text: str) -> bool:
    """'annuler' / 'cancel' typed on its own: leave the current action."""
    return rules.command_form(text) in _CANCEL


class Understanding:
    """Turns a line of text into a Parse; `threshold` is where the bot stops guessing."""

    def __init__(self, model: textclf.LoadedModel, threshold: float | None = None) -> None:
        self.model = model
        self.threshold = model.threshold if threshold is None else threshold

    @classmethod
    def load(cls, version: str | None = None, root: Path | None = None) -> Understanding:
        """The intent model by version ($TRIAGE_INTENT_MODEL_VERSION, default champion)."""
        version = version or os.environ.get(VERSION_ENV) or "champion"
        return cls(textclf.load(MODEL_NAME, version, root=root))

    def parse(self, text: str, language: str = "en") -> Parse:
        """Intent, confidence, language and slots; `language` is used when the text has no clue."""
        text = text.strip()
        if not text:  # a blank line asks for nothing
            return Parse(text, "out_of_scope", 1.0, language)
        if rules.thanks_and_leaves(text):  # "merci d'avoir fermé le 45, bonne soirée"
            return self.fill(text, "goodbye", 1.0, textclf.detect_language(text, language))
        ranked, meant = self.ranking(text), text
        rest = rules.after_greeting(text)
        farewell = bool(rest) and rules.phrase_intent(rest) == "goodbye"  # "salut, à demain"
        if farewell:
            ranked, meant = self.ranking(rest), rest
        elif rest and ranked[0][0] == "greet" and rules.phrase_intent(text) != "greet":
            # "Bonjour, ma souris ne répond plus" (but "bonjour les RH" only greets)
            ranked_rest = self.ranking(rest)
            intent, confidence = ranked_rest[0]
            # a request after the greeting is what is meant; a passing remark still greets
            asked = intent in ACTIONS and intent != "help"
            asked = asked or (intent == "out_of_scope" and rules.asks_something(rest))
            if asked and confidence >= self.threshold:
                ranked, meant = ranked_rest, rest
        intent, confidence = ranked[0]
        parse = self.fill(meant, intent, confidence, textclf.detect_language(text, language))
        return replace(parse, text=text)

    def ranking(self, text: str) -> list[tuple[str, float]]:
        """Every intent with its probability, best first; a certain rule gives its intent 1.0."""
        rule = rules.phrase_intent(text)
        if rule is not None:
            return self._certain(rule)
        ranked = self._model_ranking(text)
        top = ranked[0][0]
        if top == "delete_ticket" and rules.deletes_other_thing(text):
            return self._certain("out_of_scope")  # "annule le réveil de demain matin"
        if rules.asks_new_ticket(text) and not rules.orders_delete(text):
            return self._certain("create_ticket")  # "#482 came back, open a fresh ticket"
        if rules.asks_how_to(text) or rules.asks_languages(text):
            return self._certain("help")  # "how do I list my tickets", "tu parles anglais ?"
        if top in ("help", "out_of_scope") and (meaning := rules.meaning_intent(text)):
            return self._certain(meaning)  # "what does 'awaiting approval' mean"
        if (
            top in ("list_tickets", "get_ticket", "out_of_scope")
            and rules.asks_about_tickets(text)
            and slots.ticket_id(text, loose=True) is None
        ):
            return self._certain("help")  # "who sees my tickets"
        if top in ("create_ticket", "help", "list_tickets", "get_ticket") and (
            rules.names_other_ticket(text) or rules.asks_other_task(text)
        ):
            return self._certain("out_of_scope")  # "prix d'un ticket de bus", "rédige un mail"
        if top == "create_ticket" and rules.follows_up(text):
            return self._certain("get_ticket")  # "my office move, any news?"
        if top == "create_ticket" and rules.is_personal(text):
            return self._certain("out_of_scope")  # "the lift in my apartment block is out"
        if top == "list_tickets" and rules.orders_delete(text):
            # "annule toutes mes demandes en attente": a deletion, one ticket at a time
            return self._certain("delete_ticket")
        if not self._names_ticket(text, *ranked[0]):
            return ranked
        intent, confidence = rules.ticket_intent(text, dict(ranked))
        other = "get_ticket" if intent == "delete_ticket" else "delete_ticket"
        return [(intent, confidence), (other, 1.0 - confidence)] + [
            (i, 0.0) for i in self.model.classes if i not in ID_INTENTS
        ]

    def _certain(self, intent: str) -> list[tuple[str, float]]:
        return [(intent, 1.0)] + [(i, 0.0) for i in self.model.classes if i != intent]

    def _model_ranking(self, text: str) -> list[tuple[str, float]]:
        proba = self.model.predictor.proba_one(text)
        pairs = zip(self.model.classes, proba.tolist(), strict=True)
        return sorted(pairs, key=lambda pair: -pair[1])

    def _names_ticket(self, text: str, intent: str, confidence: float) -> bool:
        """Whether `text` points at one ticket and the model is not sure it means something else."""
        if intent == "create_ticket" and (confidence >= self.threshold or rules.compares_id(text)):
            return False
        if intent == "list_tickets" and rules.means_one_ticket(text):
            return True
        if slots.ticket_id(text) is not None:
            return True
        if slots.ticket_id(text, loose=True) is None:
            return False
        return intent in ID_INTENTS or rules.says_delete(text) or rules.asks_status(text)

    def fill(self, text: str, intent: str, confidence: float, language: str) -> Parse:
        """The Parse of `text` read as `intent`: only the slots that intent uses."""
        return Parse(
            text=text,
            intent=intent,
            confidence=confidence,
            language=language,
            ticket_id=_ticket_id(text, intent),
            department=slots.department(text) if intent in DEPARTMENT_INTENTS else None,
            ticket_text=ticket_text(text) if intent == "create_ticket" else None,
            latest=intent in ID_INTENTS and slots.means_latest(text),
        )

    def is_confident(self, parse: Parse) -> bool:
        return parse.confidence >= self.threshold


def _ticket_id(text: str, intent: str) -> int | None:
    if intent in ID_INTENTS:
        return slots.ticket_id(text, loose=True)
    return slots.ticket_id(text) if intent in REFERENCE_INTENTS else None
