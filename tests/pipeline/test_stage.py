"""A stage ends in one line on stderr, never a traceback: its own errors and the encoder's."""

from __future__ import annotations

import pytest

from pipeline.common import PipelineError, stage
from textclf.encoder import EncoderError


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PipelineError("data/intents.csv: line 3: empty text"), "demo: data/intents.csv: line 3"),
        (EncoderError("the sentence encoder package is not installed"), "demo: the sentence"),
        (ValueError("boom"), "demo: unexpected ValueError: boom (set TRIAGE_DEBUG=1"),
    ],
)
def test_a_failing_stage_says_why_in_one_line(
    error: Exception, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    @stage("demo")
    def main() -> None:
        raise error

    assert main() == 1
    err = capsys.readouterr().err
    assert err.startswith(expected) and err.count("\n") == 1 and "Traceback" not in err
