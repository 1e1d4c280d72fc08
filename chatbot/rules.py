"""The few rules that overrule the intent model, each certain from the words alone.

1. A whole utterance that is a greeting, a farewell or a call for help ("salut", "bye",
   "aide") - short phrases the model sees too few of to be sure about; a how-are-you or a
   check that someone is there ("ça va ?", "t'es là ?") greets.
2. A bare ticket reference ("12", "#12", "ticket 12") is a request to see that ticket; a sum
   or number trivia ("what is 17 times 23", "is 91 a prime number") is out of scope.
3. An utterance that names a ticket id is about that ticket: a deletion verb makes it
   delete_ticket, otherwise the model chooses between get_ticket and delete_ticket. A question
   whose only deletion words are past participles ("has #12 been closed?", "le 400 a été
   supprimé ?") asks about the ticket's state, so the model chooses there too. A number in a
   question about status ("what's the status of 150") names a ticket as well.
4. "One of my tickets", "un ticket précis" is one ticket, not a list, even without its id:
   the request goes the way of (3), and the dialogue asks for the id.
5. An order to delete several tickets ("annule toutes mes demandes en attente") is a
   deletion, which the bot does one ticket at a time (it asks which); tickets named by their
   state ("show the tickets I cancelled") are still a list.
6. Read from the training split's out-of-fold errors: asking the bot to open a ticket is
   create_ticket; asking how to do something with tickets, or which languages the bot works
   in, is help; following up a request already made is get_ticket; bus, concert or parking
   tickets and another assistant's tasks are out of scope.
7. From the same errors (December 2026): a greeting to a team or from a place ("bonjour les
   RH", "hello from the 2nd floor") only greets; "ok…" or "c'est noté…" before a farewell
   leaves; slang and nouns of deletion ("junk", "flingue", "retrait") delete a named ticket,
   "get", "expand" or "historique" show it; a ticket named only as a comparison ("same as
   ticket 402") leaves an unsure create_ticket as it is; asking whether one may delete or
   reopen a ticket at all is help; meal vouchers ("tickets resto") are a work matter.
"""

from __future__ import annotations

import re

from chatbot import slots
from chatbot.slots import keep_length_fold
from textclf import fold

