"""bench.chat and bench.routing: the shipped models scored on labelled sets, and parse speed."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from api.config import Settings
from api.main import build_router
from bench import chat, routing
from bench.labelled import LabelledSet, by_rows, from_file, held_out, novel
from chatbot.nlu import Understanding
from pipeline.common import PipelineError


def labelled(rows: list[tuple], columns: list[str]) -> LabelledSet:
    return LabelledSet("hand", pd.DataFrame(rows, columns=columns), {})


@pytest.fixture(scope="module")
def nlu(models_root: Path) -> Understanding:
    return Understanding.load("champion", root=models_root)


def test_chat_scores_intents_languages_and_slots(nlu: Understanding) -> None:
    rows = [
        ("supprime le ticket 12", "delete_ticket", "fr", "12"),
        ("hello there", "greet", "en", ""),
        ("what's the weather like in Paris", "greet", "en", ""),  # wrong on purpose
        ("raconte-moi une blague", "out_of_scope", "fr", ""),
    ]
    report = chat.score(nlu, labelled(rows, ["text", "intent", "language", "ticket_id"]))

    assert report["intent_accuracy"] == 0.75
    assert report["per_language"] == {
        "en": {"rows": 2, "intent_accuracy": 0.5},
        "fr": {"rows": 2, "intent_accuracy": 1.0},
    }
    assert report["out_of_scope_recall"] == 1.0
    assert (report["ticket_id_exact"], report["ticket_id_rows"]) == (1.0, 1)
    assert report["ticket_id_spurious"] == 0.0
    assert report["confusions"] == [["greet", "out_of_scope", 1]]
    assert "department_exact" not in report  # no such column, no such score


def test_problems_typed_as_they_are_count_as_create(nlu: Understanding) -> None:
    rows = [("the printer on floor 2 jams on every page", "IT", "en"), ("hello", "IT", "en")]
    report = chat.problems_as_create(nlu, labelled(rows, ["text", "department", "language"]))
    assert report["create_ticket_share"] == 0.5
    assert report["per_language"] == {"en": {"rows": 2, "create_ticket_share": 0.5}}


def test_chat_names_unknown_intents(nlu: Understanding) -> None:
    with pytest.raises(PipelineError, match="unknown intent.*order_pizza"):
        chat.score(nlu, labelled([("pizza", "order_pizza")], ["text", "intent"]))


def test_a_file_is_named_by_its_label_and_checked_for_columns(tmp_path: Path) -> None:
    good = tmp_path / "set.csv"
    good.write_text("text,intent\nhello,greet\n", encoding="utf-8")
    one = from_file(f"outside={good}", "intent")
    assert (one.name, len(one.rows), one.source["path"]) == ("outside", 1, str(good))
    assert from_file(str(good), "intent").name == "set.csv"
    with pytest.raises(PipelineError, match="missing column.*department"):
        from_file(str(good), "department")
    with pytest.raises(PipelineError, match="not found"):
        from_file(str(tmp_path / "absent.csv"), "intent")


def test_the_held_out_split_is_the_pipelines_test_split(params: dict) -> None:
    intents = held_out("intent").rows
    everything = pd.read_csv(Path(__file__).parents[2] / "data" / "intents.csv")
    share = len(intents) / len(everything)
    assert abs(share - params["prepare"]["test_size"]) < 0.01
    assert set(intents["language"]) == {"en", "fr"}


def test_the_held_out_split_is_cut_by_where_its_rows_stand_in_the_data() -> None:
    whole = held_out("intent")
    early, late = by_rows(whole, {"early": (1, 100), "late": (101, None)})
    assert early.name == "held-out, early"
    assert early.rows["data_row"].between(1, 100).all()
    assert (late.rows["data_row"] > 100).all()
    assert len(early.rows) + len(late.rows) == len(whole.rows)
    data = pd.read_csv(Path(__file__).parents[2] / "data" / "intents.csv", keep_default_na=False)
    first = early.rows.iloc[0]
    assert data["text"].iloc[first["data_row"] - 1] == first["text"]


def test_parse_speed_times_the_real_command(models_root: Path) -> None:
    env = {**os.environ, "TRIAGE_MODELS_DIR": str(models_root)}
    speed = chat.parse_speed(["supprime le ticket 12", "hello"], lines=20, env=env)
    assert speed["lines_timed"] == 20
    assert 0 < speed["parse_p50_ms"] <= speed["parse_p99_ms"]
    assert speed["start_seconds"] > 0


def test_routing_counts_triage_as_not_routed(models_root: Path) -> None:
    router = build_router(Settings(models_dir=models_root, confidence_threshold=1.0))
    rows = [
        ("my laptop screen stays black after the update", "IT", "en"),
        ("ma fiche de paie de mars est fausse", "HR", "fr"),
    ]
    report = routing.score(router, labelled(rows, ["text", "department", "language"]))

    assert report["department_accuracy"] == 1.0  # the answer before the fallback
    assert report["triage_share"] == 1.0 - report["by_rule"]  # the model is never sure enough
    assert report["routed_accuracy"] == report["by_rule"]


def test_routing_names_unknown_departments(models_root: Path) -> None:
    router = build_router(Settings(models_dir=models_root))
    with pytest.raises(PipelineError, match="unknown department.*Marketing"):
        routing.score(router, labelled([("a flyer", "Marketing")], ["text", "department"]))


def test_both_commands_take_repeatable_labelled_files() -> None:
    args = chat.arguments(["--utterances", "a.csv", "--utterances", "b=c.csv", "--lines", "5"])
    assert (args.utterances, args.lines) == (["a.csv", "b=c.csv"], 5)
    assert routing.arguments(["--tickets", "t.csv"]).tickets == ["t.csv"]


def test_rows_with_a_near_duplicate_in_the_data_are_not_novel() -> None:
    data = pd.read_csv(Path(__file__).parents[2] / "data" / "intents.csv", dtype=str)
    known = data["text"].iloc[0]
    rows = pd.DataFrame({"text": [known, known.upper() + " !", "zxqv wibble florp"]})
    assert novel(rows, "intent").tolist() == [False, False, True]
