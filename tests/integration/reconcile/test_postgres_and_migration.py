"""Migration 0003 == the tables module, and every check's SQL on a real PostgreSQL.

The check tests of tests/unit/reconcile/test_checks.py are imported here and run again with the
`engine` fixture below: one migrated PostgreSQL database (alembic `upgrade heads`) for the
module, emptied between tests. Date arithmetic, JSON paths and string concatenation differ per
dialect, which is exactly what this catches.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from core.adapters.migrate import migrate
from core.adapters.tables import metadata
from tests.unit.reconcile.builder import Builder
from tests.unit.reconcile.test_checks import *  # noqa: F401,F403 - rerun them on PostgreSQL
from tests.unit.reconcile.test_ledger import (test_gone_condition_resolves_and_comes_back_reopened,  # noqa: F401
                                              test_rerun_updates_instead_of_duplicating)

RECONCILE_TABLES = ("reconcile_exceptions", "reconcile_findings", "reconcile_outcomes",
                    "reconcile_runs")


def _shape(url: str) -> dict:
    insp = inspect(create_engine(url))
    shape = {}
    for name in RECONCILE_TABLES:
        shape[name] = {(c["name"], type(c["type"]).__name__, c["nullable"])
                       for c in insp.get_columns(name)}
        shape[name + ":indexes"] = {(i["name"], tuple(i["column_names"]))
                                    for i in insp.get_indexes(name)}
    for other in ("outbox", "gateway_documents"):
        shape[other + ":indexes"] = {(i["name"], tuple(i["column_names"]))
                                     for i in insp.get_indexes(other) if "reconcile" in i["name"]}
    return shape


def test_migration_matches_the_tables_module(tmp_path: Path) -> None:
    import gateway.reconcile.tables  # noqa: F401
    import gateway.store.tables  # noqa: F401

    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    migrate(a)
    metadata.create_all(create_engine(b))
    assert _shape(a) == _shape(b)
    assert ("ix_reconcile_outbox_order_type", ("order_id", "document_type")) in _shape(a)["outbox:indexes"]
    assert ("ix_reconcile_gateway_documents_ack", ("ack_document_id",)) in _shape(a)["gateway_documents:indexes"]


@pytest.fixture(scope="module")
def pg_migrated(pg_cluster) -> str:
    url = pg_cluster.create_database()
    migrate(url)
    return url


@pytest.fixture
def engine(pg_migrated):
    from core.adapters.engine import create_engine_for

    import gateway.reconcile.tables  # noqa: F401
    import gateway.store.tables  # noqa: F401

    engine = create_engine_for(pg_migrated)
    present = set(inspect(engine).get_table_names())
    with engine.begin() as conn:  # DELETE is quicker than TRUNCATE for a few rows
        for table in reversed(metadata.sorted_tables):
            if table.name in present:
                conn.execute(table.delete())
    yield engine
    engine.dispose()


@pytest.fixture
def build(engine) -> Builder:
    return Builder(engine)
