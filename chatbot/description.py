"""The ticket text carried inside a create_ticket utterance, if any.

"create a ticket: my screen stays black", "raise a ticket that the tap leaks", "mon pc ne
démarre plus, tu peux faire un ticket ?", "help, my password expired": the command part is
cut away and what is left is kept when it says something ("open a ticket for me" carries
nothing). Matching runs on folded text of the same length, the result is cut from the original.
"""

from __future__ import annotations

import re
import unicodedata

from chatbot import problem
from chatbot.slots import DEPARTMENT_NAME, department, department_words, keep_length_fold

# Words that make a clause a request to create a ticket.
_CUE = (
    r"tickets?|tiket|tickt|tkt|requests?|issues?|incident|case|demande|requete|reclamation"
    r"|billet|dossier|log(?! ?in)|file|report|raise|record|register|lodge"
    r"|put (?:something |one )?in"
    r"|create|creer|cree|open|(?<!s')ouvre[rz]?|(?<!s')ouvrir|signale[rz]?|declare[rz]?"
    r"|enregistre[rz]?|declaration|signalement|flag|(?<!.)new one|soumet\w*|poste[rz]?"
    r"|remonte[rz]?|add|ajoute|submit|make|fais|faire|escalate|escalade[rz]?"
)
_HAS_CUE = re.compile(rf"(?<!\w)(?:{_CUE})(?!\w)")
_QUOTED = re.compile(r"[\"“«]\s*(.+?)\s*[\"”»]|(?<![\w])'(.+?)'(?!\w)")
_LEAD_SEPARATOR = re.compile(r"^(?P<cmd>.{1,90}?)\s*(?::|->|=>|\s[-–—]\s)\s*(?P<body>.+)$")
_LEAD_SENTENCE = re.compile(r"\s*(?:[,;!?]|\.(?!\d))\s*")
_CONNECTOR = re.compile(
    r"\s(?:saying|to say|that says|that|about|regarding|because|concerning|pour dire que"
    r"|pour signaler que|concernant|parce que|car|que|pour|pr|for|to)\s"
)
_LEAD_COMMAND = re.compile(
    rf"^(?:(?:please|pls|plz|svp|stp)\s+)?(?:(?:{_CUE}|new|nouveau|nouvelle)\s+)?"
    r"(?:(?:a|an|un|une|new|nouveau|nouvelle)\s+)?(?:ticket|tiket|demande|request|issue"
    r"|incident)\s+(?:(?:de|to|about|for|pour|sur|concernant)\s+|d')?(?P<body>.+)$"
)
_HELP = re.compile(
    r"^(?:i need help|need help|help|aide|au secours|aidez[- ]moi|sos|(?:j'ai )?besoin d'aide)\b"
    r"(?:[\s,!.:]|please|pls|plz|svp|stp|me)*(?P<body>.+)$"
)
_TAIL_SEPARATOR = re.compile(r"(?:\.\.\.|[,.;!?]|\s[-–—]|\s->)\s*")
_STARTER = (
    r"(?:can|could|would) (?:you|u|someone|somebody|anyone)|please|pls|plz|merci de"
    r"|tu peux|tu pourrais|peux[- ]tu|vous pouvez|vous pourriez|pouvez[- ]vous"
    r"|(?:il )?faudrait|il faut que|faut que|j'aimerais que|je voudrais que"
    r"|(?:can|could) (?:it|this|that) be|est[- ]ce que (?:tu|vous)"
    r"|pourriez[- ]vous|pourrais[- ]tu|serait[- ]il possible|would you (?:kindly|please)"
    r"|(?:can|could) (?:something|anything) be|i(?:'d| would) be grateful"
    r"|je vous serais reconnaissante?"
)
# Only at the end: "…, someone needs to clean it out", "…, qqn peut regarder ?"
_TAIL_ONLY = (
    r"(?:someone|somebody|qqn|quelqu'un) (?:needs to|should|peut|pourrait|doit)"
    # who should act, said last: "…, I believe the Legal department must be informed",
    # "…, la finance doit débloquer", "…, need a replacement"
    r"|(?:and )?i (?:believe|think) (?:the )?\w+ (?:department |team )?(?:must|should|needs to)"
    r"|je pense qu'il faut|(?:la|le|les) (?:finance|compta|dsi|rh|juridique) doi(?:t|vent)"
    r"|need (?:a|an) replacement"
)
_TAIL_STARTER = re.compile(rf"\s(?:{_STARTER}|{_TAIL_ONLY})\s")
_STARTS_TAIL = re.compile(rf"^(?:{_STARTER}|{_TAIL_ONLY})\s")
_STARTS_REQUEST = re.compile(rf"^(?:{_STARTER})\s")
_LEAD_REPORT = re.compile(
    r"^(?:i'd like to |i would like to |i should like to |i want to |i need to |need to "
    r"|je voudrais |je veux |je dois |je souhaite |je souhaiterais |j'aimerais |je )?"
    r"(?:report|request|signale[rz]?|declare[rz]?)\s+"
    rf"(?:(?:to (?:the )?|aux? ){DEPARTMENT_NAME}\s+)?"
    r"(?:that\s+|que\s+|qu')?(?P<body>.+)$"
)
_FOR_WHOM = (
    r"(?:(?:for|pour|pr|on behalf of|de la part de|au nom de|pour le compte de) )?"
    r"(?:my|mon|ma|mes|our|notre|nos|the|le|la|l')\s?(?:boss|manager|chef|cheffe|director"
    r"|directeur|directrice|responsable|team|equipe|vp|ceo|cfo|dg|daf|department head"
    r"|directeur financier|directrice financiere|colleague|collegue|new hire|nouvel arrivant)"
)
_FILLER = re.compile(
    r"^(?:please|pls|plz|thx|thanks|thank you|merci|svp|stp|lol|asap|urgent|est[- ]ce que"
    r"|s'il (?:vous|te) plait|would you|will you|si possible"
    r"|(?:(?:if|si) )?(?:(?:that|it) )?(?:is |'s |c'est )?(?:at all )?possible"
    rf"|{_FOR_WHOM}"
    r"|(?:for|pour|pr) (?:me|moi)|a ma place|me|moi|that|this|ca|it"
    r"|(?:hi|hello|hey|sup|yo|ok|okay|salut|bonjour|coucou)(?: (?:bot|chatbot|there|le bot))?)$"
)
_EDGE_FILLER = re.compile(
    r"(?i)(?:^|\s)(?:please|pls|plz|thx|thanks|merci|svp|stp|lol|s'il (?:vous|te) pla[iî]t)$"
)
_LEAD_FILLER = re.compile(
    r"(?i)^(?:(?:please|pls|plz|svp|stp|me|moi|(?:for|pour|pr) (?:me|moi)"
    r"|euh+|um+|uh+|heu+|hey|bon(?!\s+(?:de|d'))|hi|hello|bonjour|bonsoir|salut|coucou|yo"
    r"|good (?:morning|afternoon|evening)|madame,? monsieur)"
    r"(?![\w'])[\s,.;:!?]*)+"
)
_VAGUE = re.compile(
    r"^(?:euh |um |so |ok )?(?:(?:i )?need to (?:raise|log|report|flag) )?"
    r"(?:i have |i've got |got |j'ai |il y a |there is )?"
    r"(?:a |an |un |une |some |quelque )?(?:problem|probleme|issue|souci|truc"
    r"|something|chose|bug|question|dysfonctionnement|panne|incident|un truc)"
    r"(?: (?:technique|informatique|technical|urgent|urgente))?"
    r"(?: (?:for|pour|pr) (?:me|moi|you|toi|(?:the |le |la )?(?:helpdesk|support)))?$"
)
_TRIM = " \t,.;:!?-–—\"'“”«»"
# What only sets the scene before a request: "Suite à notre échange, …", "As discussed with my
# manager, …", "Context: …", "I'm reaching out on behalf of my director: …".
_CONTEXT = re.compile(
    r"^(?:(?:hello|hi|dear \w+|bonjour|bonsoir|madame,? monsieur|to whom it may concern)[,!.]?\s+)?"
    r"(?:suite a|following|as discussed|as agreed|as requested|further to|per the|after speaking"
    r"|comme convenu|comme discute|pour faire suite|dans le prolongement|je fais suite"
    r"|pour information|for information|fyi|sorry for my english|excusez mon francais"
    r"|je suis pas bien parler francais|context|contexte"
    # who writes for whom: "assistant to the CFO here.", "je vous écris de la part de …"
    r"|(?:i'?m |i am |this is |c'est |je suis )?(?:writing |contacting you |je vous ecris "
    r"|je me permets de vous contacter )?(?:on behalf of|de la part de|au nom de"
    r"|pour le compte de)"
    r"|(?:i'?m |i am |c'est |je suis )?(?:the |l'|[\w.]+'s )?(?:assistant|assistante|ea|pa)"
    r"(?= here| (?:to|of|for|du|de|des)\b))(?:(?<![a-z])(?:mr|mrs|ms|mme|dr|m)\.|[^,:;.])*"
    r"[,:;.]\s*"
)
_SCENE = re.compile(r"^(?P<scene>[^:]{1,80}?)\s*:\s+(?=\S)")
# A department named before the description: "to HR to correct…", "pour la compta : …".
_ADDRESSED = re.compile(
    r"^(?:(?:to|for|with|aux?|pour|a|au|chez)\s+)?(?:the\s+|le\s+|la\s+|les\s+|l')?"
    rf"{DEPARTMENT_NAME}(?:\s+(?:team|dept|department|equipe))?\s*(?:[:,-]|to|that|que|concerning|regarding|about"
    r"|afin de|pour|concernant|au sujet de)\s+(?=\S)"
)
# Matched on the text as typed (no folding needed for a handful of accents).
_SIGN_OFF = re.compile(
    r"(?i)[.,;!?]\s*(?:kind regards|best regards|warm regards|regards|sincerely|yours sincerely"
    r"|yours faithfully|cordialement|bien cordialement|bien [aà] vous|salutations distingu[ée]es"
    r"|sinc[eè]res salutations|respectueusement"
    # thanks closing a message: "…. Thanks, Karen", "…. Merci d'avance, Léa"
    r"|(?:many |thanks? )?thanks(?: (?:a lot|in advance|so much))?|thank you(?: kindly| so much)?"
    r"|cheers|merci(?: d'avance| par avance| beaucoup| bien)?"
    r"|je vous remercie(?: par avance| d'avance| de votre compr[ée]hension)?)"
    r"(?:[,.]?\s+[\w.'()-]+){0,4}[.\s]*$"
)
# Says the description will come later: "details to follow", "je te donne le détail après".
_LATER = re.compile(
    r"(?:^|\s)(?:details? (?:to follow|later|afterwards|after)|(?:i'll|i will|i shall) "
    r"(?:add|send|give|explain)\b.*(?:later|afterwards|after)"
    r"|je (?:te |t'|t |vous )(?:donne|donnerai|explique|expliquerai|raconte|envoie|enverrai)\b.*"
    r"(?:apres|ensuite|plus tard))"
)
_FOR_CONNECTORS = {"for", "to", "pour", "pr"}  # whom it is for, not what it is about
_ADDRESS_WORDS = re.compile(
    r"(?<!\w)(?:the|le|la|les|l'|a|au|aux|to|with|team|service|equipe|support|helpdesk|desk"
    r"|pls|plz|please|svp|stp|me|moi|us|nous)(?!\w)"
)
_MAX_TAIL_WORDS = 8
_MAX_LEAD_WORDS = 12