_VOCATIVE = (
    r"(?:\s+(?:bot|chatbot|assistant|there|all|everyone|le bot|l'assistant|toi|les gens"
    r"|a tous|a toutes|tout le monde|la compagnie|l'equipe|team|the team|folks|guys"
    r"|les amis|les copains|les collegues|les jeunes|les gars|les gones|les loulous|la team"
    r"|la famille|mates|y'?all|everybody|people|friends|buddy|mate|pal))?"
)
_POLITE = r"(?:[\s,]+(?:please|pls|plz|svp|stp|me|moi|merci|thanks|thx))*"
_PHRASES = {
    "greet": r"hi|hello|hey|heya|hiya|howdy|yo|sup|hola|salut|bonjour|bonsoir|coucou|slt|bjr|bsr"
    r"|cc|wesh|re|rebonjour|good (?:morning|afternoon|evening)|morning|greetings"
    r"|bon matin|allo|kikou|ahoy|whaddup|wassup|what'?s up|g'?day|hey hey|hi all|salutations"
    # other languages, slang and regions; "me again"
    r"|buenos dias|buenas (?:tardes|noches)|hola amigos?|konnichiwa|namaste|shalom|salam"
    r"|salam alaykoum|as-?salamu? (?:alaykum|alaikum)|wa?z+u+p+|what'?s (?:crackin'?g?"
    r"|poppin'?g?|good|the story|the craic)|how'?s the craic|wsh|wesh wesh|wagwan|kia ora"
    r"|dia dhuit|gruezi|hoi zame|moien|areet|awright(?: pal| mate)?|alright mate|g'?day mate"
    r"|gd mrng|enchante+e?|me (?:again|revoila|revoici)|c'est (?:re-?)?moi|guess who'?s back"
    r"|devinez qui (?:revient|est de retour)|ohe|oi|plop|'jour|yo yo|hey hey hey"
    r"|bien le bonjour|le bonjour|bonjour bonjour|mes respects|rebonsoir|re-?coucou"
    r"|hello again|hi again|quoi de neuf|quoi de beau|what'?s new(?: with you)?|ca dit quoi"
    r"|how do you do|je vous salue"
    # wishes for a day or a season: "bon lundi à tous", "bonne rentrée", "happy Monday"
    r"|bon lundi|bon debut de semaine|joyeux (?:lundi|mardi|mercredi|jeudi|vendredi)"
    r"|happy (?:monday|tuesday|wednesday|thursday|friday|new year)|bonne (?:rentree|annee)"
    r"|meilleurs voeux",
    "goodbye": r"(?:(?:ok|okay|merci|thanks|thank you|thx|allez|bon|bon ben|c'est tout|that'?s all"
    r"|that'?s it)[\s,]+)?"
    r"(?:merci|merci beaucoup|thanks|thank you|thx|cheers|bye|goodbye|bye bye"
    r"|see (?:you|ya)(?: later| tomorrow| soon| monday| next week)?|cya|later|ciao|tchao|farewell"
    r"|ttyl|good ?night|au revoir|a plus|a\+|a bientot|a demain|a plus tard|adieu"
    r"|bonne (?:journee|soiree|nuit)|quit|exit|q|quitter|sortir|stop"
    r"|until (?:next time|tomorrow|later|then|monday)|catch you (?:later|soon|on the flip side)"
    r"|(?:i'?m|im|i am) (?:done|finished|off)(?: for (?:today|now))?|enough for today"
    r"|that'?s all(?: for (?:today|now))?|a la prochaine|a tout a l'heure|a tout de suite"
    r"|take care|so long|toodles|toodle-?oo|g2g|gtg|got to go|gotta go|gotta run|must go"
    r"|sayonara|enjoy (?:your|the) (?:weekend|evening|day|holidays?)"
    r"|have a (?:good|nice|great) (?:one|day|evening|weekend|night)|bon (?:week-?end|we|aprem)"
    r"|bon(?:ne)? (?:fin de journee|semaine|aprem|apres-midi)|disconnect|deconnecte(?:[- ]moi)?"
    r"|log (?:me )?out|logout|hasta la vista|in a while crocodile|see you around"
    r"|je me deconnecte|je file|je me sauve|je rentre(?: chez moi)?|je m'en vais|je vous laisse"
    r"|je te laisse|on se capte|bye for now|peace out|over and out|laters"
    # done for now: "c'est tout", "no more questions", "ça ira pour aujourd'hui"
    r"|c'est tout|ce sera tout|that'?s it(?: from me| from my side| for me)?|nothing else"
    r"|no (?:more|further) questions|rien d'autre|ca ira(?: pour aujourd'hui)?"
    r"|we can stop here|on peut s'arreter la|a toute|a dans (?:\w+ )?(?:jours?|semaines?|mois)"
    r"|auf wiedersehen|hasta luego|hasta la vista(?: baby)?|bon vent|seeya|see ya"
    r"|j'?(?:e )?suis parti|(?:ok|allez|bon|c'est tout|merci)[\s,]+salut)",
    "out_of_scope": r"lol|lmao|rofl|mdr|ptdr|haha+|hihi+|xd|:\)|:\(|:d",
    "help": r"help|aide|\?+|h|(?:(?:show|display|open|affiche|montre|ouvre)(?: me| moi)?"
    r"(?: the| le)? )?menu|commands|commandes|usage|examples|exemples|instructions|faq"
    r"|docs|documentation|tuto|tutorial|manual|manuel|mode d'emploi|what can you do"
    r"|que sais[- ]tu faire",
}
_WHOLE = {
    intent: re.compile(rf"^(?:{words}){_VOCATIVE}{_POLITE}$") for intent, words in _PHRASES.items()
}
_GREETING_LEAD = re.compile(
    rf"^(?:{_PHRASES['greet']}){_VOCATIVE}(?:\s*[,!.:;]+\s*|\s+)(?P<rest>\S.*)$"
)
# How-are-you pleasantries and checks that someone is there ("t'es là ?", "anyone home?"):
# with or without a greeting, they greet (data/README.md).
_TIME = r"(?: today| this morning| then| so far| aujourd'hui| ce matin| depuis ce matin)?"
_PLEASANTRY = re.compile(
    r"^(?:(?:and|et) )?(?:how (?:are|r) (?:you|u|ya)(?: doing| keeping)?|how're you|how you doing"
    r"|how(?:'s| is) it going|hows it going|you (?:good|ok|okay|alright)"
    r"|how(?:'s| is|s) (?:your|ur|yours)(?: (?:day|morning|week|weekend))?(?: (?:going|been))?"
    r"|how was (?:your|ur) (?:weekend|week|day|night|break|holiday)"
    r"|(?:did you have|hope you had|had) an? (?:nice|good|great|lovely) (?:weekend|day|break)"
    r"|(?:et )?(?:toi|vous),? (?:ca va|comment ca va)|ca va(?: bien)?(?: (?:toi|vous|chez vous))?"
    r"|comment (?:ca va|vas[- ]tu|tu vas|allez[- ]vous|vous allez)|(?:tu vas|vous allez) bien"
    r"|bien dormi|(?:tu as|t'as|vous avez) passe (?:un )?bon (?:week[- ]?end|weekend|dimanche)"
    r"|(?:bien|bon) (?:ton|votre) (?:week[- ]?end|weekend)|(?:ton|votre) (?:week[- ]?end|weekend)"
    r" s'est bien passe|(?:ta|votre) journee,? ca va|ca se passe bien"
    r"|(?:t'es|tu es|vous etes) (?:la|dispo\w*|up|reveille\w*|en ligne)|y a quelqu'un"
    r"|(?:il y a )?quelqu'un (?:est |de |d')?(?:la|dispo\w*|en ligne|reveille)"
    r"|quelqu'un m'entend|y a du monde|how'?s life(?: treating you)?|how are things"
    r"|how goes it|comment va la vie|comment vous portez[- ]vous|la forme"
    r"|are you (?:there|online|awake|up|around|available)|(?:you|u) there|still there"
    r"|any ?(?:one|body) (?:home|there|around)|ping|is this thing on)"
    rf"{_TIME}{_VOCATIVE}$"
)
_CLAUSES = re.compile(r"\s*[,;.!?]+\s*")
_BARE_ID = re.compile(
    r"^(?:(?:ticket|tiket|tkt|id|no\.?|n°|numero|number|le|the)\s*[:#]?\s*)?"
    rf"#?\s*\d{{1,9}}{_POLITE}$"
)
# Deletion verbs, matched on lower-case text with accents kept: "ferme le 12" deletes,
# "est-il fermé ?" asks.
_DELETE = re.compile(
    r"(?<!\w)(?:delete|delet|deleet|remove|rm|erase|wipe|trash|bin|drop|discard|scrap|scratch"
    r"|nix|yeet|ditch|toss|bury|radie[rz]?|enterre[rz]?|disparaisse|disparaitre"
    r"|abort|strike (?:off|out)|mets fin|mettre fin|met fin|mettez fin"
    r"|kill|cancel|canel|withdraw|retract|undo|close|get rid|gone|purge|void|abandon\w*"
    r"|supprim\w*"
    r"|suprim\w*|r[ée]sili\w*"
    r"|suppression|effac\w*|annul(?:e|er|ez|ation)|retir(?:e|er|ez)|enl[eè]v\w*|vir(?:e|er|ez)"
    # "la note de clôture", "jette un oeil": a noun and a look, not a deletion
    r"|d[ée]gage|(?<!de )(?<!la )(?<!sa )(?<!d')cl[ôo]tur(?:e|er|ez)|ferme|fermer|fermez"
    r"|poubelle|dispara[iî]tre|jette[rz]?(?!\s+un\s+(?:petit\s+)?(?:coup\s+d')?(?:oeil|œil))"
    r"|deleted|removed|erased|cancell?ed|(?<=be )closed|veux plus"
    r"|plus besoin|no longer need|don't need|not needed"
    # slang and nouns of it: "junk ticket 3015", "flingue le 205", "retrait de la demande 19"
    r"|clear|junk|nuke|axe|delte|r[ée]voqu\w*|invalide[rz]?|retrait|(?<!de )fermeture"
    r"|corbeille|d[ée]gomm\w*|flingu\w*|sabre[rz]?|laisse[rz]? tomber|laissez tomber"
    r"|fai(?:s|re|tes) sauter|get (?:\S+ ){0,3}?(?:off|out of|outta))(?!\w)"
)
# Asking how a ticket is doing: with a number, the number is the ticket ("status of 150").
_STATUS = re.compile(
    r"(?<!\w)(?:status|staus|satus|stauts|statut|statuts|etat|avancement|progress"
    r"|(?:latest|news|update|updates|nouvelles) (?:on|of|about|de|du|sur)|ou en est|ou en sont"
    r"|where are we (?:on|with)|whats happening with|what's happening with)(?!\w)"
)
# Deletion words that describe a state rather than ask for a deletion when in a question.
_PARTICIPLE = re.compile(
    r"(?:\w+ed|gone|(?:supprim|suprim|effac|annul|retir|enlev|vir|cl[ôo]tur|ferm|abandonn"
    r"|r[ée]sili)(?:ée?s?|ees?)|clos)"
)
# "qui a fermé le 96 ?", "le 19 est-il bien fermé ?" typed without accents: after an
# auxiliary, a deletion word in a question tells what was done.
_STATE_BEFORE = re.compile(
    r"(?<!\w)(?:a|ont|est|sont|ete|été|etait|était)(?:-(?:t-)?(?:il|elle|ils|elles))?"
    r"(?:\s+(?:bien|deja|déjà|pas|vraiment|finalement))*\s+$"
)
# "can ticket 640 be deleted?", "le 12 peut-il être supprimé ?": asked, so ordered.
_ASKED_PASSIVE = re.compile(
    r"(?:(?<!\w)(?:can|could|should|may|might|please|pls)\b[^?.!]{0,40}\s|(?<!\w)to\s"
    r"|(?<!\w)(?:peut|pourrait|doit|peuvent|pourraient)(?:-(?:t-)?(?:il|elle|ils|elles))?\s+)"
    r"(?:be|être|etre)\s+$"
)
# "did someone cancel it?", "has anyone closed #12?": a question about what was done.
_DONE_BEFORE = re.compile(r"(?<!\w)(?:did|didn't|has|hasn't|have|haven't|had)(?:\s+\S+){0,2}\s+$")
# Verbs that ask to see a ticket named by its id ("check ticket 310", "ressors-moi le 55").
_SHOW = re.compile(
    r"(?<!\w)(?:show|view|see|display|check|look at|pull up|fetch|retrieve|bring up|details"
    r"|affiche\w*|montre\w*|voir|consulte\w*|regarde\w*|checke\w*|verifie\w*|ressor\w*"
    r"|recupere\w*|jette un oeil|suivi|suivre|follow[- ]up on|track|dig (?:out|up)|retrouve\w*"
    r"|deterre\w*|zieute\w*|visualise\w*|get|expand|grab|charge|summary|resume|first message"
    r"|history|historique)(?!\w)"
)
# One ticket among several, on folded text: "one of my tickets", "une de mes demandes",
# "a specific request", "un ticket précis"; not "every single one of my tickets".
_ONE_TICKET = re.compile(
    r"(?<!\w)(?:(?<!every single )(?<!each )one of (?:my|our|your|the|these|those)"
    r"|(?:a|one) (?:single|specific|particular|given|certain) (?:ticket|request|case|incident)"
    r"|(?:un|une) (?:seul|seule|de (?:mes|nos|vos|tes|ces))"
    r"|(?:un|une) (?:ticket|demande|requete|incident|dossier) (?:precise?|particuliere?"
    r"|specifique|en particulier))(?!\w)"
)
_QUESTION = re.compile(
    r"\?|^(?:is|was|has|have|had|did|does|are|were|why|when|who|est[- ]ce|pourquoi|quand|qui)\b"
    r"|\b(?:if|whether|si)\b"
)
_TRIM = " \t.!?;,:)(-"


