"""What start-up costs: the imports stay light, and start-up objects leave the GC's walks."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from api.main import frozen_heap

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sklearn", "scipy", "pandas", "mlflow", "alembic")


def test_serving_imports_nothing_heavy() -> None:
    check = f"import api.main, sys; print(sorted(set({HEAVY!r}) & set(sys.modules)))"

    imported = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )

    assert imported.stdout.strip() == "[]"


def test_start_up_objects_are_frozen_while_serving_and_thawed_after() -> None:
    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
