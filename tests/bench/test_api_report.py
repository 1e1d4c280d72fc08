"""The `api` section: the contract keys describe POST /tickets; every endpoint is listed."""

from __future__ import annotations

from bench.api_report import markdown, summarise


def run(rps: float, p99: float) -> dict[str, float]:
    return {
        "rps": rps,
        "p50_ms": p99 / 3,
        "p99_ms": p99,
        "requests": rps * 10,
        "failures": 0,
        "server_cpu_ms": 1.5,
        "generator_cpu_share": 0.05,
    }


def rounds() -> list[dict]:
    return [
        {
            "order": ["reference", "service"],
            "reference": {"POST /tickets": run(ref, 300), "GET /tickets/{id}": run(900, 40)},
            "service": {
                "POST /tickets": run(svc, 40),
                "GET /tickets/{id}": run(800, 45),
                "POST /classify": run(1000, 30),
            },
        }
        for ref, svc in ((800, 760), (600, 630), (700, 700))
    ]


CONTEXT = {
    "generator": "wrk",
    "generator_ceiling": {"rps": 50000},
    "seconds": 10,
    "connections": 16,
    "started": 0,
    "load_before": (0.5, 0.5, 0.5),
    "load_after": (1.0, 1.0, 1.0),
    "git": "abc1234",
}


def test_contract_keys_describe_post_tickets() -> None:
    section = summarise(rounds(), [1.0, 1.2, 0.9], CONTEXT)

    assert section["reference_rps"] == 700 and section["tickets_rps"] == 700
    assert section["ratio"] == 1.0  # the median of the rounds' own ratios: .95, 1.05, 1.0
    assert section["p99_ms"] == 40 and section["cold_start_s"] == 1.0
    assert section["meets_targets"] == {"ratio": True, "p99_ms": True, "cold_start_s": True}
    assert set(section["endpoints"]) == {"POST /tickets", "GET /tickets/{id}", "POST /classify"}
    assert "ratio" not in section["endpoints"]["POST /classify"]


def test_table_has_a_row_per_endpoint() -> None:
    table = markdown(summarise(rounds(), [1.0], CONTEXT))

    assert "| POST /tickets | 700 | 700 | 1.00 |" in table
    assert "| POST /classify | — | 1000 | — |" in table