def command_form(text: str) -> str:
    """Folded text without surrounding punctuation: what the phrase rules compare."""
    folded = fold(text)
    return folded.strip(_TRIM) or folded


def phrase_intent(text: str) -> str | None:
    """The intent of an utterance that is only a greeting, a farewell, a call for help or an id."""
    form = command_form(text)
    for intent, pattern in _WHOLE.items():
        if pattern.match(form):
            return intent
    if _pleasant(form) or _addressed_greeting(form):
        return "greet"
    if _BARE_ID.match(form):
        return "get_ticket"
    return "out_of_scope" if is_arithmetic(text) and not slots.ticket_id(text) else None


# Who a greeting is addressed to or comes from, and nothing else: "good morning Finance",
# "hey there, it's the facilities desk", "bonjour les RH", "bonjour, ici l'open space du 5e".
_ADDRESSEE_LINKS = set(
    "it's its is this here here's that's c'est c c' est ici to from de du des d' depuis la le "
    "les l' the all my our dear cher chers chere cheres tout toute whole a an et and".split()
)
_ADDRESSEE_NOUNS = set(
    "team teams crew department departement dept desk folks guys people gang squad equipe "
    "service services generaux general floor etage open space openspace office offices "
    "bureau bureaux helpdesk support accueil reception front colleagues collegues "
    "it hr rh finance legal facilities informatique compta comptabilite juridique ressources "
    "humaines dsi drh paie payroll accounting accounts tech".split()
)
_ORDINAL = re.compile(r"\d+(?:e|eme|er|ere|st|nd|rd|th)?")
_WORD_OR_ELISION = re.compile(r"[a-z]+'s|[a-z]'|[a-z0-9]+")


