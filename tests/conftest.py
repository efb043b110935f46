"""Shared test fixtures. Server fixtures (PostgreSQL, sshd) live in tests/fixtures/ as plugins."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("ORDERGATE_CORPUS", REPO.parent / "shared" / "corpus"))

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

pytest_plugins = [
    "tests.fixtures.postgres",
    "tests.fixtures.sshd",
]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared public corpus (../shared/corpus); tests that need it skip when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"public corpus not found at {CORPUS} (set ORDERGATE_CORPUS)")
    return CORPUS
