"""`make bench-chat`: the chatbot's understanding as users meet it, and `triage-chat parse` speed.

Quality is the whole understanding (intent model, rules and slot extractors, as
`triage-chat parse` answers), on the project's held-out split and on every labelled file given
with `--utterances` (columns text and intent; language, ticket_id, department and ticket_text
are scored when present). Such files, written independently of the project, stay outside it:
they are read by path and reported by name and sha256.

Speed is `triage-chat parse` as a process: seconds from its start to the first answer, then the
round trip of one line (written to its stdin, its JSON line read back).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import Counter

import numpy as np

import textclf
from bench import results
from bench.labelled import (
    ROOT,
    LabelledSet,
    by_rows,
    from_file,
    held_out,
    novel,
    per_language,
    share,
    table,
)
from bench.labelled import arguments as labelled_arguments
from chatbot.nlu import INTENTS, Understanding
from pipeline.common import PipelineError, stage

SPEED_LINES, WARM_UP = 2000, 50
# data/intents.csv grew in batches written differently (data/README.md): the held-out split
# is also scored on the rows of the first eight batches and on those of each later one.
BATCHES = {
    "batches 1-8": (1, 9074),
    "batch 9": (9075, 11573),
    "batch 10": (11574, 13208),
    "batch 11": (13209, None),
}
TARGETS = {"intent_accuracy": 0.95, "ticket_id_exact": 0.99, "out_of_scope_recall": 0.9}
PARSE_TARGET_MS = 5.0


def score(nlu: Understanding, labelled: LabelledSet) -> dict:
    """Intent accuracy (overall and by language), out-of-scope recall and each slot's exactness."""
    rows = labelled.rows
    unknown = sorted(set(rows["intent"]) - set(INTENTS))
    if unknown:
        raise PipelineError(
            f"{labelled.name}: unknown intent(s) {', '.join(unknown)}; "
            f"expected one of {', '.join(INTENTS)}"
        )
    parses = [nlu.parse(text) for text in rows["text"]]
    predicted = np.array([p.intent for p in parses])
    gold = rows["intent"].to_numpy()
    correct = predicted == gold
    report: dict = {
        **labelled.describe(),
        "intent_accuracy": share(correct),
        "out_of_scope_recall": share(correct[gold == "out_of_scope"]),
        "per_language": per_language(rows, correct, "intent_accuracy"),
        "confusions": [
            [truth, guess, count]
            for (truth, guess), count in Counter(
                zip(gold[~correct], predicted[~correct], strict=True)
            ).most_common(10)
        ],
    }
    if labelled.external:
        fresh = novel(rows, "intent")
        report["novel_rows"] = int(fresh.sum())
        report["intent_accuracy_novel"] = share(correct[fresh])
    if "language" in rows.columns:
        detected = np.array([p.language for p in parses])
        report["language_accuracy"] = share(detected == rows["language"].to_numpy())
    if "ticket_id" in rows.columns:
        named = rows["ticket_id"].to_numpy() != ""
        found = [p.ticket_id for p in parses]
        exact = [f == int(g) for f, g, n in zip(found, rows["ticket_id"], named, strict=True) if n]
        report["ticket_id_exact"] = share(np.array(exact, dtype=bool))
        report["ticket_id_rows"] = int(named.sum())
        report["ticket_id_spurious"] = share(
            np.array([f is not None for f, n in zip(found, named, strict=True) if not n])
        )
    for slot in ("department", "ticket_text"):
        if slot in rows.columns:
            report[f"{slot}_exact"] = _slot_exactness(parses, rows, slot)
    return report


def _slot_exactness(parses: list, rows, slot: str) -> float | None:
    """On the rows whose intent uses the slot (gold intent and predicted intent alike)."""
    uses = {"department": ("list_tickets", "create_ticket"), "ticket_text": ("create_ticket",)}
    pairs = [
        (getattr(p, slot), gold or None)
        for p, gold, intent in zip(parses, rows[slot], rows["intent"], strict=True)
        if intent in uses[slot]
    ]
    return share(np.array([found == want for found, want in pairs], dtype=bool))


def parse_speed(
    texts: list[str], lines: int = SPEED_LINES, env: dict[str, str] | None = None
) -> dict:
    """`python -m chatbot.cli parse`: start to first answer, then per-line round trips."""
    started = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "chatbot.cli", "parse"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        bufsize=1,
    ) as process:
        first = _round_trip(process, texts[0])
        start_seconds = time.perf_counter() - started
        json.loads(first[1])  # the answer is one JSON object
        sample = [texts[i % len(texts)] for i in range(lines + WARM_UP)]
        times = np.array([_round_trip(process, text)[0] for text in sample])[WARM_UP:]
        process.stdin.close()
    return {
        "start_seconds": round(start_seconds, 3),
        "parse_p50_ms": round(float(np.percentile(times, 50)) * 1000, 3),
        "parse_p99_ms": round(float(np.percentile(times, 99)) * 1000, 3),
        "lines_timed": len(times),
    }