def _addressed_greeting(form: str) -> bool:
    """Whether `form` (a command_form) is a greeting followed only by who it is for or from."""
    match = _GREETING_LEAD.match(form)
    if not match:
        return False
    words = _WORD_OR_ELISION.findall(match.group("rest"))
    known = all(
        w in _ADDRESSEE_LINKS or w in _ADDRESSEE_NOUNS or _ORDINAL.fullmatch(w) for w in words
    )
    return known and any(w in _ADDRESSEE_NOUNS for w in words)


def is_pleasantry(text: str) -> bool:
    """'how are you', 'bonjour, ça va toi ? bien dormi ?', 't'es là ?': greetings only."""
    return _pleasant(command_form(text))


def _pleasant(form: str) -> bool:
    """is_pleasantry on a command_form, which phrase_intent has already computed."""
    clauses = [c for c in _CLAUSES.split(form) if c]
    pleasant = [bool(_PLEASANTRY.match(c)) for c in clauses]
    return any(pleasant) and all(
        ok or _WHOLE["greet"].match(c) for ok, c in zip(pleasant, clauses, strict=True)
    )


def asks_status(text: str) -> bool:
    return bool(_STATUS.search(fold(text)))


# Sums and number trivia: their numbers are not tickets ("what is 17 times 23").
_ARITHMETIC = re.compile(
    r"\d\s*(?:[+*×÷^=]|times|plus|minus|divided by|multiplied by|fois|moins|divise par"
    r"|multiplie par)\s*\d|prime number|nombre premier|square root|racine carree|factorial"
    # percentages, divisibility, fractions, picking, comparing or dating numbers
    r"|\d\s*(?:%|percent|per cent|pourcent|pour cent)\s*(?:of|de|d')\s*\d|divisible"
    r"|en pourcentage|as a percentage|in percent|random number|nombre (?:au hasard|aleatoire)"
    r"|(?:pick|choose|choisis|tire) (?:a|un) (?:number|nombre|chiffre)"
    r"|day of the week was|quel jour (?:de la semaine )?(?:c'etait|etait)|c'etait quel jour"
    r"|(?:divide|multiply|divise|multiplie)\s+[\d,.]+\s+(?:by|par)\s+\d"
    r"|(?:plus grand|plus petit|bigger|smaller|larger),? \d"
    r"|to the power of|puissance \d|\bsqrt\b|squared|au carre|\d+ x \d+\s*(?:=|\?|$)|=\s*\?"
)


# Following up a request already made, without its id: "mon attestation employeur, ça en est
# où", "the chair I reported, any news?" - one ticket to see, not a new problem.
_FOLLOW_UP = re.compile(
    r"(?<!\w)(?:ca en est ou|ou ca en est|ou en est|ca avance|du nouveau(?= ?\?|$)"
    r"|des nouvelles|any (?:news|update)|anything new|been picked up"
    r"|(?:a|ont) (?:ete |bien )?pris en charge|toujours en attente)(?!\w)"
)


