"""Fixtures for the gateway's integration tests: a real SQLite file with the gateway's tables."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from core.adapters.engine import create_engine_for


@pytest.fixture
def store_engine(tmp_path: Path) -> Engine:
    import gateway.store.tables  # noqa: F401 - registers the tables on the shared metadata
    from core.adapters.tables import metadata

    engine = create_engine_for(f"sqlite:///{tmp_path / 'store.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()
