"""What `make bench-api` measured, as the `api` section of latest.json and as a table."""

from __future__ import annotations

import os
import platform
import statistics
import time
from importlib.util import find_spec
from typing import Any

from bench import servers

TARGETS = {"ratio": 0.9, "p99_ms": 50.0, "cold_start_s": 1.5}
TARGET_ENDPOINT = "POST /tickets"


def summarise(rounds: list[dict], cold: list[float], context: dict[str, Any]) -> dict[str, Any]:
    """Medians over the rounds; the contract keys describe POST /tickets, `endpoints` all."""
    endpoints = {name: _endpoint(name, rounds) for name in rounds[0]["service"]}
    target = endpoints[TARGET_ENDPOINT]
    section = {
        "reference_rps": target["reference_rps"],
        "tickets_rps": target["rps"],
        "ratio": target["ratio"],
        "p50_ms": target["p50_ms"],
        "p99_ms": target["p99_ms"],
        "cold_start_s": round(statistics.median(cold), 3),
        "cold_starts_s": [round(s, 3) for s in cold],
        "endpoints": endpoints,
        "targets": TARGETS,
        "load": _load(rounds, context),
        "server": _server(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in context["load_before"]],
            "load_average_after": [round(x, 2) for x in context["load_after"]],
            "python": platform.python_version(),
        },
        "rounds": [_rounded(r) for r in rounds],
        "git_commit": context["git"],
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(context["started"])),
    }
    section["meets_targets"] = {
        "ratio": section["ratio"] >= TARGETS["ratio"],
        "p99_ms": section["p99_ms"] <= TARGETS["p99_ms"],
        "cold_start_s": section["cold_start_s"] <= TARGETS["cold_start_s"],
    }
    return section


def _endpoint(name: str, rounds: list[dict]) -> dict[str, Any]:
    service = [r["service"][name] for r in rounds]
    entry = _medians(service, "")
    entry["p99_ms_worst_round"] = round(max(m["p99_ms"] for m in service), 2)
    if name in rounds[0]["reference"]:
        reference = [r["reference"][name] for r in rounds]
        entry.update(_medians(reference, "reference_"))
        # Each round runs both apps back to back: the ratio of a round shares its conditions.
        ratios = [s["rps"] / r["rps"] for s, r in zip(service, reference, strict=True)]
        entry["ratio"] = round(statistics.median(ratios), 3)
    return entry


def _medians(runs: list[dict[str, float]], prefix: str) -> dict[str, float]:
    keys = {"rps": 1, "p50_ms": 2, "p99_ms": 2, "server_cpu_ms": 3}
    return {
        f"{prefix}{key}": round(statistics.median(run[key] for run in runs), digits)
        for key, digits in keys.items()
    }


def _load(rounds: list[dict], context: dict[str, Any]) -> dict[str, Any]:
    shares = [
        m["generator_cpu_share"]
        for r in rounds
        for app in ("service", "reference")
        for m in r[app].values()
    ]
    return {
        "generator": context["generator"],
        "connections": context["connections"],
        "seconds_per_endpoint": context["seconds"],
        "rounds": len(rounds),
        "generator_ceiling_rps": context["generator_ceiling"]["rps"],
        "generator_cpu_share_max": round(max(shares), 3),
    }


def _server() -> dict[str, Any]:
    return {
        "command": " ".join(["uvicorn", "APP", *servers.UVICORN_OPTIONS, "--port", "PORT"]),
        "loop": "uvloop" if find_spec("uvloop") else "asyncio",
        "http": "httptools" if find_spec("httptools") else "h11",
        "access_log": True,
        "database": "SQLite file, WAL, synchronous=NORMAL, busy_timeout 5 s",
    }


def _rounded(measured: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"order": measured["order"]}
    for app in ("reference", "service"):
        out[app] = {
            endpoint: {k: round(v, 3) for k, v in m.items()}
            for endpoint, m in measured[app].items()
        }
    return out


def markdown(section: dict[str, Any]) -> str:
    """The side-by-side table and the lines that say how it was measured."""
    load, server = section["load"], section["server"]
    lines = [
        "## API: the service against a bare FastAPI + SQLAlchemy insert (`make bench-api`)",
        "",
        f"{load['connections']} connections, {load['seconds_per_endpoint']:g} s per endpoint "
        f"and app, {load['rounds']} rounds alternating which app goes first (medians). "
        f"Load: {load['generator']} (it sends {load['generator_ceiling_rps']:,.0f} requests/s "
        "to a server that answers at once; at most "
        f"{100 * load['generator_cpu_share_max']:.0f}% of a core during the runs). "
        f"Both apps: `{server['command']}` ({server['loop']}, {server['http']}, access log on), "
        f"{server['database']}.",
        "",
        "| Endpoint | Reference req/s | Service req/s | Ratio | Service p50 / p99 ms "
        "| Reference p50 / p99 ms | CPU ms/request service / reference |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in section["endpoints"].items():
        has_reference = "reference_rps" in m
        lines.append(
            f"| {name} | {_cell(m, 'reference_rps', '.0f')} | {m['rps']:.0f} "
            f"| {_cell(m, 'ratio', '.2f')} | {m['p50_ms']:.1f} / {m['p99_ms']:.1f} "
            f"| {_pair(m, 'reference_p50_ms', 'reference_p99_ms') if has_reference else '—'} "
            f"| {m['server_cpu_ms']:.2f} / {_cell(m, 'reference_server_cpu_ms', '.2f')} |"
        )
    lines += ["", *_verdicts(section), "", _machine(section)]
    return "\n".join(lines)


def _verdicts(section: dict[str, Any]) -> list[str]:
    meets, targets = section["meets_targets"], section["targets"]
    mark = {True: "met", False: "**missed**"}
    cold = ", ".join(f"{s:.2f}" for s in section["cold_starts_s"])
    return [
        f"- Cold start (spawn to the first 200 from /health): {section['cold_start_s']:.2f} s "
        f"(median of {cold}).",
        f"- Targets: POST /tickets ratio >= {targets['ratio']}: {mark[meets['ratio']]} "
        f"({section['ratio']:.2f}); p99 <= {targets['p99_ms']:g} ms: {mark[meets['p99_ms']]} "
        f"({section['p99_ms']:.1f} ms); cold start <= {targets['cold_start_s']} s: "
        f"{mark[meets['cold_start_s']]}.",
    ]


def _machine(section: dict[str, Any]) -> str:
    machine = section["machine"]
    return (
        f"{machine['cpus']} CPUs, Python {machine['python']}, load average "
        f"{machine['load_average_before'][0]:.1f} before and {machine['load_average_after'][0]:.1f}"
        f" after the run; commit {section['git_commit']}, {section['date']}."
    )


def _cell(m: dict[str, Any], key: str, spec: str) -> str:
    return format(m[key], spec) if key in m else "—"


def _pair(m: dict[str, Any], first: str, second: str) -> str:
    return f"{m[first]:.1f} / {m[second]:.1f}"