# An old ticket named only as a comparison: "le VPN se déco comme dans le ticket 88", "the
# badge reader is broken again, last time was ticket 515" - the id is not the one asked about.
_COMPARED_ID = re.compile(
    r"(?<!\w)(?:comme (?:dans|pour|avec|sur)?|like (?:in |on |with )?|same as|similar to"
    r"|as (?:in|with|on)|last time (?:it )?was|la derniere fois (?:c'etait|dans|avec)?"
    r"|deja (?:eu|vu|signale) (?:dans|avec|sur)|already (?:had|reported) (?:in|on|with))"
    r"\s+(?:(?:the|my|le|la|l'|mon|ma)\s*)?(?:ticket|demande|request|case|incident)?\s*"
    r"(?:#|n°|no\.?|numero)?\s*\d"
)


def compares_id(text: str) -> bool:
    return bool(_COMPARED_ID.search(fold(text)))


def follows_up(text: str) -> bool:
    return bool(_FOLLOW_UP.search(fold(text)))


def is_arithmetic(text: str) -> bool:
    return bool(_ARITHMETIC.search(fold(text)))


def says_delete(text: str) -> bool:
    """Whether `text` asks for a deletion: a deletion word, unless the text is a question and
    each deletion word in it tells a state or a past act ("is #12 closed?", "did someone
    cancel it?")."""
    lowered = text.lower().strip()
    found = list(_DELETE.finditer(lowered))
    if not found or not _QUESTION.search(lowered):
        return bool(found)
    return not all(_tells_state(lowered, m) for m in found)


def _tells_state(lowered: str, word: re.Match) -> bool:
    """Whether the deletion word `word`, in a question, tells a state or a past act."""
    before = lowered[max(0, word.start() - 40) : word.start()]
    if _ASKED_PASSIVE.search(before):  # "can ticket 640 be deleted?" asks for it
        return False
    return bool(
        _PARTICIPLE.fullmatch(word.group())
        or _DONE_BEFORE.search(before)
        or _STATE_BEFORE.search(before)
    )


# A deletion word after an auxiliary tells what was done ("ils ont ferme quoi ?").
_AUXILIARY_BEFORE = re.compile(
    r"(?<!\w)(?:ont|ai|as|avez|avons|avoir|a|ete|été|est|sont|etait|était"
    r"|have|has|had|having|was|were|been"
    r"|be|is|are|got|get)\s+$"
)


def orders_delete(text: str) -> bool:
    """Whether `text` tells the bot to delete something: says_delete, with a deletion word
    that is neither a participle nor after an auxiliary ("show the tickets I cancelled" and
    "which were deleted" name tickets by their state)."""
    lowered = text.lower().strip()
    ordered = any(
        not _PARTICIPLE.fullmatch(m.group())
        and not _AUXILIARY_BEFORE.search(lowered[max(0, m.start() - 12) : m.start()])
        for m in _DELETE.finditer(lowered)
    )
    return ordered and says_delete(text)


def means_one_ticket(text: str) -> bool:
    return bool(_ONE_TICKET.search(fold(text)))


def says_show(text: str) -> bool:
    return bool(_SHOW.search(fold(text)))


# Thanks or satisfaction first, a farewell last: "merci d'avoir fermé le 45, bonne soirée",
# "great, ticket 1203 was all I needed. bye" - the user is leaving, not asking again.
_THANKED = re.compile(
    # "merci de clôturer le 12" is a please, "merci d'avoir…" a thanks
    r"^(?:merci(?! de)(?! d'(?!avoir))|thanks|thank you|thx|cheers|super"
    r"|great|parfait|nickel"
    r"|top|genial|perfect|awesome|excellent|impeccable|cool|good|bien|c'est (?:bon|note|parfait)"
    r"|noted|got it|alright|all right|ok|okay)(?!\w)"
)
_CLAUSE_END = re.compile(r"\s*(?:[,;.!?]+|\s(?:et|and)\s)\s*")
_THANKS_ONLY = re.compile(r"^(?:merci|merci beaucoup|thanks|thank you|thx|cheers)$")
# What only an assistant of another kind deletes: "annule le réveil de demain", "cancel my
# Netflix subscription" (a ticket word or id keeps it a ticket).
_OTHER_THING = re.compile(
    r"(?<!\w)(?:alarms?|alarmes?|reveils?|timers?|minuteurs?|subscriptions?|abonnements?"
    r"|netflix|spotify|deezer|uber|flights?|rdv|rendez-vous|appointments?|dentist|dentiste"
    r"|restaurant|hotel|airbnb|gym|newsletter|playlists?)(?!\w)"
)
_TICKET_WORD = re.compile(
    r"(?<!\w)(?:tickets?|tiket|tkt|demandes?|requests?|requetes?|incidents?|cases?|dossiers?)"
    r"(?!\w)|#\s*\d"
)


