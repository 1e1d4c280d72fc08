"""bench/results: each benchmark rewrites its own section, the others stay."""

from __future__ import annotations

import json
from pathlib import Path

from bench import results


def test_a_section_is_replaced_and_the_others_kept(tmp_path: Path) -> None:
    results.update("model", {"accuracy": 0.9}, "## Model\n\nold", folder=tmp_path)
    results.update("api", {"ratio": 0.8}, "## API\n\nfirst", folder=tmp_path)
    results.update("api", {"ratio": 1.1}, "## API\n\nsecond", folder=tmp_path)

    data = json.loads((tmp_path / "latest.json").read_text())
    text = (tmp_path / "latest.md").read_text()

    assert data == {"api": {"ratio": 1.1}, "model": {"accuracy": 0.9}}
    assert results.read_sections(text) == {"api": "## API\n\nsecond", "model": "## Model\n\nold"}
    assert "first" not in text
