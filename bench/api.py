"""`make bench-api`: the ticket service against a bare FastAPI + SQLAlchemy app, same load.

Each round starts the reference app (bench/reference_app.py) and then the service, one at a
time, under the same uvicorn command line and on fresh SQLite files, and drives each with
CONNECTIONS keep-alive connections for SECONDS per endpoint; rounds alternate which app goes
first. Before the rounds: the load generator's ceiling against a server that answers at once,
and the service's cold start. Results: the `api` section of bench/results/latest.{json,md}.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import loadgen, results, servers
from bench.api_report import markdown, summarise

ROOT = servers.ROOT
ROUNDS = 4
SECONDS = 10.0
WARMUP_SECONDS = 2.0
CONNECTIONS = 16
COLD_STARTS = 5
SAMPLE_TICKETS = 64
API_KEY = "bench-requester-key"
# endpoint -> load mode; the reference app has no /classify
ENDPOINTS = {
    "POST /tickets": "post-tickets",
    "GET /tickets/{id}": "get-ticket",
    "POST /classify": "classify",
}
REFERENCE_ENDPOINTS = ("POST /tickets", "GET /tickets/{id}")


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    generator = _generator(args.generator)
    started, load_before = time.time(), os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as folder:
        work = Path(folder)
        bodies = write_bodies(work)
        print(f"bench-api: load from {generator}, {CONNECTIONS} connections", flush=True)
        ceiling = calibrate(generator, work, bodies)
        print(f"  generator ceiling: {ceiling['rps']:.0f} requests/s", flush=True)
        cold = [cold_start(work, i) for i in range(COLD_STARTS)]
        print(f"  cold start: {statistics.median(cold):.2f} s (median of {len(cold)})", flush=True)
        rounds = [run_round(n, generator, work, bodies, args.seconds) for n in range(args.rounds)]
    context = {
        "generator": generator,
        "generator_ceiling": ceiling,
        "seconds": args.seconds,
        "connections": CONNECTIONS,
        "started": started,
        "load_before": load_before,
        "load_after": os.getloadavg(),
        "git": results.git_commit(),
    }
    section = summarise(rounds, cold, context)
    table = markdown(section)
    results.update("api", section, table)
    print("\n" + table)
    return 0


def write_bodies(work: Path) -> dict[str, Path]:
    """POST bodies from the project's own tickets: the same texts for both apps."""
    with open(ROOT / "data" / "tickets.csv", encoding="utf-8", newline="") as handle:
        texts = [row["text"].strip() for row in csv.DictReader(handle) if row["text"].strip()]
    sample = texts[:: max(1, len(texts) // SAMPLE_TICKETS)][:SAMPLE_TICKETS]
    tickets = [
        {"title": " ".join(t.split()[:5])[:80], "description": t, "requester": "bench@example.com"}
        for t in sample
    ]
    paths = {"post-tickets": work / "tickets.jsonl", "classify": work / "classify.jsonl"}
    paths["get-ticket"] = paths["post-tickets"]
    paths["post-tickets"].write_text("".join(json.dumps(t) + "\n" for t in tickets))
    paths["classify"].write_text("".join(json.dumps({"text": t}) + "\n" for t in sample))
    return paths


def calibrate(generator: str, work: Path, bodies: dict[str, Path]) -> dict[str, float]:
    """The generator against a server that answers at once: how many requests/s it can send."""
    with servers.trivial_server(work / "trivial.log") as port:
        result = loadgen.run(
            generator,
            f"http://127.0.0.1:{port}",
            loadgen.Workload("post-tickets", bodies["post-tickets"]),
            connections=CONNECTIONS,
            seconds=3,
        )
    return {
        "rps": round(result.rps, 1),
        "generator_cpu_share": round(result.generator_cpu_s / result.seconds, 3),
    }


def cold_start(work: Path, number: int) -> float:
    """Spawn to first 200 from /health, on a database migrated by an untimed first start."""
    env = service_env(work / "cold")
    if number == 0:
        servers.cold_start(env, work / "cold.log", API_KEY)
    return servers.cold_start(env, work / "cold.log", API_KEY)


def run_round(
    number: int, generator: str, work: Path, bodies: dict[str, Path], seconds: float
) -> dict[str, Any]:
    """Both apps, one after the other (order alternating), on fresh databases."""
    folder = work / f"round-{number}"
    apps = [
        ("reference", servers.REFERENCE_APP, reference_env(folder), REFERENCE_ENDPOINTS),
        ("service", servers.SERVICE_APP, service_env(folder), tuple(ENDPOINTS)),
    ]
    if number % 2:
        apps.reverse()
    measured: dict[str, Any] = {"order": [name for name, *_ in apps]}
    for name, app, env, endpoints in apps:
        with servers.running(app, env, folder / f"{name}.log", API_KEY) as server:
            database = folder / f"{name}.db"
            measured[name] = drive(server, database, generator, bodies, endpoints, seconds)
        _print_round(number, name, measured[name])
    return measured


def drive(
    server: servers.Server,
    database: Path,
    generator: str,
    bodies: dict[str, Path],
    endpoints: tuple[str, ...],
    seconds: float,
) -> dict[str, dict[str, float]]:
    """Warm up, then each endpoint in turn; GET asks for tickets the POST run created."""
    post = loadgen.Workload("post-tickets", bodies["post-tickets"], api_key=API_KEY)
    loadgen.run(generator, server.url, post, connections=CONNECTIONS, seconds=WARMUP_SECONDS)
    out = {}
    for endpoint in endpoints:
        mode = ENDPOINTS[endpoint]
        work = loadgen.Workload(mode, bodies[mode], _max_id(database), API_KEY)
        cpu = server.cpu_seconds()
        result = loadgen.run(generator, server.url, work, connections=CONNECTIONS, seconds=seconds)
        cpu = server.cpu_seconds() - cpu
        out[endpoint] = {
            "rps": result.rps,
            "p50_ms": result.p50_ms,
            "p99_ms": result.p99_ms,
            "requests": result.requests,
            "failures": result.failures,
            "server_cpu_ms": 1000 * cpu / max(1, result.requests),
            "generator_cpu_share": result.generator_cpu_s / result.seconds,
        }
        if result.failures:
            raise SystemExit(
                f"bench-api: {result.failures} failed requests on {endpoint}; "
                f"see the server log under {database.parent}"
            )
    return out


def service_env(folder: Path) -> dict[str, str]:
    env = _base_env(folder)
    env.update(
        TRIAGE_DATABASE_URL=f"sqlite:///{folder / 'service.db'}",
        TRIAGE_MODELS_DIR=str(ROOT / "models"),
        TRIAGE_API_KEYS=f"{API_KEY}=requester",
    )
    return env


def reference_env(folder: Path) -> dict[str, str]:
    env = _base_env(folder)
    env["BENCH_REFERENCE_DB"] = str(folder / "reference.db")
    return env


def _base_env(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    return {k: v for k, v in os.environ.items() if not k.startswith(("TRIAGE_", "BENCH_"))}


def _max_id(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT max(id) FROM tickets").fetchone()[0] or 1


def _print_round(number: int, name: str, measured: dict[str, dict[str, float]]) -> None:
    cells = [
        f"{endpoint} {m['rps']:.0f}/s p99 {m['p99_ms']:.0f} ms" for endpoint, m in measured.items()
    ]
    print(f"  round {number + 1} {name:9s} " + ", ".join(cells), flush=True)


def _generator(choice: str) -> str:
    if choice == "auto":
        return "wrk" if loadgen.wrk_available() else "python"
    if choice == "wrk" and not loadgen.wrk_available():
        raise SystemExit(
            "bench-api: wrk is not installed (apt-get install wrk), use --generator python"
        )
    return choice


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--generator",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator; auto: wrk when installed, else the Python one",
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--seconds", type=float, default=SECONDS, help="per endpoint and app")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
