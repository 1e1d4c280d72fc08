"""Schemathesis against the service's own OpenAPI schema: no 5xx, every answer as documented.

Every operation gets positive cases (valid by the schema) and negative ones (not), sent with
the admin key through the ASGI app on a fresh database. Hypothesis is derandomized, so a run
in CI generates the same cases as on a laptop; over 1,000 of them per database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.config import get_settings
from api.main import create_app

pytestmark = pytest.mark.slow

OPERATIONS = [
    ("POST", "/tickets"),
    ("GET", "/tickets"),
    ("GET", "/tickets/{ticket_id}"),
    ("DELETE", "/tickets/{ticket_id}"),
    ("POST", "/classify"),
    ("POST", "/keys"),
    ("GET", "/keys"),
    ("DELETE", "/keys/{key_id}"),
    ("GET", "/health"),
]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance,  # valid by the schema: not refused
]
# Not negative_data_rejection: the admin key sent with every case overrides the negative
# cases whose only fault is a missing X-API-Key; tests/api/test_auth.py covers those.
EXAMPLES_PER_MODE = 70
MINIMUM_CASES = 1000


@pytest.fixture
def schema(make_settings) -> Iterator[schemathesis.BaseSchema]:
    """The schema the app serves, loaded through the app (started on a fresh database)."""
    app = create_app()
    settings = make_settings()
    app.dependency_overrides[get_settings] = lambda: settings
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    try:
        yield loaded
    finally:
        shutdown_lifespans()  # schemathesis started the app; stop it and its engine


def fuzz(operation, mode: GenerationMode, headers: dict[str, str], counts: Counter) -> None:
    """Generate cases for one operation and mode; the first failing check raises."""

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def one_case(case) -> None:
        counts[f"{operation.method.upper()} {operation.path} {mode.value}"] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    one_case()


def test_fuzzed_requests_get_no_5xx_and_only_documented_answers(schema, as_role) -> None:
    counts: Counter = Counter()
    failures = []

    for method, path in OPERATIONS:
        for mode in GenerationMode:
            if (method, path) == ("GET", "/health") and mode is GenerationMode.NEGATIVE:
                continue  # no input to get wrong
            try:
                fuzz(schema[path][method], mode, as_role("admin"), counts)
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{method} {path} ({mode.value}): {exc}")

    assert failures == []
    assert sum(counts.values()) >= MINIMUM_CASES, counts


def test_every_operation_is_fuzzed() -> None:
    paths = create_app().openapi()["paths"]

    documented = {(method.upper(), path) for path, item in paths.items() for method in item}

    assert documented == set(OPERATIONS)
