"""Chatbot fixtures: the understanding over the test models."""

from pathlib import Path

import pytest

from chatbot.nlu import Understanding


@pytest.fixture(scope="session")
def nlu(models_root: Path) -> Understanding:
    return Understanding.load("champion", root=models_root)
