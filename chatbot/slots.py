"""Slot extractors: which ticket an utterance names, and which department.

Rules over folded text (lower case, no accents, same length as the original so that a
match can be cut out of what the user typed). A number is a ticket id when something marks
it as one ("#12", "n° 12", "ticket 12", "le 12"), or, for intents that need an id, when it
stands alone and nothing marks it as an amount, a floor, a room, a time or a date.
"""

from __future__ import annotations

import functools
import re

from textclf import fold

# Words and signs that announce a ticket id: "#12", "n°12", "no. 12", "ticket12", "id:12"...
_MARKER = (
    r"#|n\s?°|n[or]\.?|nbr|num(?:ero|ber|\.)?|number|id|ticket|tiket|tkt|tix"
    r"|request|requete|demande|case|incident|dossier|fiche|reclamation"
    r"|inc|req|ritm|sr|chg|tck"  # helpdesk tools' prefixes: INC-31007, REQ-5521, RITM0012345
)
_ARTICLE = r"le|du|au|l'"
_NUMBER = r"(\d{1,9})(?!\d)(?![,.]\d)"
# What may follow a number that is not an id: ordinals, units, amounts, times, months.
_NOT_ID_AFTER = re.compile(
    r"^(?:e\b|eme|er\b|ere\b|st\b|nd\b|rd\b|th\b|h\b|h\d|k\b|:\d|am\b|pm\b|\s?[%€$£]"
    r"|\s?(?:or|ou|to|a|-)\s\d"  # "4 or 5 of them", "de 3 a 5"
    r"|\s?(?:euros?|dollars?|eur|usd|minutes?|min|mn|heures?|hours?|h|jours?|days?|weeks?"
    r"|semaines?|mois|months?|ans?|years?|fois|times|x|etages?|floors?|personnes?|people"
    r"|derniers?|dernieres?|latest|premiers?|first|tickets|demandes"
    r"|last(?! (?:week|month|year|night|time|monday|tuesday|wednesday|thursday|friday|saturday"
    r"|sunday|updated|modified|changed|touched))"
    r"|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre"
    r"|january|february|march|april|may(?! (?:be|have|need|not|i|we|you))|june|july|august"
    r"|september|october|november|december"
    # a count of things people order: "2 monitors", "3 ecrans"
    r"|(?:new |nouveaux |nouvelles |extra )?(?:monitors|screens|ecrans|laptops|portables|pcs"
    r"|chairs|chaises|desks|bureaux|licen[cs]es|badges|keys|cles|places|seats|postes|keyboards"
    r"|claviers|mice|souris|headsets|casques|phones|telephones|docks|cables))\b)"
)
# What may precede a number that is not an id: a floor, a room, an invoice...
_NOT_ID_NOUN = re.compile(
    r"(?<!\w)(?:floor|level|room|office|desk|building|bureau|salle|etage|niveau|batiment"
    r"|invoice|facture|order|commande|po|tel|phone|telephone|poste|ext|caisse|quai|dock|bay|till)"
    # "mon nouveau bureau, le 402"
    r"(?:\s*(?:#|n\s?°|no\.?|number|numero))?\s*(?:,\s*(?:(?:le|the)\s*)?)?$"
)
# ...and, for a number that nothing marks as an id, a sum, a count or a duration.
_NOT_ID_WORD = re.compile(
    r"(?:(?<!\w)(?:plus|fois|times|x|since|depuis|than|que|top|mes|my|last|derniers|first"
    r"|premiers|premieres"
    r"|error|erreur|code|http|an?|une?"  # "jira gives me a 403", "erreur 500"
    r"|cac|dax|ftse|nasdaq|sbf|stoxx|nikkei|dow jones)"  # stock indices: "le CAC 40"
    r"|[€$£]|%\s*(?:of|de)|\d\s?(?:or|ou|to|a|-))\s*$"
)
# A year, not a ticket: "que s'est-il passé en 1515", "born in 1990".
_YEAR_BEFORE = re.compile(r"(?<!\w)(?:en|in|year|annee|l'an|born|ne|nee|de|from|since)\s*$")
_DATE_BEFORE = re.compile(
    r"(?<!\w)(?:avant|apres|depuis|jusqu'(?:au|a)|d'ici|a partir du|des|before|after|until"
    r"|arrive|arrivera|commence|part|revient|rentre|expire|(?:starts|arrives|ends) on(?: the)?"
    r"|january|february|march|april|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)(?: le)?\s*$"
)
# Helpdesk tools' keys for other queues: "SD-455", "HR-0315", "DSI-2045" (loose reading only:
# "COVID-19" in a new ticket's text is no ticket).
_CODED = re.compile(r"(?<![\w-])[a-z]{2,5}-0*(\d{1,9})(?!\d)(?![,.]\d)")
_MARKED = re.compile(rf"(?<![\w#])(?:{_MARKER})\s?[:#-]?\s?(?:{_MARKER})?\s?[:#-]?\s?{_NUMBER}")
_ARTICLED = re.compile(rf"(?<!\w)(?:{_ARTICLE})\s?{_NUMBER}")
_BARE = re.compile(rf"(?<![\w.,/-])(?<!\d:){_NUMBER}")  # not the minutes of "8:30"

