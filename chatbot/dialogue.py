"""Deciding: what to do with each utterance. No terminal and no HTTP here, only the objects
passed in (understanding, prompts, actions), so tests drive a whole conversation.

Below the model's confidence threshold the bot does not guess: it offers the actions as a
menu (Rasa's fallback classifier does the same with its threshold).
"""

from __future__ import annotations

from chatbot.actions import Actions, failure
from chatbot.client import ApiError, TicketClient
from chatbot.messages import say
from chatbot.nlu import ACTIONS, Parse, Understanding, is_cancel
from chatbot.prompts import Cancelled, Prompts

NONE = "none"
REPLIES = ("greet", "help", "out_of_scope")  # intents answered with their message


class Dialogue:
    """One conversation; `language` follows the user from utterance to utterance."""

    def __init__(
        self, nlu: Understanding, prompts: Prompts, client: TicketClient, language: str = "en"
    ) -> None:
        self.nlu, self.prompts, self.client = nlu, prompts, client
        self.actions = Actions(prompts, client)
        self.language = language

    def run(self) -> None:
        """Greet, then answer utterances until goodbye, 'quit', Ctrl-D or Ctrl-C."""
        self.prompts.say(say("welcome", self.language))
        try:
            while self.respond(self.prompts.utterance()):
                pass
        except (EOFError, KeyboardInterrupt):  # also Ctrl-D at a slot question
            self.prompts.say(say("goodbye", self.language))

    def respond(self, text: str) -> bool:
        """Handle one utterance; False once the user has said goodbye."""
        if not text.strip():
            return True
        if is_cancel(text):
            self.prompts.say(say("nothing_to_cancel", self.language))
            return True
        parse = self.nlu.parse(text, self.language)
        self.language = parse.language
        if not self.nlu.is_confident(parse):
            parse = self.clarify(parse)
        return parse is None or self.act(parse)

    def clarify(self, parse: Parse) -> Parse | None:
        """Ask which action was meant, most likely first; None when none was."""
        lang = parse.language
        likely = [intent for intent, _ in self.nlu.ranking(parse.text) if intent in ACTIONS]
        choices = [(intent, say(f"choice_{intent}", lang)) for intent in likely]
        try:
            chosen = self.prompts.select(
                say("not_sure", lang), choices + [(NONE, say("choice_none", lang))]
            )
        except Cancelled:
            chosen = NONE
        if chosen == NONE:
            self.prompts.say(say("rephrase", lang))
            return None
        return self.nlu.fill(parse.text, chosen, 1.0, lang)

    def act(self, parse: Parse) -> bool:
        """Reply or run the intent's action; False for goodbye."""
        lang = parse.language
        if parse.intent == "goodbye":
            self.prompts.say(say("goodbye", lang))
            return False
        if parse.intent in REPLIES:
            self.prompts.say(say(parse.intent, lang))
            return True
        try:
            self.actions.run(parse)
        except Cancelled:
            self.prompts.say(say("cancelled", lang))
        except ApiError as error:  # e.g. a 404 on /classify: not the ticket service
            self.prompts.say(failure(error, self.client, lang))
        return True
