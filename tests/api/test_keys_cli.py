"""`triage-keys` (api/keys_cli.py): create prints a working key once, list shows, revoke refuses."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from api.config import get_settings
from api.keys_cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch, capsys):
    """Run the command in-process against the test database; (status, stdout, stderr)."""
    monkeypatch.setenv("TRIAGE_DATABASE_URL", database_url)

    def run(*args: str) -> tuple[int, str, str]:
        get_settings.cache_clear()
        try:
            status = main(list(args))
        finally:
            get_settings.cache_clear()
        out, err = capsys.readouterr()
        return status, out, err

    return run


def test_create_prints_a_key_the_service_accepts(cli, make_client) -> None:
    status, out, _ = cli("create", "--role", "agent", "--name", "alice")

    key = out.splitlines()[1]
    response = make_client().get("/tickets", headers={"X-API-Key": key})
    assert status == 0
    assert out.startswith("Created key 1 for alice (agent):")
    assert response.status_code == 200


def test_list_shows_names_and_roles_but_no_keys(cli) -> None:
    _, created, _ = cli("create", "--role", "admin", "--name", "root@example.com")

    status, out, _ = cli("list")

    assert status == 0
    assert "root@example.com" in out and "admin" in out
    assert created.splitlines()[1] not in out


def test_revoked_key_is_refused_and_revoking_again_fails(cli, make_client) -> None:
    _, out, _ = cli("create", "--role", "requester", "--name", "bob")
    key = out.splitlines()[1]

    first = cli("revoke", "1")
    second = cli("revoke", "1")

    assert first[0] == 0 and "Revoked key 1" in first[1]
    assert second[0] == 1 and "no valid key 1" in second[2]
    assert make_client().get("/tickets", headers={"X-API-Key": key}).status_code == 401


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--role", "root", "--name", "x"],
        ["create", "--role", "admin", "--name", "two words"],
        ["create", "--role", "admin"],
        ["revoke", "one"],
        [],
    ],
    ids=["unknown-role", "bad-name", "no-name", "id-not-a-number", "no-command"],
)
def test_bad_arguments_exit_2_with_usage(cli, args: list[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli(*args)

    assert caught.value.code == 2


def test_unreachable_database_is_one_line_without_the_password(
    run_without_database: Callable[..., subprocess.CompletedProcess],
) -> None:
    done = run_without_database("api.keys_cli", "list")

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "TRIAGE_DATABASE_URL" in done.stderr
    assert "pw" not in done.stderr