DEPARTMENTS = ("IT", "HR", "Finance", "Facilities", "Legal")
# The departments' plain names, on folded text, where the text addresses one ("to HR", "…,
# services generaux svp"); _DEPARTMENT_WORDS below is the wider lexicon of the slot.
DEPARTMENT_NAME = (
    r"(?:it|i\.t\.|hr|rh|finance|legal|facilities|informatique|compta|comptabilite|juridique"
    r"|ressources humaines|services? generaux|service (?:informatique|juridique))"
)
_DEPARTMENT_WORDS = {
    "HR": r"hr|rh|drh|human resources?|ressources humaines|people team|personnel department"
    r"|(?<=with )payroll|(?<=with the )payroll|(?<=to )payroll|payroll (?:tickets?|requests?"
    r"|team|department|dept)|people ops|service (?:de )?paie|(?<=for )payroll"
    r"|(?<=de la )paie|(?<=la )paie|(?<=ticket )paie|(?<=tickets )paie",
    "IT": r"informatiques?|dsi|tech support|technical support|tech team|tech guys|techies"
    r"|tech (?:tickets?|requests?|issues?)|chez l'info|(?<=tickets )info|(?<=demandes )info"
    r"|support (?:info|informatique|technique)|service info|i\.t\."
    r"|it (?:support|tickets?|team|dept|department|queue|desk|requests?|issues?|guys"
    r"|folks|people|tix|service|helpdesk|stuff)",
    "Finance": r"finances?|compta|comptabilite|comptables?|accounting|accountants?"
    r"|accounts (?:payable|receivable|team|department)|service financier|tresorerie"
    r"|direction financiere|daf|(?<=sent to )accounts|(?<=queue for )accounts"
    r"|accounts (?:tickets?|queue)",
    "Facilities": r"facilities|facility|facilites|facilties|services? generaux|moyens generaux"
    r"|building services"
    r"|building management|office management|facility management|logistique"
    r"|building (?:people|team|guys)|estates|(?<=tickets )batiments?|(?<=demandes )batiments?"
    r"|(?:building |office )?maintenance",
    "Legal": r"legal|juridiques?|lawyers?|avocats?|contentieux|service juridique",
}
_DEPARTMENT = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<{name}>{words})" for name, words in _DEPARTMENT_WORDS.items())
    + r")(?!\w)"
)
_IT_UPPER = re.compile(r"(?<![\w'])(?:l')?IT(?![\w'])")  # "chez l'IT"
_LATEST = re.compile(
    r"(?<!\w)(?:last|latest|newest|most recent|recent|dernier|derniere"
    r"|plus recent|plus recente)(?!\w)"
)
# Verbs that act on a ticket: where a request names several ids ("duplicate of 45, please
# delete 46"), the one right after such a verb is the one meant.
_ACT = re.compile(
    r"(?<!\w)(?:delete|remove|cancel|close|get rid of|drop|kill|trash|show|open|see|check"
    r"|supprime|efface|annule|ferme|vire|retire|cloture|affiche|montre|ouvre|voir)"
    r"(?:\s+(?:the|le|la|ticket|#|n°|no\.?|numero))*\s*$"
)


