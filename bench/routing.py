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
import os
import time

import numpy as np
from sklearn.metrics import f1_score

from api.config import get_settings
from api.main import StartupError, build_router
from api.routing import TicketRouter
from bench import results
from bench.labelled import LabelledSet, from_file, held_out, per_language, share, table
from bench.labelled import arguments as labelled_arguments
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
    by_language = per_language(rows, guessed == gold, "department_accuracy")
    return {
        **labelled.describe(),
        "department_accuracy": share(guessed == gold),
        "macro_f1": round(
            float(f1_score(gold, guessed, labels=sorted(known), average="macro", zero_division=0)),
            4,
        ),
        "routed_accuracy": share(routed == gold),
        "triage_share": share(~automatic),
        "automatic_accuracy": share(routed[automatic] == gold[automatic]),
        "by_rule": share(np.array([d.routed_by == "rule" for d in decisions])),
        "per_language": by_language,
    }


def _guess(router: TicketRouter, text: str, decision) -> str:
    """The department before the fallback: the rule's or the model's best guess."""
    if decision.routed_by != "fallback":
        return decision.department
    probabilities = router.model.predictor.proba_one(text)
    return router.model.predictor.classes[int(probabilities.argmax())]


def markdown(sets: list[dict]) -> str:
    lines = [
        "### Ticket routing as the service does it (`make bench-routing`)",
        "",
        "Rules + champion model + Triage fallback. Department accuracy: the answer before the "
        "fallback (target ≥ 0.90); routed: a ticket sent to Triage counts as not routed.",
        "",
    ]
    lines += table(
        [
            "department accuracy",
            "en",
            "fr",
            "macro-F1",
            "sent to Triage",
            "accuracy of the rest",
            "routed accuracy",
        ],
        sets,
        lambda s: [
            s["department_accuracy"],
            s["per_language"].get("en", {}).get("department_accuracy"),
            s["per_language"].get("fr", {}).get("department_accuracy"),
            s["macro_f1"],
            s["triage_share"],
            s["automatic_accuracy"],
            s["routed_accuracy"],
        ],
    )
    return "\n".join(lines)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = labelled_arguments(
        "python -m bench.routing", __doc__, "--tickets", "text,department[,language]"
    )
    return parser.parse_args(argv)


@stage("bench-routing")
def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    started, load_before = time.time(), os.getloadavg()
    try:
        router = build_router(get_settings())
    except StartupError as exc:
        raise PipelineError(f"{exc}; `make models` trains and exports the models") from None
    labelled = [held_out("department")] + [from_file(path, "department") for path in args.tickets]
    sets = [score(router, one) for one in labelled]
    data = {
        "model_version": router.model.version,
        "sets": sets,
        "targets": TARGETS,
        "run": results.provenance(started, load_before),
    }
    report = markdown(sets) + "\n\n" + results.provenance_line(data["run"])
    results.update("routing", data, report)
    print(report)


if __name__ == "__main__":
    raise SystemExit(main())
