"""The reference app does what the service does to a ticket, minus routing."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient


def test_it_stores_returns_and_reads_a_ticket(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_REFERENCE_DB", str(tmp_path / "reference.db"))
    from bench.reference_app import app

    with TestClient(app) as client:
        created = client.post("/tickets", json={"description": "Screen black", "title": "PC"})
        read = client.get(f"/tickets/{created.json()['id']}", headers={"X-API-Key": "ignored"})
        missing = client.get("/tickets/999")

    assert created.status_code == 201
    assert {**read.json(), "created_at": None} == {**created.json(), "created_at": None}
    assert read.json()["department"] == "IT" and read.json()["description"] == "Screen black"
    assert missing.status_code == 404
    assert (tmp_path / "reference.db").is_file()
