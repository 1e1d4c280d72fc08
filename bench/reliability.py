"""Reliability under load: no acknowledged ticket lost, no 5xx, also across SIGKILL restarts.

`run(database_url, ...)` starts `uvicorn api.main:app --workers N` on a free loopback port,
drives `clients` concurrent clients that create, read and delete tickets until a `Goal` (so
many seconds, and so many tickets acknowledged and deleted) is reached, and
optionally kills the whole server (SIGKILL to its process group) every `kill_every` seconds
and starts it again (and once more at the end). Then it checks that every ticket answered
201 reads back unchanged unless a 204 deleted it, that every 204 id is 404, that no answer
was a 5xx or said "database is locked", and, on SQLite, `PRAGMA integrity_check`.

A request that got no answer (connection refused or reset while the server was down) is
neither an acknowledgement nor a 5xx: it is counted apart, and a delete without an answer
leaves its ticket out of the checks (it may or may not be gone).

`python -m bench.reliability` (make bench) runs the long version on SQLite and PostgreSQL,
with and without kills, and writes bench/results/latest.json["reliability"].
tests/api/test_reliability.py runs a short one in `make test`.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bench import servers
from bench.churn import LOCKED, Progress, Tally, client_loop

ROOT = Path(__file__).resolve().parents[1]


class Server:
    """`uvicorn --workers N` in its own process group, so that one signal reaches every worker."""

    def __init__(self, env: dict[str, str], workers: int, log: Path) -> None:
        self.env, self.workers, self.log = env, workers, log
        self.port = servers.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> None:
        command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(self.workers)]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=out, start_new_session=True
            )
        self._wait_ready(timeout)

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM, grace=20)

    def _signal(self, sig: signal.Signals, grace: float = 10) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass
        _kill_group_leftovers(self.process.pid)
        self.process = None
        self._wait_port_closed()

    def _wait_port_closed(self, timeout: float = 10) -> None:
        """Until no dying worker still listens: the next start binds the same port."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.01)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"the server exited; see {self.log}:\n{tail(self.log)}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"the server did not answer within {timeout:g} s; see {self.log}")


