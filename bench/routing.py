"""`make bench-routing`: the service's router (rules + champion department model + the Triage
fallback, exactly as POST /tickets routes) on the project's held-out split and on every
labelled file given with `--tickets` (columns text and department, language optional).

Such files, written independently of the project, stay outside it: they are read by path and
reported by name and sha256. Two accuracies: the department's (the router's answer before the
fallback, as if nobody abstained) and the routed one (a ticket sent to Triage counts as not
routed); with the share sent to Triage and the accuracy of what was routed automatically.
"""

from __future__ import annotations

import argparse

import numpy as np

from api.config import get_settings
from api.main import StartupError, build_router
from api.routing import TicketRouter
from bench import results
from bench.labelled import LabelledSet, from_file, held_out, languages
from pipeline.common import PipelineError, stage

TARGETS = {"department_accuracy": 0.90}


def score(router: TicketRouter, labelled: LabelledSet) -> dict:
    rows = labelled.rows
    known = set(router.model.classes)
    unknown = sorted(set(rows["department"]) - known)
    if unknown:
        raise PipelineError(
            f"{labelled.name}: unknown department(s) {', '.join(unknown)}; "
            f"expected one of {', '.join(sorted(known))}"
        )
    decisions = [router.route(text) for text in rows["text"]]
    gold = rows["department"].to_numpy()
    guessed = np.array(
        [_guess(router, text, d) for text, d in zip(rows["text"], decisions, strict=True)]
    )
    routed = np.array([d.department for d in decisions])
    automatic = routed != "Triage"
    by_language = {
        language: {
            "rows": int(mask.sum()),
            "department_accuracy": _share(guessed[mask] == gold[mask]),
        }
        for language in languages(rows)
        for mask in [rows["language"].to_numpy() == language]
    }
    return {
        **labelled.describe(),
        "department_accuracy": _share(guessed == gold),
        "macro_f1": _macro_f1(gold, guessed, sorted(known)),
        "routed_accuracy": _share(routed == gold),
        "triage_share": _share(~automatic),
        "automatic_accuracy": _share(routed[automatic] == gold[automatic]),
        "by_rule": _share(np.array([d.routed_by == "rule" for d in decisions])),
        "per_language": by_language,
    }


def _guess(router: TicketRouter, text: str, decision) -> str:
    """The department before the fallback: the rule's or the model's best guess."""
    if decision.routed_by != "fallback":
        return decision.department
    probabilities = router.model.predictor.proba_one(text)
    return router.model.predictor.classes[int(probabilities.argmax())]


def _macro_f1(gold: np.ndarray, guessed: np.ndarray, classes: list[str]) -> float:
    scores = []
    for label in classes:
        tp = int(((guessed == label) & (gold == label)).sum())
        predicted, actual = int((guessed == label).sum()), int((gold == label).sum())
        scores.append(2 * tp / (predicted + actual) if predicted + actual else 0.0)
    return round(float(np.mean(scores)), 4)


def _share(mask: np.ndarray) -> float | None:
    return round(float(mask.mean()), 4) if len(mask) else None


def markdown(sets: list[dict]) -> str:
    lines = [
        "### Ticket routing as the service does it (`make bench-routing`)",
        "",
        "Rules + champion model + Triage fallback. Department accuracy: the answer before the "
        "fallback (target ≥ 0.90); routed: a ticket sent to Triage counts as not routed.",
        "",
        "| set | rows | department accuracy | en | fr | macro-F1 | sent to Triage "
        "| accuracy of the rest | routed accuracy |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sets:
        per = s["per_language"]
        cells = [
            s["name"],
            str(s["rows"]),
            _cell(s["department_accuracy"]),
            _cell(per.get("en", {}).get("department_accuracy")),
            _cell(per.get("fr", {}).get("department_accuracy")),
            _cell(s["macro_f1"]),
            _cell(s["triage_share"]),
            _cell(s["automatic_accuracy"]),
            _cell(s["routed_accuracy"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.routing", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--tickets",
        action="append",
        default=[],
        metavar="[NAME=]CSV",
        help="a labelled file to score as well (text,department[,language]); repeatable",
    )
    return parser.parse_args(argv)


@stage("bench-routing")
def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    try:
        router = build_router(get_settings())
    except StartupError as exc:
        raise PipelineError(f"{exc}; `make models` trains and exports the models") from None
    labelled = [held_out("department")] + [from_file(path, "department") for path in args.tickets]
    sets = [score(router, one) for one in labelled]
    data = {"model_version": router.model.version, "sets": sets, "targets": TARGETS}
    report = markdown(sets)
    results.update("routing", data, report)
    print(report)


if __name__ == "__main__":
    raise SystemExit(main())
