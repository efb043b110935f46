"""A fresh SQLite database per test with every part's tables (create_all: unit speed)."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.unit.reconcile.builder import Builder


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    from core.adapters.engine import create_engine_for
    from core.adapters.tables import metadata
    import gateway.reconcile.tables  # noqa: F401 - declares reconcile tables on metadata
    import gateway.store.tables  # noqa: F401

    engine = create_engine_for(f"sqlite:///{tmp_path / 'reconcile.db'}")
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def build(engine: Engine) -> Builder:
    return Builder(engine)