def ticket_text(text: str) -> str | None:
    """The description inside `text`, or None when it only asks to create a ticket; a text
    without any command word is all description ("le VPN plante")."""
    body = _description(_without_ending(text))
    return body and _without_ending(body)


def _without_ending(text: str) -> str:
    """Without a sign-off ("…. Kind regards, Margaret") or trailing emoji: no description."""
    text = text.rstrip()
    while text and unicodedata.category(text[-1]) in ("So", "Sk", "Mn", "Cf"):
        text = text[:-1].rstrip()
    match = _SIGN_OFF.search(text)
    return text[: match.start()] if match and match.start() > 0 else text


def _description(text: str) -> str | None:
    folded = keep_length_fold(text)
    scene = _scene_end(folded)
    if scene:  # "Suite à notre échange, pourriez-vous …": read what follows the scene
        return ticket_text(text[scene:])
    if not _asks_to_create(folded):  # "URGENT le VPN plante, help": all description
        start, end = problem.without_wrappers(folded)
        body = _EDGE_FILLER.sub("", _LEAD_FILLER.sub("", text[start:end].strip()))
        body = body.strip(" \t.!?,;")
        return body if _says_something(body) else None
    for strategy in (
        _quoted,
        _after_help,
        _after_lead_separator,
        _before_request,
        _after_lead_sentence,
        _after_connector,
        _after_lead_command,
    ):
        span = strategy(folded)
        if span is not None:
            body = _clean(text[span[0] : span[1]])
            if _says_something(body):
                return body
    return None