def _kill_group_leftovers(pgid: int) -> None:
    """Workers whose master died first may still hold the port: the group goes entirely."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


@dataclass(frozen=True)
class Goal:
    """How long the load runs: at least `seconds`, and on until `acknowledged` creates and
    `deleted` deletes were answered and the server was killed `kills` times; but never past
    `limit` seconds, so that a server that answers nothing still ends the run.

    A goal counted in tickets rather than seconds keeps a short run meaningful on a slow or
    busy machine, where a few seconds may pass before the first ticket is acknowledged."""

    seconds: float
    acknowledged: int = 0
    deleted: int = 0
    kills: int = 0
    limit: float = 300.0

    def reached(self, elapsed: float, progress: Progress, kills: int) -> bool:
        if elapsed >= max(self.limit, self.seconds):
            return True
        return (
            elapsed >= self.seconds
            and progress.acknowledged >= self.acknowledged
            and progress.deleted >= self.deleted
            and kills >= self.kills
        )


def drive(
    server: Server, keys: dict[str, str], clients: int, goal: Goal, kill_every: float | None
) -> tuple[Tally, list[float]]:
    """Run the clients until the goal is reached, killing and restarting the server on
    schedule; what they saw, and how long the server was down at each kill."""
    progress = Progress()
    with ThreadPoolExecutor(clients) as pool:
        futures = [
            pool.submit(client_loop, server.url, keys, progress, random.Random(index))
            for index in range(clients)
        ]
        try:
            downtimes = supervise(server, progress, goal, kill_every)
        finally:
            progress.stop.set()
        total = Tally()
        for future in futures:
            total.add(future.result())
    return total, downtimes


def supervise(
    server: Server, progress: Progress, goal: Goal, kill_every: float | None
) -> list[float]:
    """Wait for the goal; meanwhile kill and restart the server each time it has served
    `kill_every` seconds. How long it was down each time (until /health answered again)."""
    started = time.monotonic()
    downtimes: list[float] = []
    next_kill = started + kill_every if kill_every else float("inf")
    while not goal.reached(time.monotonic() - started, progress, len(downtimes)):
        if time.monotonic() >= next_kill:
            killed = time.monotonic()
            server.kill()
            server.start()
            downtimes.append(time.monotonic() - killed)
            next_kill = time.monotonic() + (kill_every or 0)
        time.sleep(0.02)
    return downtimes


def verify(
    url: str, key: str, tally: Tally, transport: httpx.BaseTransport | None = None
) -> dict[str, list[int]]:
    """Read back every ticket whose fate is known: present and unchanged, or 404."""
    present = [i for i in tally.acknowledged if i not in tally.deleted | tally.uncertain]
    ids = present + sorted(tally.deleted)
    options: dict[str, Any] = {"timeout": 30, "headers": {"X-API-Key": key}}
    options["limits"] = httpx.Limits(max_connections=16)
    with httpx.Client(base_url=url, transport=transport, **options) as http:

        def fetch(ticket_id: int) -> tuple[int, str | None]:
            response = http.get(f"/tickets/{ticket_id}")
            if response.status_code not in (200, 404):
                raise RuntimeError(f"verification read {ticket_id}: {response.status_code}")
            return ticket_id, response.json().get("description")

        with ThreadPoolExecutor(16) as pool:
            found = dict(pool.map(fetch, ids))
    return {
        "lost": sorted(i for i in present if found[i] != tally.acknowledged[i]),
        "resurrected": sorted(i for i in tally.deleted if found[i] is not None),
    }


def integrity_check(database_url: str) -> str | None:
    """`PRAGMA integrity_check` for a SQLite database; None for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return None
    with sqlite3.connect(url.database) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def migrate(env: dict[str, str]) -> None:
    """Once, before the workers start: several workers migrating at once would race."""
    done = subprocess.run(
        [sys.executable, "-m", "api.migrate"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"api.migrate failed: {done.stderr.strip()}")


def server_env(database_url: str, models_dir: Path, keys: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env.update(
        TRIAGE_DATABASE_URL=database_url,
        TRIAGE_MODELS_DIR=str(models_dir),
        TRIAGE_API_KEYS=",".join(f"{key}={role}" for role, key in keys.items()),
        TRIAGE_MIGRATE_ON_START="false",
    )
    return env


def run(
    database_url: str,
    *,
    workers: int = 4,
    clients: int = 64,
    until: Goal = Goal(10.0),
    kill_every: float | None = None,
    models_dir: Path | None = None,
    log_dir: Path | None = None,
) -> dict[str, Any]:
    """One load run against `database_url` (it should be empty) until the goal `until` is
    reached; what it measured."""
    keys = {role: f"reliability-{role}-{secrets.token_hex(8)}" for role in ("requester", "agent")}
    models = models_dir or Path(os.environ.get("TRIAGE_MODELS_DIR", ROOT / "models"))
    log = Path(log_dir or tempfile.mkdtemp(prefix="reliability-")) / "server.log"
    env = server_env(database_url, models, keys)
    migrate(env)
    server = Server(env, workers, log)
    server.start()
    try:
        started = time.monotonic()
        tally, downtimes = drive(server, keys, clients, until, kill_every)
        elapsed = time.monotonic() - started
        if kill_every:  # one last kill: what is read back below survived on disk
            server.kill()
            server.start()
        checked = verify(server.url, keys["agent"], tally)
    finally:
        server.stop()
    return summary(database_url, tally, checked, downtimes, elapsed, log, workers, clients)


def summary(
    database_url: str,
    tally: Tally,
    checked: dict[str, list[int]],
    downtimes: list[float],
    elapsed: float,
    log: Path,
    workers: int,
    clients: int,
) -> dict[str, Any]:
    lost = sorted(set(checked["lost"]) | tally.missing_during_run)
    log_text = log.read_text(errors="replace")
    return {
        "database": make_url(database_url).get_backend_name(),
        "workers": workers,
        "clients": clients,
        "seconds": round(elapsed, 1),
        "kills": len(downtimes),
        "seconds_down": round(sum(downtimes), 1),
        "requests_sent": tally.sent,
        "acknowledged": len(tally.acknowledged),
        "deleted": len(tally.deleted),
        "lost": len(lost),
        "resurrected": len(checked["resurrected"]),
        "5xx": len(tally.server_errors),
        "refused": tally.refused,
        "unanswered": tally.unanswered,
        "uncertain_deletes": len(tally.uncertain),
        "database_locked": tally.locked + log_text.count(LOCKED),
        "integrity_check": integrity_check(database_url),
        "statuses": {str(code): n for code, n in sorted(tally.statuses.items())},
        "requests_per_second": round(tally.sent / elapsed, 1) if elapsed else 0.0,
        "examples": {"lost": lost[:10], "5xx": tally.server_errors[:5]},
        "server_log": str(log),
    }


@contextmanager
def scratch_database(kind: str, postgres_url: str, folder: Path) -> Iterator[str]:
    """An empty database: a SQLite file in `folder`, or a PostgreSQL schema dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'reliability.db'}"
        return
    with servers.postgres_schema(postgres_url, "reliability") as url:
        yield url


def totals(runs: list[dict[str, Any]]) -> dict[str, int]:
    names = ("requests_sent", "acknowledged", "lost", "5xx", "database_locked", "kills")
    return {name: sum(r[name] for r in runs) for name in names}


def markdown(runs: list[dict[str, Any]]) -> str:
    rows = [
        "## Reliability under load (`python -m bench.reliability`)",
        "",
        "| database | kills | seconds (down) | sent | acknowledged | lost | 5xx | refused "
        "| unanswered | locked | integrity |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        rows.append(
            f"| {r['database']} | {r['kills']} | {r['seconds']} ({r['seconds_down']}) "
            f"| {r['requests_sent']} "
            f"| {r['acknowledged']} | {r['lost']} | {r['5xx']} | {r['refused']} "
            f"| {r['unanswered']} | {r['database_locked']} | {r['integrity_check'] or 'n/a'} |"
        )
    return "\n".join(rows)


def passed(result: dict[str, Any]) -> bool:
    """The issue's bar: nothing lost or brought back, no 5xx, never locked, an intact file."""
    return result["lost"] == result["resurrected"] == result["5xx"] == result[
        "database_locked"
    ] == 0 and result["integrity_check"] in (None, "ok")


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__)
    cli.add_argument("--seconds", type=float, default=60.0, help="load per run")
    cli.add_argument("--clients", type=int, default=64)
    cli.add_argument("--workers", type=int, default=4)
    cli.add_argument("--kill-every", type=float, default=10.0, help="seconds between kills")
    cli.add_argument("--databases", default="sqlite,postgresql")
    cli.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "TRIAGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
    )
    args = cli.parse_args(argv)
    runs = []
    for kind in args.databases.split(","):
        for kill_every in (None, args.kill_every):
            with (
                tempfile.TemporaryDirectory(prefix="reliability-") as folder,
                scratch_database(kind, args.postgres_url, Path(folder)) as url,
            ):
                result = run(
                    url,
                    workers=args.workers,
                    clients=args.clients,
                    until=Goal(args.seconds),
                    kill_every=kill_every,
                    log_dir=Path(folder),
                )
            result.pop("server_log")
            runs.append(result)
            print(markdown([result]).splitlines()[-1], flush=True)
    from bench import results

    results.update("reliability", {"runs": runs, "totals": totals(runs)}, markdown(runs))
    return 0 if all(passed(r) for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
