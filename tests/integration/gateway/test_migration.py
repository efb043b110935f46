"""0002_gateway creates exactly the tables and columns declared in gateway/store/tables.py."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect

from core.adapters.engine import create_engine_for
from core.adapters.migrate import migrate


def _shape(url: str) -> dict[str, dict]:
    engine = create_engine_for(url)
    try:
        insp = inspect(engine)
        return {t: {"columns": sorted((c["name"], str(c["type"]), c["nullable"])
                                      for c in insp.get_columns(t)),
                    "unique": sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
                    "indexes": sorted((i["name"], tuple(i["column_names"])) for i in insp.get_indexes(t))}
                for t in insp.get_table_names() if t.startswith("gateway_")}
    finally:
        engine.dispose()


def test_migration_matches_the_tables(tmp_path: Path):
    import importlib

    import gateway.store.tables  # noqa: F401
    from core.adapters.tables import metadata

    for other in ("gateway.reconcile.tables", "gateway.api.tables"):  # they index our tables too
        try:
            importlib.import_module(other)
        except ImportError:
            pass

    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(migrated)
    declared = f"sqlite:///{tmp_path / 'declared.db'}"
    engine = create_engine_for(declared)
    metadata.create_all(engine)
    engine.dispose()
    assert _shape(migrated) == _shape(declared)
    assert len(_shape(migrated)) == 6
