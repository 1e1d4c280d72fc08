"""Where a ticket goes: unambiguous rules first, then the model, then the human Triage queue."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from textclf import LoadedModel, detect_language, fold
from textclf.text import strip_accents

DEPARTMENTS = ("IT", "HR", "Finance", "Facilities", "Legal")
FALLBACK_DEPARTMENT = "Triage"
EXPLANATION_TERMS = 5


class RulesError(Exception):
    """The rules file cannot be used; the message is one line saying what to fix."""


@dataclass(frozen=True)
class Decision:
    """What the router decided for one text, and why."""

    department: str
    confidence: float
    routed_by: str  # rule, model or fallback
    model_version: int
    language: str
    explanation: list[tuple[str, float]]


@dataclass(frozen=True)
class Rule:
    department: str
    pattern: re.Pattern[str]


class _RuleSpec(BaseModel):
    """One entry of the rules file, as written by a person."""

    model_config = ConfigDict(extra="forbid")

    department: str
    keywords: list[str] = []
    patterns: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> _RuleSpec:
        if self.department not in DEPARTMENTS:
            raise ValueError(
                f"department {self.department!r} is not one of {', '.join(DEPARTMENTS)}"
            )
        if not any(term.strip() for term in self.keywords + self.patterns):
            raise ValueError("give at least one keyword or pattern")
        return self


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[_RuleSpec]


_HINT = "fix it (the comments atop api/rules.yaml say how) or set TRIAGE_RULES_PATH"


def load_rules(path: Path) -> list[Rule]:
    """Parse, check and compile the rules file; any problem becomes one RulesError line."""
    specs = _validated(_read(path), path)
    rules = []
    for number, spec in enumerate(specs, start=1):
        try:
            rules.append(_compile(spec))
        except ValueError as exc:
            raise RulesError(f"rules file {path}: rule {number}: {exc}; {_HINT}") from None
    return rules


def _read(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"rules file {path}: cannot be read ({exc.strerror}); {_HINT}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise RulesError(f"rules file {path}: not valid YAML{where}; {_HINT}") from None


def _validated(data: object, path: Path) -> list[_RuleSpec]:
    try:
        return _RulesFile.model_validate(data).rules
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(part + 1 if isinstance(part, int) else part) for part in error["loc"])
        raise RulesError(
            f"rules file {path}: {where or 'top level'}: {error['msg']}; {_HINT}"
        ) from None


def _compile(spec: _RuleSpec) -> Rule:
    """One regex for the rule: keywords escaped, patterns as written, all on whole words."""
    alternatives = [re.escape(fold(k)) for k in spec.keywords if k.strip()]
    for pattern in (p for p in spec.patterns if p.strip()):
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(
                f"pattern {pattern!r} is not a valid regular expression ({exc})"
            ) from None
        if compiled.fullmatch(""):
            raise ValueError(f"pattern {pattern!r} matches an empty text, so every ticket")
        alternatives.append(strip_accents(pattern))
    expression = rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)"  # whole words only
    return Rule(spec.department, re.compile(expression, re.IGNORECASE))


class TicketRouter:
    """Routes a text: a rule when exactly one department's rules match, else the model."""

    def __init__(self, *, rules: list[Rule], model: LoadedModel, threshold: float) -> None:
        unknown = sorted(set(model.classes) - set(DEPARTMENTS))
        if unknown:
            raise RulesError(
                f"model {model.name} version {model.version} predicts unknown "
                f"departments {', '.join(unknown)}; pick another version"
            )
        self.rules = rules
        self.model = model
        self.threshold = threshold

    def route(self, text: str) -> Decision:
        language = detect_language(text)
        matches = self.match_rules(text)
        if len(matches) == 1:
            ((department, terms),) = matches.items()
            explanation = [(term, 1.0) for term in terms[:EXPLANATION_TERMS]]
            return Decision(department, 1.0, "rule", self.model.version, language, explanation)
        return self._predict(text, language)

    def match_rules(self, text: str) -> dict[str, list[str]]:
        """Department -> the distinct terms of its rules found in the folded text."""
        folded = fold(text)
        found: dict[str, list[str]] = {}
        for rule in self.rules:
            for match in rule.pattern.finditer(folded):
                terms = found.setdefault(rule.department, [])
                if match.group() not in terms:
                    terms.append(match.group())
        return found

    def _predict(self, text: str, language: str) -> Decision:
        """The model's best guess and its top terms, from one pass over the text's features."""
        predictor = self.model.predictor
        probabilities, terms = predictor.explain_one(text, 3 * EXPLANATION_TERMS)
        best = int(probabilities.argmax())
        guess, confidence = predictor.classes[best], float(probabilities[best])
        explanation = _merged(terms)
        routed_by = "fallback" if confidence < self.threshold else "model"
        department = FALLBACK_DEPARTMENT if routed_by == "fallback" else guess
        return Decision(
            department, confidence, routed_by, self.model.version, language, explanation
        )


def _merged(terms: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Word and character n-grams can name the same term ('pas', ' pas'): add them up."""
    weights: dict[str, float] = {}
    for term, weight in terms:
        key = term.strip()
        if key:
            weights[key] = weights.get(key, 0.0) + weight
    ranked = sorted(weights.items(), key=lambda item: -item[1])[:EXPLANATION_TERMS]
    return [(term, round(weight, 4)) for term, weight in ranked]