def _asks_to_create(folded: str) -> bool:
    """Whether the text asks for something ("open a ticket", "…, can you log it?", "help, …")
    rather than only telling a problem ("my holiday request is pending", "le VPN plante")."""
    if _STARTS_REQUEST.match(folded) or _TAIL_STARTER.search(folded) or _HELP.match(folded):
        return True
    return any(not problem.cue_is_a_thing(folded, m) for m in _HAS_CUE.finditer(folded))


_QUOTE_LEAD = re.compile(
    rf"(?:{_CUE})|saying|says|dit|disant|titled?|intitule|objet|subject|is|text|texte|with|avec"
)


def _quoted(folded: str) -> tuple[int, int] | None:
    """'crée un ticket : "mon écran reste noir"': a quote right after a short command, not a
    quoted word inside a description ("stuck in 'pending approval' for 2 weeks")."""
    match = _QUOTED.search(folded)
    if not match:
        return None
    before = folded[: match.start()].rstrip()
    last = before.split()[-1] if before.split() else ""
    right_after = before.endswith((":", "-", "–")) or bool(_QUOTE_LEAD.fullmatch(last))
    if not (_is_command(before) and right_after):
        return None
    group = 1 if match.group(1) is not None else 2
    return match.start(group), match.end(group)


def _after_help(folded: str) -> tuple[int, int] | None:
    match = _HELP.match(folded)
    if not match:
        return None
    start = match.start("body")
    end = _request_start(folded, start) or len(folded)
    return start, end


