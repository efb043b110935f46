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


REPO = Path(__file__).resolve().parents[3]


@pytest.fixture
def gateway_home(tmp_path: Path) -> Path:
    """A home with the repository's demo partner profiles and local mailboxes."""
    import shutil

    home = tmp_path / "home"
    (home / "partners").mkdir(parents=True)
    for profile in (REPO / "partners").glob("demo-*.yaml"):
        shutil.copy(profile, home / "partners" / profile.name)
    return home


@pytest.fixture(params=["sqlite", "postgres"])
def bare_gateway(gateway_home: Path, request):
    """A Gateway without the order core, on a real SQLite file and on PostgreSQL (the claim
    paths differ): for the steps that never reach the core (receive, identity, duplicates,
    quarantine, acks, uploads)."""
    import gateway.store.tables  # noqa: F401
    from core.adapters.tables import metadata
    from core.config import Home
    from gateway.flow.context import Gateway
    from gateway.partners import load_partners
    from gateway.store.archive import Archive

    if request.param == "postgres":
        url = request.getfixturevalue("pg_cluster").create_database()
    else:
        url = f"sqlite:///{gateway_home / 'ordergate.db'}"
    engine = create_engine_for(url)
    metadata.create_all(engine)
    gw = Gateway(home=Home(gateway_home), engine=engine, core=None,
                 partners=load_partners(gateway_home), archive=Archive.for_home(gateway_home))
    yield gw
    engine.dispose()