# Asking for a new ticket, even while naming an old one: "#482 came back, open a fresh
# ticket", "le 12 est revenu, ouvre un nouveau", "même souci que le n°88, tu peux en ouvrir
# un autre ?".
_NEW_TICKET = re.compile(
    r"(?<!\w)(?:(?:open|raise|create|make|log|file|start|spin up)(?: me| us)? (?:a |an )?"
    r"(?:new|fresh|another|second)(?: one| ticket| request| case)?"
    r"|(?:new|fresh|another) (?:ticket|request|case) (?:please|pls|plz)"
    r"|(?:ouvre|ouvrir|refais|refaire|cree|creer|fais|faire|fait)(?:[- ]moi)? (?:un |une )?"
    r"(?:nouveau|nouvelle|autre)(?: ticket| demande)?"
    r"|en (?:ouvrir|ouvre|creer|cree|refaire|refais|faire|fais|rouvrir) (?:un |une )?"
    r"(?:autre|nouveau|nouvelle)|refai(?:s|re|tes) (?:un |une )?(?:ticket|demande)"
    r"|(?:nouveau|nouvelle) (?:ticket|demande) (?:svp|stp|please|pls)"
    # the bot asked to open one: "tu peux m'ouvrir un ticket ?", "can you file a ticket"
    r"|(?:can you|could you|would you|will you|can u|tu peux|tu pourrais|pourrais-tu|peux-tu"
    r"|vous pouvez|pouvez-vous|pourriez-vous|tu me|vous me)(?: me| m'| moi| pour moi)? ?"
    r"(?:open|create|file|raise|log|start|make|submit|put in|ouvrir|ouvre|creer|cree|faire"
    r"|fais|lancer|lance|deposer|depose)(?: me| moi)? (?:a |an |un |une |new |nouveau "
    r"|nouvelle )*(?:ticket|request|demande|case|incident))"
)
# How to use the bot for tickets: "what do I type to show my open tickets", "montre-moi
# comment lister mes demandes" - help, whatever the verb.
_HOW_TO_TICKETS = re.compile(
    r"(?<!\w)(?:how (?:do|can|should|would) (?:i|we)|how to|what do i (?:type|write|say)"
    r"|show me how|tell me how|explain how|walk me (?:through|thru)"
    r"|comment (?:je|j'|on|faire|puis-je|peut-on)|montre(?:-| )?moi comment"
    r"|explique(?:-| )?moi comment|dis(?:-| )?moi comment|quel mot pour|que dois-je taper"
    r"|je tape quoi)(?:\s+\S+){0,4}\s+(?:list|see|view|show|display|find|open|create|raise|log"
    r"|file|make|submit|delete|cancel|close|remove|track|check|lister|voir|afficher|montrer"
    r"|trouver|retrouver|ouvrir|creer|faire|deposer|supprimer|annuler|fermer|suivre"
    r"|consulter)\w*(?:\s+\S+){0,4}\s+(?:tickets?|requests?|demandes?|requetes?|stuff|cases?)"
    r"(?!\w)"
)
_HOW = re.compile(
    r"(?<!\w)(?:how (?:do|can|should|would) (?:i|we|you)|how to|comment (?:je|j'|on|faire|puis-je"
    r"|fait-on|ca marche))(?!\w)"
)
# Questions about how tickets are handled, not about one ticket: "who sees my tickets", "les
# demandes au juridique restent-elles confidentielles ?", "combien de tickets je peux ouvrir ?".
_ABOUT_TICKETS = re.compile(
    r"(?<!\w)(?:(?:who|qui) (?:sees|can see|voit|peut voir|peuvent voir|has access|a acces|reads"
    r"|lit|handles|traite|valide|validates|decides|decide|approves)"
    r"|confidenti\w*|private|prive|privee|visible|anonym\w*"
    r"|how many tickets can|combien de (?:tickets|demandes) (?:je peux|puis-je|on peut|peut-on)"
    r"|(?:est|sont) informee?s? de mes|is (?:told|informed) (?:about|of) my"
    # how tickets behave: "do cancelled tickets still show up somewhere?"
    r"|^(?:do|does|can|will|are|is|would|should|could) (?:cancelled |canceled |closed |old "
    r"|older |deleted |resolved |all |the )?(?:tickets|requests))(?!\w)"
)
# "what does X mean", "ça veut dire quoi X", "que signifie X": help when X is the helpdesk's.
_MEANING = re.compile(
    r"(?<!\w)(?:what does .{1,40} mean|what(?:'s| is) the meaning of|ca veut dire quoi"
    r"|que (?:veut dire|signifie)|qu'est-ce que (?:veut dire|signifie)|c'est quoi le sens)(?!\w)"
)
_HELPDESK_WORD = re.compile(
    r"(?<!\w)(?:tickets?|demandes?|requests?|statut|status|en attente|pending|awaiting|triage"
    r"|clos|closed|clotur\w*|ouvert|open|in progress|en cours|resolu|resolved|priorite"
    r"|priority|escalad\w*"
    r"|helpdesk|support)(?!\w)"
)
# Someone's home, car or bank, not the office: "the lift in my apartment block", "l'évier de
# chez moi", "my car squeals when I brake", "ma banque a bloqué ma carte". (Family and health
# are not here, and a car or a bank with a word of pay or expenses is work: employees ask HR
# and Finance about them.)
_PERSONAL = re.compile(
    r"(?<!\w)(?:my (?:apartment|flat|house|landlord|neighbou?rs?)|(?:mon|ma|mes) (?:immeuble"
    r"|appart\w*|maison|proprio|proprietaire|voisin\w*)|chez moi|a la maison|at home|j'habite"
    r"|i live|airbnb|holiday (?:rental|cottage|home)|location de vacances|gite"
    r"|my (?:own )?car|ma voiture|my bank|ma banque|(?:online|personal|mobile) banking"
    r"|banking app)(?!\w)"
)
_AT_WORK = re.compile(
    r"(?<!\w)(?:office|bureau|work|working|boulot|taf|company|entreprise|societe|pro|professional"
    r"|professionnel\w*|badge|colleagues?|collegues?|vpn|outlook|teams|laptop|portable|pc"
    r"|charger|chargeur|parking|car park|remote|teletravail|wfh|payslip|fiche de paie|salaire"
    r"|salary|expense|note de frais|leave|conge|absence|contract|contrat|manager|chef|site"
    r"|usine|entrepot|warehouse|agence|branch|client|customer|supplier|fournisseur|invoice"
    r"|facture|it|hr|rh|desk|socket|prise"
    # pay and expenses: "an employer's certificate for my bank", "mileage for my car"
    r"|iban|rib|attestation|certificat\w*|employer|employeur|bank details|coordonnees bancaires"
    r"|payroll|paie|mileage|kilometr\w*|allowance|indemnit\w*|reimburs\w*|rembours\w*"
    r"|fuel card|carte carburant|company car|voiture de (?:fonction|service)|insurance"
    r"|assurance|claim)(?!\w)"
)


