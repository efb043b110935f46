"""0004_api creates exactly the tables and columns declared in gateway/api/tables.py."""
from __future__ import annotations

from sqlalchemy import create_engine, inspect

from core.bootstrap import migrate
from gateway.api.tables import API_TABLES, metadata


def _shape(engine, names):  # type: ignore[no-untyped-def]
    insp = inspect(engine)
    return {name: ({c["name"]: (c["nullable"], type(c["type"]).__name__) for c in insp.get_columns(name)},
                   sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(name)),
                   sorted(i["name"] for i in insp.get_indexes(name)))
            for name in names}


def test_upgrade_heads_matches_metadata(tmp_path) -> None:
    names = [t.name for t in API_TABLES]
    migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(migrated)
    declared = create_engine(f"sqlite:///{tmp_path / 'declared.db'}")
    metadata.create_all(declared, tables=list(API_TABLES))
    assert _shape(create_engine(migrated), names) == _shape(declared, names)
