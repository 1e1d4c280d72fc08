"""Slot extractors: which ticket an utterance names, and which department.

Rules over folded text (lower case, no accents, same length as the original so that a
match can be cut out of what the user typed). A number is a ticket id when something marks
it as one ("#12", "n° 12", "ticket 12", "le 12"), or, for intents that need an id, when it
stands alone and nothing marks it as an amount, a floor, a room, a time or a date.
"""

from __future__ import annotations

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
    r"^(?:e\b|eme|er\b|ere\b|st\b|nd\b|rd\b|th\b|h\b|h\d|k\b|:\d|am\b|pm\b|\s?(?:%|€|\$|£"
    r"|euros?|dollars?|eur|usd|minutes?|min\b|mn\b|heures?|hours?|h\b|jours?|days?|weeks?"
    r"|semaines?|mois|months?|ans?\b|years?|fois|times|x\b|etages?|floors?|personnes?|people"
    r"|derniers?|dernieres?|last(?! (?:week|month|year|night|time|friday|monday))|latest"
    r"|premiers?|first|tickets|demandes|janvier|fevrier|mars"
    r"|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february"
    r"|march|april|may|june|july|august|september|october|november|december))"
)
# What may precede a number that is not an id: a floor, a room, an invoice...
_NOT_ID_NOUN = re.compile(
    r"(?<!\w)(?:floor|level|room|office|desk|building|bureau|salle|etage|niveau|batiment"
    r"|invoice|facture|order|commande|po|tel|phone|telephone|poste|ext)"
    r"(?:\s*(?:#|n\s?°|no\.?|number|numero))?\s*$"
)
# ...and, for a number that nothing marks as an id, a sum, a count or a duration.
_NOT_ID_WORD = re.compile(
    r"(?:(?<!\w)(?:plus|fois|times|x|since|depuis|than|que|top|mes|my|last|derniers)"
    r"|[€$£]|%\s*(?:of|de))\s*$"
)
_DATE_BEFORE = re.compile(
    r"(?<!\w)(?:avant|apres|depuis|jusqu'(?:au|a)|d'ici|a partir du|des|before|after|until)\s*$"
)
_MARKED = re.compile(rf"(?<![\w#])(?:{_MARKER})\s?[:#-]?\s?(?:{_MARKER})?\s?[:#-]?\s?{_NUMBER}")
_ARTICLED = re.compile(rf"(?<!\w)(?:{_ARTICLE})\s?{_NUMBER}")
_BARE = re.compile(rf"(?<![\w.,/-]){_NUMBER}")

DEPARTMENTS = ("IT", "HR", "Finance", "Facilities", "Legal")
_DEPARTMENT_WORDS = {
    "HR": r"hr|rh|drh|human resources?|ressources humaines|people team|personnel department"
    r"|(?<=with )payroll|(?<=with the )payroll|(?<=to )payroll|payroll (?:tickets?|requests?"
    r"|team|department|dept)|people ops|service (?:de )?paie",
    "IT": r"informatiques?|dsi|tech support|technical support|tech team|tech guys|techies"
    r"|tech (?:tickets?|requests?|issues?)|chez l'info"
    r"|support (?:info|informatique|technique)|service info|i\.t\."
    r"|it (?:support|tickets?|team|dept|department|queue|desk|requests?|issues?|guys"
    r"|folks|people|tix|service|helpdesk|stuff)",
    "Finance": r"finances?|compta|comptabilite|comptables?|accounting|accountants?"
    r"|accounts (?:payable|receivable|team|department)|service financier|tresorerie",
    "Facilities": r"facilities|facility|services? generaux|moyens generaux|building services"
    r"|building management|office management|facility management|logistique"
    r"|building (?:people|team|guys)"
    r"|(?:building |office )?maintenance",
    "Legal": r"legal|juridiques?|lawyers?|avocats?|contentieux|service juridique",
}
_DEPARTMENT = re.compile(
    r"(?<!\w)(?:"
    + "|".join(f"(?P<{name}>{words})" for name, words in _DEPARTMENT_WORDS.items())
    + r")(?!\w)"
)
_IT_UPPER = re.compile(r"(?<![\w'])IT(?![\w'])")
_LATEST = re.compile(
    r"(?<!\w)(?:last|latest|newest|most recent|recent|dernier|derniere"
    r"|plus recent|plus recente)(?!\w)"
)


def keep_length_fold(text: str) -> str:
    """`fold` character by character, so indices in the result are indices in `text`."""
    out = []
    for char in text:
        folded = fold(char) if not char.isspace() else " "
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def ticket_id(text: str, loose: bool = False) -> int | None:
    """The ticket id the text names; with `loose`, also a number that stands alone."""
    folded = keep_length_fold(text)
    patterns = (_MARKED, _ARTICLED, _BARE) if loose else (_MARKED, _ARTICLED)
    for pattern in patterns:
        for match in pattern.finditer(folded):
            if _is_id(folded, match, bare=pattern is _BARE):
                return int(match.group(1))
    return None


def _is_id(folded: str, match: re.Match, bare: bool) -> bool:
    after, before = folded[match.end(1) :], folded[: match.start()]
    if _NOT_ID_AFTER.match(after.lstrip() if bare else after) or after.startswith(("-", "/")):
        return False
    if _DATE_BEFORE.search(before):  # "avant le 15", "d'ici le 3": a day of the month
        return False
    return not (_NOT_ID_NOUN.search(before) or bare and _NOT_ID_WORD.search(before))


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
