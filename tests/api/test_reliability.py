"""Under load, with `uvicorn --workers 4`: nothing acknowledged is lost, nothing deleted comes back,
no 5xx, never "database is locked"; also while the server is SIGKILLed and restarted.

The short version of `python -m bench.reliability` (make bench runs the long one).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reliability() -> Iterator[ModuleType]:
    """bench.reliability, importable also when pytest runs outside the project's folder."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.syspath_prepend(str(ROOT))
        yield importlib.import_module("bench.reliability")


def assert_nothing_lost(result: dict) -> None:
    assert result["lost"] == 0, result["examples"]
    assert result["resurrected"] == 0
    assert result["5xx"] == 0, result["examples"]
    assert result["database_locked"] == 0
    expected_integrity = "ok" if result["database"] == "sqlite" else None
    assert result["integrity_check"] == expected_integrity


def test_steady_load_loses_nothing(
    reliability: ModuleType, database_url: str, models_root: Path, tmp_path: Path
) -> None:
    goal = reliability.Goal(3, acknowledged=50, deleted=5, limit=120)
    result = reliability.run(
        database_url, workers=4, clients=64, until=goal, models_dir=models_root, log_dir=tmp_path
    )

    assert_nothing_lost(result)
    assert result["acknowledged"] >= 50 and result["deleted"] >= 5
    assert result["refused"] == result["unanswered"] == 0
    assert set(result["statuses"]) == {"200", "201", "204"}


def test_sigkill_loses_no_acknowledged_ticket(
    reliability: ModuleType, database_url: str, models_root: Path, tmp_path: Path
) -> None:
    result = reliability.run(
        database_url,
        workers=4,
        clients=64,
        until=reliability.Goal(5, acknowledged=50, kills=1, limit=180),
        kill_every=2,
        models_dir=models_root,
        log_dir=tmp_path,
    )

    assert_nothing_lost(result)
    assert result["kills"] >= 1
    assert result["acknowledged"] >= 50
    assert result["refused"] > 0  # the kills did take the server down under load


def test_the_load_runs_its_seconds_then_until_its_counts_are_met(reliability: ModuleType) -> None:
    goal = reliability.Goal(5, acknowledged=50, deleted=5, kills=1, limit=60)
    progress = reliability.Progress()
    progress.add(acknowledged=50, deleted=5)

    assert not goal.reached(4.9, progress, kills=1)  # not the seconds yet
    assert goal.reached(5.0, progress, kills=1)
    assert not goal.reached(30, progress, kills=0)  # no kill yet
    progress.add(acknowledged=-1)
    assert not goal.reached(30, progress, kills=1)  # one acknowledgement short
    assert goal.reached(60, progress, kills=0)  # the limit ends a run that cannot get there
    assert reliability.Goal(3).reached(3, reliability.Progress(), kills=0)


def test_verification_catches_a_lost_a_changed_and_a_resurrected_ticket(
    reliability: ModuleType,
) -> None:
    stored = {1: "kept", 2: "changed by someone", 4: "deleted, yet here"}
    tally = reliability.Tally(
        acknowledged={1: "kept", 2: "original", 3: "lost", 4: "deleted, yet here", 5: "?"},
        deleted={4},
        uncertain={5},
    )

    def server(request: httpx.Request) -> httpx.Response:
        ticket_id = int(request.url.path.rsplit("/", 1)[1])
        assert ticket_id != 5, "a delete without an answer is not checked"
        if ticket_id in stored:
            return httpx.Response(200, json={"description": stored[ticket_id]})
        return httpx.Response(404, json={"detail": "not found"})

    checked = reliability.verify("http://test", "key", tally, httpx.MockTransport(server))

    assert checked == {"lost": [2, 3], "resurrected": [4]}


def test_a_run_with_anything_lost_or_locked_does_not_pass(reliability: ModuleType) -> None:
    clean = {"lost": 0, "resurrected": 0, "5xx": 0, "database_locked": 0, "integrity_check": "ok"}

    assert reliability.passed(clean)
    for name, bad in [("lost", 1), ("5xx", 2), ("database_locked", 1), ("integrity_check", "x")]:
        assert not reliability.passed({**clean, name: bad})
