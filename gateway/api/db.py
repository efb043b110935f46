"""Engines for the API come from the core's composition root (WAL, busy timeout and BEGIN IMMEDIATE
on SQLite); this module only names that dependency in one place."""
from __future__ import annotations

from sqlalchemy import Connection, Engine


def engine_for(url: str) -> Engine:
    from core.bootstrap import create_engine_for

    return create_engine_for(url)


def reading(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite its transaction starts DEFERRED, so API reads never
    take the write lock nor queue behind writers (writes use `engine.begin()`, BEGIN IMMEDIATE)."""
    conn = engine.connect()
    if conn.dialect.name == "sqlite":
        conn = conn.execution_options(sqlite_begin="DEFERRED")
    return conn
