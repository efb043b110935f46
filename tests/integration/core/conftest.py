"""A migrated database with the demo data, on SQLite and (marker postgres) PostgreSQL."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from core.bootstrap import Core, bootstrap


def _demo(core: Core) -> Core:
    from gateway.cli.setup import load_demo_data

    load_demo_data(core)
    return core


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def core(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Core]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'core.db'}"
    else:
        cluster = request.getfixturevalue("pg_cluster")
        url = cluster.create_database()
    c = bootstrap(url, migrate_first=True)
    yield _demo(c)
    c.close()
