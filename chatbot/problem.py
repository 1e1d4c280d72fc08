"""A problem told as it is ("my holiday request is still pending", "URGENT le VPN plante")
rather than a command to log one: which cue words only name things, and the wrappers around
the description (a greeting, "urgent", an addressee, a trailing "lol" or ", help").

Works on folded text of the same length as the original (chatbot.slots.keep_length_fold).
"""

from __future__ import annotations

import re

from chatbot.slots import DEPARTMENT_NAME

_NOUN_CUE = re.compile(
    r"tickets?|tiket|tickt|tkt|requests?|issues?|incident|case|demande|requete|reclamation"
    r"|dossier|report|record|billet"
)
_OBJECT_VERB = re.compile(
    r"open|(?<!s')ouvre[rz]?|ouvrir|file|record|make|add|log|create|creer|cree|fais|faire"
    r"|soumet\w*|poste[rz]?|submit|register"
)
# "la porte remonte plus": the verb of the problem, not "remonter un souci"
_NOT_REPORTING = {"plus", "pas", "jamais", "mal", "bien", "seul", "seule", "tout", "toute"}
_NEGATIONS = set(
    "not never didnt didn't doesnt doesn't dont don't wont won't cant can't cannot couldnt "
    "couldn't wouldnt wouldn't isnt isn't ne n' pas".split()
)
# What a verb must open or log to be a command: "open a ticket", "log a fault", "file one".
_TICKET_WORD = re.compile(
    r"tickets?|tiket|tkt|requests?|demandes?|requetes?|issues?|incidents?|cases?|dossiers?"
    r"|one|something|truc|it|ca|this|that|up|problems?|problemes?|bugs?|faults?|complaints?"
    r"|entry|entries|souci|soucis|anomalies?|pannes?"
)
# Before a cue noun, what makes it a thing of the problem: "my request", "la demande".
_OWNERS = set(
    "my our your his her their ma mon mes sa son ses notre votre nos vos la le les l' "
    "expense purchase training holiday leave budget access refund train flight "
    "center centre cost sales monthly weekly annual quarterly audit "
    # a verb, not a noun: "un mail qui demande mon mot de passe", "on me demande"
    "qui il elle ca on me te nous vous".split()
)
# After it, the same: "demande de congés", "the request has been", "le wifi demande un code".
_COMPLEMENTS = set("de d' du des from partage has is was est un une la le l' les".split())
_ADDRESSEE = (
    r"(?:hi|hello|hey|hiya|morning|good morning|good afternoon|bonjour|bonsoir|salut|slt|bjr"
    r"|coucou|yo|wesh|hola|cc)(?:\s+(?:team|all|there|everyone|guys|bot|l'equipe|la team|hr|it|rh"
    r"|finance|legal|facilities|a tous|a toutes|tout le monde|la dsi|la compta|le support"
    r"|again|de nouveau|le bot|le service (?:informatique|juridique|rh|compta|support)"
    r"|les services generaux))?"
    # who is writing, after a greeting or alone: "Tom here."
    r"|[a-z][\w-]* here(?=\s*[.,!])"
    r"|ugh+|argh+|pf+|rah+|quick one(?=\s*:)|quick question(?=\s*:)"
    rf"|(?:for|to|pour|aux?|a)\s+(?:the\s+|la\s+|le\s+|l')?(?:{DEPARTMENT_NAME}|support)"
    r"|urgent|urgence|asap|au secours|ngl|lowkey|tbh|honestly|franchement|madame,? monsieur"
    r"|allo|dzien dobry|buongiorno|buenos dias|bom dia|ola|merhaba|salam|namaste"
    r"|chere? (?:equipe|support|helpdesk|service|collegues?)|chers collegues"
    # apologies and doubts before the problem: "I am sorry to trouble you, but …"
    r"|(?:i am|i'm) (?:so )?sorry to (?:trouble|bother) you,? but|sorry to bother,? but"
    r"|(?:i am|i'm) afraid(?: that)?|(?:i am|i'm) not sure (?:whether|if) [^,.]{1,60},? but"
    r"|je me permets de vous (?:ecrire|contacter) (?:car|parce que)"
    r"|(?:is this|am i in) the right place\??"
    r"|dear (?:helpdesk|help desk|support|team|all|colleagues|sir or madam|sir|madam)"
    # who it is for, before a colon: "pour mon équipe au 3e : …", "for my team: …"
    r"|(?:pour|for|on behalf of|de la part de)\s[^:]{1,50}(?=\s*:)"
    r"|(?:sorry|desole|desolee|dsl|excusez[- ]moi)"
    r" (?:to (?:bother|trouble) you|de (?:vous |te )?deranger)"
    # a department called before the problem, comma or colon after it: "la DSI, …", "IT: …"
    r"|(?:the\s+|la\s+|le\s+|les\s+|l')?(?:it|dsi|hr|rh|finance|legal|facilities|compta|juridique"
    r"|informatique|support|helpdesk|services? generaux)(?:\s+(?:team|dept|department|equipe))?"
    r"(?:\s+(?:pls|plz|please|svp|stp))?"
    r"(?=\s*(?:[,:]|\s-\s))"
)
_INTRO = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:i'?ve got|i have|got) (?:one|a new one|another one|something) for you"
    r"|(?:a )?new one(?: though)?|another one|nouveau (?:souci|probleme|pb|truc)"
    r"|autre (?:souci|probleme|chose)|(?:un )?nouveau pour (?:toi|vous))\s*:\s*"
)
_WRAPPER_LEAD = re.compile(rf"\s*(?:{_ADDRESSEE})\s*(?:[,!.:;\-–]+\s*|\s+(?=\S))")
_WRAPPER_TAIL = re.compile(
    r"(?<!n't)(?<!not)(?<!didnt)(?<!doesnt)(?<!wont)(?<!cant)"  # "batteries didn't help"
    r"[\s,;.!-]+(?:(?:i )?needs? help|besoin d'aide|urgent|asap"
    r"|help|lol|mdr|ptdr|jpp|xd|oops|oups|fyi|btw|:\(|au secours|not cool"
    r"|please help|pls help"
    r"|sorry|dsl|desole|desolee|what should i do|what do i do|que dois-je faire|que faire"
    r"|je fais comment|c'est normal"
    r"|someone help|qqn peut aider|quelqu'un peut aider"
    # the writer's own state: "… non stop ngl ça donne mal à la tête", "idk what I did wrong"
    r"|(?:idk|jsp|ngl|dunno|chais pas)\b[^,.;!?]*)[\s?!.]*$"
)
# A trailing clause, after a comma or a full stop, that only tells how the writer came here
# or that is an aside: "…, first week btw", "…, on m'a dit de passer par toi".
_ASIDE_TAIL = re.compile(
    r"[,;.!?]+\s*(?:(?:i don't know|je sais pas)\b[^,.;!?]*|[^,.;!?]*\b(?:btw|fyi)"
    r"|[^,.;!?]*\b(?:(?:said|told me) to (?:ask|use|come to) (?:the bot|you|here)"
    r"|m'a dit de (?:passer par|demander a|voir avec) (?:toi|vous|le bot|ici))"
    # doubts about the channel: "…. Je ne sais pas si je m'adresse au bon endroit"
    r"|[^,.;!?]*\b(?:bon endroit|right place|wrong place|bonne personne|right person"
    r"|bon service|right team)\b[^.;!?]*)[\s?!.]*$"
)
# Whom it is for, said last after a break: "…, services generaux svp", "…? ticket RH stp",
# "…, c'est pour les RH svp".
_DEPARTMENT_TAIL = re.compile(
    r"[,;:.!?-]\s*(?:i (?:believe|think|guess) )?(?:this is |it's |it is |c'est |ca part )?"
    r"(?:one |un )?(?:(?:pour|for) )?(?:(?:les|la|le|the) )?(?:ticket )?"
    rf"{DEPARTMENT_NAME}(?: (?:svp|stp|pls|please))?[\s?!.]*$"
)
_END = " \t.!?,;"