# An order to open one, first in its clause: "raise a ticket, same issue as n°58".
_OPEN_ORDER = re.compile(
    r"(?:^|[,;.:!] ?)(?:please |pls |svp |stp )?(?:open|raise|create|log|file|lodge|start|creer"
    r"|cree|ouvre|ouvrir|fais|lance|monte)(?: me| moi|-moi)? (?:a|an|un|une)(?: new| follow-up"
    r"| separate| nouveau| nouvelle)? (?:ticket|request|demande|case|follow-up|incident)(?!\w)"
)


def asks_new_ticket(text: str) -> bool:
    """Whether `text` asks for a new ticket (it may name an old one it follows up); "how do I
    open a new ticket?" asks how, which is help."""
    folded = fold(text)
    asked = _NEW_TICKET.search(folded) or _OPEN_ORDER.search(folded)
    return bool(asked) and not _HOW.search(folded)


_DIGIT = re.compile(r"\d")
# Whether one may do a thing to tickets at all, no ticket named: "can I cancel a request
# myself", "on peut supprimer un ticket ?", "la suppression c'est définitif ?".
_MAY_I = re.compile(
    r"(?<!\w)(?:(?:can|could|may) (?:i|we)(?: \S+)? (?:delete|cancel|close|remove|reopen|edit"
    r"|change)\w* (?:a|an|any|my own) (?:tickets?|requests?|cases?)"
    r"|(?:je peux|puis-je|on peut|peut-on|est-ce qu'on peut|est-ce que je peux)(?: \S+)?"
    r" (?:supprimer|annuler|fermer|clore|rouvrir|modifier) (?:un|une|des) (?:tickets?|demandes?)"
    r"|(?:la suppression|supprimer|l'annulation|annuler)[^?]{0,30} c'est (?:definitif|pareil))"
)


def asks_how_to(text: str) -> bool:
    """Whether `text` asks how to do something with tickets here, or whether it may: help."""
    folded = fold(text)
    may_i = _MAY_I.search(folded) and not _DIGIT.search(folded)  # "…? If so, cancel 1644"
    return bool(_HOW_TO_TICKETS.search(folded) or may_i)


_LANGUAGE = (
    r"(?:french|english|spanish|german|italian|portuguese|dutch|francais|anglais|espagnol"
    r"|allemand|italien|portugais|langues?|languages?)"
)
# Which languages the bot works in: "tu gères l'espagnol ?", "is German an option?" - help;
# not translations or other people's languages.
_BOT_LANGUAGES = re.compile(
    r"(?<!\w)(?:(?:speak|support|understand|handle|answer|reply|respond|parle|parles|parlez"
    r"|geres?|gerez|comprends?|comprenez|repond|reponds|repondez)(?!\w).{0,20}(?<!\w)"
    rf"{_LANGUAGE}(?!\w)|{_LANGUAGE}(?!\w).{{0,10}}(?:an option|supported|available|dispo\w*"
    r"|possible))"
)
_TO_BOT = re.compile(
    r"(?<!\w)(?:you|u|tu|t'|vous|bot|chatbot|here|ici|an option|supported|available|dispo\w*)"
    r"(?!\w)"
)
_LANGUAGE_OTHERWISE = re.compile(
    r"comment (?:on )?dit|how (?:do you|to) say|translat|tradui|traduction|learn|apprendre"
    r"|teach|cours d|lesson|\d"
)


def asks_languages(text: str) -> bool:
    """Whether `text` asks which languages the bot works in."""
    folded = fold(text)
    return bool(
        _BOT_LANGUAGES.search(folded)
        and _TO_BOT.search(folded)
        and not _LANGUAGE_OTHERWISE.search(folded)
    )


def asks_about_tickets(text: str) -> bool:
    """A question about how tickets are seen or handled: help, even without its usual words."""
    folded = fold(text)
    return bool(_ABOUT_TICKETS.search(folded) and _HELPDESK_WORD.search(folded))


def meaning_intent(text: str) -> str | None:
    """For "what does X mean": help when X is the helpdesk's word, out_of_scope otherwise."""
    folded = fold(text)
    match = _MEANING.search(folded)
    if not match:
        return None
    return "help" if _HELPDESK_WORD.search(folded) else "out_of_scope"