def keep_length_fold(text: str) -> str:
    """`fold` character by character, so indices in the result are indices in `text`."""
    return "".join(map(_fold_char, text))


@functools.cache  # a text holds few distinct characters: each is folded once per process
def _fold_char(char: str) -> str:
    if char.isspace():
        return " "
    folded = fold(char)
    return folded if len(folded) == 1 else char


def ticket_id(text: str, loose: bool = False) -> int | None:
    """The ticket id the text names; with `loose`, also a number that stands alone. Of several
    ids of the same kind, the first one an action verb points at ("duplicate of 45, please
    delete 46"), else the first."""
    folded = keep_length_fold(text)
    patterns = (_MARKED, _ARTICLED, _CODED, _BARE) if loose else (_MARKED, _ARTICLED)
    for pattern in patterns:
        ids = (m for m in pattern.finditer(folded) if _is_id(folded, m, pattern, loose))
        first = next(ids, None)
        if first is None:
            continue
        if not _acted_on(folded, first):
            first = next((m for m in ids if _acted_on(folded, m)), first)
        return int(first.group(1))
    return None


# The words before a number that say what it is all fit in this many characters: looking no
# further keeps a long line with many numbers linear.
_BEFORE = 40


def _acted_on(folded: str, match: re.Match) -> bool:
    return bool(_ACT.search(folded, max(0, match.start(1) - _BEFORE), match.start(1)))


def _is_id(folded: str, match: re.Match, pattern: re.Pattern, loose: bool) -> bool:
    bare = pattern is _BARE
    after = folded[match.end(1) : match.end(1) + _BEFORE]
    before = folded[max(0, match.start() - _BEFORE) : match.start()]
    if _NOT_ID_AFTER.match(after.lstrip() if bare else after) or after.startswith(("-", "/")):
        return False
    if _DATE_BEFORE.search(before):  # "avant le 15", "d'ici le 3": a day of the month
        return False
    if bare and 1000 <= int(match.group(1)) <= 2099 and _YEAR_BEFORE.search(before):
        return False
    if (
        pattern is _ARTICLED
        and not loose
        and _floor_in_passing(match)
        and not _acted_on(folded, match)
    ):
        return False
    return not (_NOT_ID_NOUN.search(before) or bare and _NOT_ID_WORD.search(before))


def _floor_in_passing(match: re.Match) -> bool:
    """'l'imprimante du 4', 'au 3' in a new ticket: a floor, not a ticket it refers to;
    'le 31', 'demandée le 3': a day of the month."""
    if match.group().startswith("le"):
        return int(match.group(1)) <= 31
    return match.group().startswith(("du", "au")) and len(match.group(1)) <= 2


def means_latest(text: str) -> bool:
    """'my last ticket', 'ma dernière demande': the newest ticket, when no id is said."""
    return bool(_LATEST.search(fold(text)))


def department(text: str) -> str | None:
    """The department the text names (first one said), from its names and synonyms."""
    folded = keep_length_fold(text)
    found = [(m.start(), m.lastgroup) for m in _DEPARTMENT.finditer(folded)]
    if not _shouted(text):  # "IT" in capitals is the department, "it" is a pronoun
        found += [(m.start(), "IT") for m in _IT_UPPER.finditer(text)]
    return min(found)[1] if found else None


def department_words(text: str, replacement: str = " ") -> str:
    """`text` (folded) with every department name that `department` would find replaced."""
    folded = keep_length_fold(text)
    spans = [m.span() for m in _DEPARTMENT.finditer(folded)]
    if not _shouted(text):
        spans += [m.span() for m in _IT_UPPER.finditer(text)]
    for begin, end in sorted(spans, reverse=True):
        folded = folded[:begin] + replacement + folded[end:]
    return folded


def _shouted(text: str) -> bool:
    """All in capitals ("DELETE IT"), where capitals say nothing about a word."""
    return text.isupper() and len(re.findall(r"[^\W\d_]+", text)) > 1
