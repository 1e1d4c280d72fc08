"""bench/results/latest.json and latest.md: one section per benchmark, each rewritten alone.

A benchmark calls `update(name, data, markdown)`: its key in latest.json and its block in
latest.md are replaced, every other benchmark's results stay as they were.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
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


def git_commit() -> str:
    """The checkout's short commit, with "-dirty" when tracked files differ from it."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=RESULTS_DIR, capture_output=True, text=True)
        return done.stdout

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    # Results files themselves do not count: a run rewrites them.
    changed = git(
        "status", "--porcelain", "--untracked-files=no", "--", ":(top,exclude)bench/results"
    )
    return commit + ("-dirty" if changed else "")


def provenance(started: float, load_before: tuple[float, float, float]) -> dict[str, Any]:
    """When and where a run happened: date, commit, duration, load average around it."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "git": git_commit(),
        "seconds": round(time.time() - started, 1),
        "load_average_before": round(load_before[0], 2),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def provenance_line(run: dict[str, Any]) -> str:
    return (
        f"Run {run['date']} at {run['git']}, {run['seconds']:.0f} s, load average "
        f"{run['load_average_before']:.1f} before and {run['load_average_after']:.1f} after."
    )