def _after_lead_separator(folded: str) -> tuple[int, int] | None:
    match = _LEAD_SEPARATOR.match(folded)
    if not match or not _is_command(match.group("cmd")):
        return None
    return match.start("body"), len(folded)


def _after_lead_sentence(folded: str) -> tuple[int, int] | None:
    """'ticket pls. printer on 4th floor prints blank pages': the first clause that asks."""
    for match in _LEAD_SENTENCE.finditer(folded):
        clause = folded[: match.start()]
        if _is_command(clause):
            # "raise a ticket regarding my contract, the end date is wrong", "I want to report
            # the fridge is broken, the food goes bad": the subject starts in the clause
            says = _says_after_connector(clause) or _reports_something(clause)
            return None if says else (match.end(), len(folded))
    return None


def _says_after_connector(clause: str) -> bool:
    """Whether a connector in the command clause is followed by a subject ("regarding my
    contract"), not only by whom it is for ("for tech support pls", "pour la compta")."""
    return any(
        _HAS_CUE.search(clause[: m.start()])
        and m.group().strip() not in _FOR_CONNECTORS
        and _words(department_words(_ADDRESS_WORDS.sub(" ", clause[m.end() :]))) >= 2
        for m in _CONNECTOR.finditer(clause)
    )


_REPORTED_THING = re.compile(
    r"(?:un|une|a|an|des|the|le|la|l') ?(?:incident|ticket|demande|probleme|problem|issue|souci"
    r"|request|bug|panne|fault)"
)


def _reports_something(clause: str) -> bool:
    match = _LEAD_REPORT.match(_LEAD_FILLER.sub("", clause))
    if not match or _REPORTED_THING.match(match.group("body")):  # "déclarer un incident réseau"
        return False
    return _words(match.group("body")) >= 3