def cue_is_a_thing(folded: str, match: re.Match) -> bool:
    """'my holiday request', 'la demande d'achat', 'when I open the file': the cue word found
    by `match` names something in the problem instead of asking to log it."""
    if folded[max(match.start() - 2, 0) : match.start()] == "s'":  # "s'enregistrer": reflexive
        return True
    before = folded[: match.start()].split()[-1:] or [""]
    after = folded[match.end() :].split()[:3]
    if before[0] in _NEGATIONS:  # "the clock didn't record me", "ne s'ouvre pas"
        return True
    if match.group().startswith("remonte") and after and after[0] in _NOT_REPORTING:
        return True
    if _NOUN_CUE.fullmatch(match.group()):
        return before[0] in _OWNERS or bool(after) and after[0] in _COMPLEMENTS
    if _OBJECT_VERB.fullmatch(match.group()):
        if folded[match.end() :].lstrip().startswith(":"):  # "log: the fridge smells"
            return False
        return not any(_TICKET_WORD.fullmatch(word.strip(_END + ":")) for word in after)
    return False


def lead_end(folded: str, start: int = 0) -> int:
    """Where the text starts after its leading wrappers (greeting, addressee, "urgent")."""
    while (match := _WRAPPER_LEAD.match(folded, start)) and match.end() > start:
        start = match.end()
    return start


def without_wrappers(folded: str) -> tuple[int, int]:
    """The span without a leading greeting, "urgent" or addressee ("for IT:", "aux RH :")
    and without a trailing aside ("lol", ", help", "fyi")."""
    start, end = 0, len(folded.rstrip(_END))
    if (intro := _INTRO.search(folded[:120])) and intro.end() < end:
        start = intro.end()
    start = lead_end(folded, start)
    for pattern in (_ASIDE_TAIL, _WRAPPER_TAIL, _DEPARTMENT_TAIL):
        if tail := pattern.search(folded[:end], start):
            end = tail.start()
    return start, max(end, start)