def _round_trip(process: subprocess.Popen, text: str) -> tuple[float, str]:
    started = time.perf_counter()
    process.stdin.write(text.replace("\n", " ") + "\n")
    process.stdin.flush()
    answer = process.stdout.readline()
    if not answer:
        raise PipelineError(f"triage-chat parse stopped answering: {process.stderr.read()[-500:]}")
    return time.perf_counter() - started, answer


def problems_as_create(nlu: Understanding, tickets: LabelledSet) -> dict:
    """Tickets typed to the chatbot as they are: how many it understands as create_ticket."""
    parses = [nlu.parse(text) for text in tickets.rows["text"]]
    created = np.array([p.intent == "create_ticket" for p in parses])
    unsure = np.array([not nlu.is_confident(p) for p in parses])
    return {
        **tickets.describe(),
        "create_ticket_share": share(created),
        "menu_share_of_the_rest": share(unsure[~created]),  # offered the menu, not a guess
        "per_language": per_language(tickets.rows, created, "create_ticket_share"),
    }


def markdown(sets: list[dict], speed: dict, problems: dict) -> str:
    lines = [
        "### Chatbot understanding (`make bench-chat`)",
        "",
        "The whole understanding (intent model + rules + slot extractors), as "
        "`triage-chat parse` answers. Targets: intent accuracy ≥ 0.95, out-of-scope recall "
        "≥ 0.9, exact ticket_id ≥ 0.99 (on rows naming an id), parse < 5 ms a line. Novel rows: "
        "those of a file with no near-duplicate in data/intents.csv (pipeline.similarity).",
        "",
    ]
    lines += table(
        [
            "intent accuracy",
            "en",
            "fr",
            "out-of-scope recall",
            "ticket_id exact",
            "department exact",
            "ticket text exact",
            "novel rows",
            "intent accuracy on them",
        ],
        sets,
        lambda s: [
            s["intent_accuracy"],
            s["per_language"].get("en", {}).get("intent_accuracy"),
            s["per_language"].get("fr", {}).get("intent_accuracy"),
            s["out_of_scope_recall"],
            s.get("ticket_id_exact"),
            s.get("department_exact"),
            s.get("ticket_text_exact"),
            s.get("novel_rows"),
            s.get("intent_accuracy_novel"),
        ],
    )
    lines += [
        "",
        f"Tickets typed as they are ({problems['rows']} of the department held-out split): "
        f"{problems['create_ticket_share']:.3f} understood as create_ticket; of the others, "
        f"{problems['menu_share_of_the_rest']:.3f} get the menu of actions instead of a guess.",
        "",
        f"`triage-chat parse`: first answer {speed['start_seconds']} s after start; then one "
        f"line in {speed['parse_p50_ms']} ms (p50), {speed['parse_p99_ms']} ms (p99) over "
        f"{speed['lines_timed']} lines, round trip through its pipes.",
    ]
    return "\n".join(lines)


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = labelled_arguments(
        "python -m bench.chat",
        __doc__,
        "--utterances",
        "text,intent[,language,ticket_id,...]",
    )
    parser.add_argument("--lines", type=int, default=SPEED_LINES, help="lines timed through parse")
    return parser.parse_args(argv)


@stage("bench-chat")
def main(argv: list[str] | None = None) -> None:
    args = arguments(argv)
    started, load_before = time.time(), os.getloadavg()
    try:
        nlu = Understanding.load()  # $TRIAGE_MODELS_DIR, else ./models
    except textclf.ModelLoadError as exc:
        raise PipelineError(f"{exc}; `make models` trains and exports the models") from None
    whole = held_out("intent")
    labelled = [whole, *by_rows(whole, BATCHES)]
    labelled += [from_file(path, "intent") for path in args.utterances]
    sets = [score(nlu, one) for one in labelled]
    problems = problems_as_create(nlu, held_out("department"))
    speed = parse_speed(labelled[0].rows["text"].tolist(), args.lines)
    data = {
        "model_version": nlu.model.version,
        "sets": sets,
        "problems_as_create": problems,
        "speed": speed,
        "targets": {**TARGETS, "parse_ms": PARSE_TARGET_MS},
        "run": results.provenance(started, load_before),
    }
    report = markdown(sets, speed, problems) + "\n\n" + results.provenance_line(data["run"])
    results.update("chat", data, report)
    print(report)


if __name__ == "__main__":
    raise SystemExit(main())
