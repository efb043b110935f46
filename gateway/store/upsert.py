"""INSERT ... ON CONFLICT DO NOTHING for SQLite and PostgreSQL alike (no failed transaction on a
unique clash, which on PostgreSQL would abort the caller's whole transaction)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table


def insert_ignore(conn: Connection, table: Table, values: dict[str, Any], index: list[str]) -> int:
    """Insert unless a row with the same `index` columns exists; returns rows inserted (0 or 1)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (insert(table).values(**values).on_conflict_do_nothing(index_elements=index)
            .returning(table.c[index[0]]))
    # RETURNING, not rowcount: some drivers report -1 for INSERT .. ON CONFLICT DO NOTHING
    return len(conn.execute(stmt).all())
