"""Schemathesis against our own /openapi.json, in process (ASGI), on a real home: no request it
generates may produce a 500 or an answer that breaks the schema (status, content type, headers,
body), and no schema-violating request may be accepted. Bounded: a few examples per operation.

`positive_data_acceptance` is excluded on purpose: it expects every schema-valid request to succeed,
but business rules the schema cannot express (unique line numbers, "ship no more than allocated",
an idempotency key reused) rightly answer 422/409 problems."""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import positive_data_acceptance
from hypothesis import HealthCheck, settings

from gateway.api.keys import create_key


# The coverage phase (hundreds of boundary cases per operation) is left to manual runs
# (`schemathesis run`); here: explicit examples plus a bounded random fuzz, positive and negative.
CONFIG = {"phases": {"coverage": {"enabled": False}},
          "generation": {"max-examples": 6, "deterministic": True}}


@pytest.fixture
def api_schema(app):  # type: ignore[no-untyped-def]
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def bearer(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, clear = create_key(engine, "fuzz", "admin")
    return {"Authorization": f"Bearer {clear}"}


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_openapi_conformance(case, bearer) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