def _is_command(clause: str) -> bool:
    return bool(_HAS_CUE.search(clause)) and _words(clause) <= _MAX_LEAD_WORDS


def _before_request(folded: str) -> tuple[int, int] | None:
    end = _request_start(folded, 0)
    return (0, end) if end else None


def _request_start(folded: str, start: int) -> int | None:
    """Where a trailing "…, can you log it?" clause begins, after `start`."""
    stripped = folded.rstrip(_TRIM)
    words = [m.start() for m in re.finditer(r"\S+", stripped)]
    if len(words) > _MAX_TAIL_WORDS + 3:  # a request clause is short: look at the end only
        start = max(start, words[-_MAX_TAIL_WORDS - 3] - 1)
    splits = [m for m in _TAIL_SEPARATOR.finditer(stripped, start) if m.end() < len(stripped)]
    if splits and _is_request(stripped[splits[-1].end() :]):
        return splits[-1].start()
    for match in _TAIL_STARTER.finditer(stripped, start):
        if _is_request(stripped[match.start() :]):
            return match.start()
    return None


def _is_request(clause: str) -> bool:
    """'can you log it', 'please send someone', 'merci de traiter': asks, says nothing else."""
    clause = clause.strip(_TRIM)
    if _HAS_CUE.search(clause):
        return _words(clause) <= _MAX_TAIL_WORDS
    # a polite request without a command word may run longer: "would you kindly arrange for
    # it to be looked at"
    return bool(_STARTS_TAIL.match(clause)) and _words(clause) <= _MAX_TAIL_WORDS + 2


def _after_connector(folded: str) -> tuple[int, int] | None:
    """'please raise a request for the aircon to be fixed': after the first connector that
    follows a short command."""
    for match in _CONNECTOR.finditer(folded):
        before = folded[: match.start()]
        if _words(before) > _MAX_LEAD_WORDS:
            return None
        if _HAS_CUE.search(before):
            return match.end(), len(folded)
    return None


def _after_lead_command(folded: str) -> tuple[int, int] | None:
    """'open a ticket about …', also after a greeting ('salut, ouvre un ticket stp …')."""
    greeting = _LEAD_FILLER.match(folded)
    start = greeting.end() if greeting else 0
    match = _LEAD_COMMAND.match(folded[start:]) or _LEAD_REPORT.match(folded[start:])
    return (start + match.start("body"), len(folded)) if match else None


def _scene_end(folded: str) -> int:
    """Where the request starts after a context clause, or 0 when there is none."""
    match = _CONTEXT.match(folded)
    if match and match.end() < len(folded):
        return match.end()
    match = _SCENE.match(folded)  # "I'm reaching out for my director: …", no command in it
    if match and not _HAS_CUE.search(match.group("scene")) and _asks_to_create(folded):
        return match.end()
    return 0


def _clean(body: str) -> str:
    previous = None
    while body != previous:
        previous = body
        body = body.strip(_TRIM)
        body = _LEAD_FILLER.sub("", body[problem.lead_end(keep_length_fold(body)) :])
        body = _EDGE_FILLER.sub("", body)
        folded = keep_length_fold(body)
        addressed = _ADDRESSED.match(folded)
        if addressed and _words(folded[addressed.end() :]) >= 2:
            body = body[addressed.end() :]
    return body


def _says_something(body: str) -> bool:
    folded = keep_length_fold(body).strip()
    if _words(folded) < 2 or _FILLER.match(folded) or _VAGUE.match(folded):
        return False
    if _LATER.search(folded):  # "je te donne le détail après": nothing yet
        return False
    return not _only_department(body)


def _only_department(body: str) -> bool:
    """'the IT guys', 'la compta': a department said where a description was expected
    ('access to the finance sharepoint' says more)."""
    rest = re.sub(r"(?i)\b(?:the|le|la|les|l'|a|au|aux|to|with|team|service|equipe)\b", " ", body)
    if department(rest) is None:
        return False
    return _words(department_words(rest)) <= 1


def _words(text: str) -> int:
    return len(text.split())