def is_personal(text: str) -> bool:
    """A problem of one's own life, with nothing of work in it."""
    folded = fold(text)
    return bool(_PERSONAL.search(folded)) and not _AT_WORK.search(folded)


def thanks_and_leaves(text: str) -> bool:
    """Whether `text` thanks (or approves) and then says goodbye, without asking anything."""
    form = keep_length_fold(text).lower().rstrip(_TRIM)
    cut = list(_CLAUSE_END.finditer(form))
    if not cut:
        return False
    last = form[cut[-1].end() :].strip()
    if phrase_intent(last) != "goodbye" or _THANKS_ONLY.match(last):
        return False
    lead = text[: cut[-1].start()]
    return bool(_THANKED.match(form)) and not orders_delete(lead) and not says_show(lead)


# Tickets of another kind: transport, events, fines ("prix d'un ticket de bus", "how do I
# contest a speeding ticket") - unless the employee claims them back as an expense.
_OTHER_TICKET = re.compile(
    r"(?<!\w)(?:(?:train|bus|metro|tube|tram|parking|speeding|concert|plane|flight|lottery"
    r"|lotto|movie|cinema|theatre|theater|match|game|football|raffle|festival|museum|eurostar"
    r"|sncf|ryanair|easyjet|vodafone|amazon|return|one-way|season) tickets?"
    r"|tickets? (?:to|for) (?:see|the|a|an) |tickets? (?:de|pour le|pour la|du) (?:bus|metro"
    r"|tram|train|parking|caisse|cinema|concert|match|loto)|e-?tickets?)(?!\w)"
)
_CLAIMED = re.compile(
    r"rembours|reimburs|expense|note de frais|concur|finance|compta|card|carte|\d"
)


# Tasks for another kind of assistant: "rédige un mail de relance", "book a table for 4".
_OTHER_TASK = re.compile(
    r"(?<!\w)(?:draft|write|redige|ecris|ecrire|rediger|compose|translate|traduis|traduire"
    r"|summari[sz]e|resume|book|reserve|reserver|order|commande)(?: me| moi|-moi| for me"
    r"| pour moi)? (?:(?:a|an|un|une|the|le|la|les|des|my|mon|ma|mes) )?(?:e-?mail|mail|message"
    r"|letter|lettre|reply|reponse|post|tweet|poem|poeme|story|histoire|essay|dissert\w*|cv"
    r"|resume|text|texte|table|taxi|uber|pizza|sushis?|lunch|dejeuner|resto|restaurant|flight"
    r"|vol|hotel|train)(?!\w)"
)


def asks_other_task(text: str) -> bool:
    return bool(_OTHER_TASK.search(fold(text)))


def names_other_ticket(text: str) -> bool:
    """Whether the tickets in `text` are bus, concert or parking tickets, not claimed back."""
    folded = fold(text)
    return bool(_OTHER_TICKET.search(folded)) and not _CLAIMED.search(folded)


def deletes_other_thing(text: str) -> bool:
    """Whether `text` names something other than a ticket to delete ("supprime mon alarme")."""
    folded = fold(text)
    return bool(_OTHER_THING.search(folded)) and not _TICKET_WORD.search(folded)


# What asks something of the bot, after a greeting: a question or a request ("bonjour, vous
# avez vu les infos ?", "hello there, do you know a good vet"), not a passing remark
# ("bonjour, il pleut encore à Lille" greets).
_ASKS = re.compile(
    r"\?|^(?:do|does|can|could|would|will|what|what's|whats|where|who|when|why|how|which"
    r"|is there|are there|tell|give|find|search|show|translate|book|call|play|set|i want"
    r"|i'd like|i need|any|est-ce|quel|quelle|quels|quelles|ou|qui|quand|pourquoi|comment"
    r"|combien|tu peux|tu pourrais|vous pouvez|pouvez-vous|peux-tu|tu connais|vous connaissez"
    r"|tu sais|dis|donne|trouve|cherche|traduis|reserve|appelle|mets|je veux|je voudrais"
    r"|j'aimerais|il me faut|c'est quoi|y a)(?!\w)"
)


def asks_something(text: str) -> bool:
    return bool(_ASKS.search(fold(text)))


def after_greeting(text: str) -> str | None:
    """'Bonjour, ma souris ne répond plus' -> 'ma souris ne répond plus'; None without a
    leading greeting or when nothing follows it."""
    match = _GREETING_LEAD.match(keep_length_fold(text))
    return text[match.start("rest") :].strip() if match else None


def ticket_intent(text: str, proba: dict[str, float]) -> tuple[str, float]:
    """For an utterance that names a ticket: delete_ticket (certain) if it says to delete,
    get_ticket (certain) if it says to show or asks whether it was deleted ("was #512 closed
    or deleted?": a deletion word that says_delete did not take), else the likelier of the
    two by the model, renormalised over the two."""
    if says_delete(text):
        return "delete_ticket", 1.0
    if says_show(text) or _DELETE.search(text.lower()):
        return "get_ticket", 1.0
    get, delete = proba.get("get_ticket", 0.0), proba.get("delete_ticket", 0.0)
    if get + delete == 0:
        return "get_ticket", 0.0
    return (
        ("delete_ticket", delete / (get + delete))
        if delete > get
        else ("get_ticket", get / (get + delete))
    )
