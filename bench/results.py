"""bench/results/latest.json and latest.md: one section per benchmark, each rewritten alone.

A benchmark calls `update(name, data, markdown)`: its key in latest.json and its block in
latest.md are replaced, every other benchmark's results stay as they were.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).with_name("results")
TITLE = "# Benchmark results\n\nWritten by `make bench`; each section by its own benchmark.\n"


def update(
    name: str, data: dict[str, Any], markdown: str | None, folder: Path = RESULTS_DIR
) -> None:
    """Replace section `name` in latest.json and latest.md, keeping the others.

    With `markdown` None only latest.json changes: for data another section's block shows.
    """
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "latest.json", folder / "latest.md"
    results = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    results[name] = data
    _write(json_path, json.dumps(results, indent=2, sort_keys=True) + "\n")
    if markdown is None:
        return
    sections = read_sections(md_path.read_text(encoding="utf-8") if md_path.exists() else "")
    sections[name] = markdown.strip()
    _write(md_path, render(sections))


def read_sections(text: str) -> dict[str, str]:
    """The blocks between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, by name."""
    pattern = re.compile(r"<!-- bench:([\w-]+) -->\n(.*?)\n<!-- /bench:\1 -->", re.DOTALL)
    return {match[1]: match[2] for match in pattern.finditer(text)}


def render(sections: dict[str, str]) -> str:
    blocks = [
        f"<!-- bench:{name} -->\n{body}\n<!-- /bench:{name} -->"
        for name, body in sorted(sections.items())
    ]
    return TITLE + "\n" + "\n\n".join(blocks) + "\n"


def _write(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
